using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update;
using Microsoft.Extensions.Logging;

namespace TheModel.Api.Store;

/// <summary>
/// SQLite's save path for units of work that add many rows (a batch intake adds ~5,000: leads, events, handoffs,
/// outbox rows). EF Core on SQLite builds, prepares and runs one command per row; here the added rows of each table
/// go through ONE prepared INSERT, its parameters rebound per row (SQLite's fastest insert path). The rest of the
/// unit of work (updates, deletes, anything this path does not take) is saved by EF as usual, in the same
/// transaction, so the save stays all-or-nothing.
/// <para>
/// It sits where EF writes (<see cref="IDatabase"/>), not around SaveChanges: the SavingChanges/SavedChanges events,
/// the save interceptors (the outbox signal sees the added outbox rows), AcceptAllChanges and the discarding of
/// generated ids on failure all stay EF's own. It is also where a save takes its turn on the file's
/// <see cref="SqliteWriter"/>. Only the async save is taken over (the app saves nothing synchronously); a synchronous
/// one is EF's own, one command per row, outside the writer. Values are bound through each column's <see cref="RelationalTypeMapping"/>,
/// so converters (UTC times, enums as text, Guids as text) apply exactly as in EF's INSERTs.
/// </para>
/// </summary>
public sealed class SqliteBulkInsertDatabase(
    DatabaseDependencies dependencies,
    RelationalDatabaseDependencies relationalDependencies,
    ISqlGenerationHelper sql,
    IDiagnosticsLogger<DbLoggerCategory.Database.Command> commandLogger,
    IDbContextOptions contextOptions)
    : RelationalDatabase(dependencies, relationalDependencies)
{
    /// <summary>Below this many added rows EF's own path is as quick, and every small unit of work stays on it.</summary>
    public const int MinimumAddedRows = 50;

    // What is worked out once per model (how a table is inserted, whether commands can be built ahead, how untracked
    // rows are written) is kept on the model as EF runtime annotations: it lives as long as the model, not the process.
    private const string TableInsertAnnotation = "TheModel:SqliteTableInsert";
    private const string BuildAheadAnnotation = "TheModel:SqliteBuildAhead";
    private const string UntrackedInsertAnnotation = "TheModel:SqliteUntrackedInsert";

    /// <summary>
    /// The async save, which takes its turn on the file's <see cref="SqliteWriter"/> for the statements and the commit
    /// only: EF's commands (SQL, parameters, order) are built before the turn, so concurrent units of work build theirs
    /// side by side and the writer thread runs nothing but SQLite. Inside a transaction (an explicit one, or
    /// <see cref="TheModelDb"/>'s for untracked rows, which runs in its turn) it writes at once.
    /// </summary>
    public override async Task<int> SaveChangesAsync(IList<IUpdateEntry> entries, CancellationToken cancellationToken = default)
    {
        var connection = RelationalDependencies.Connection;
        var plan = Plan.For(entries);
        if (connection.CurrentTransaction is not null || System.Transactions.Transaction.Current is not null)
        {
            return plan is null ? await base.SaveChangesAsync(entries, cancellationToken) : await BulkAsync(plan, cancellationToken);
        }
        if (entries.Count == 0)
        {
            return 0;
        }
        if (SqliteWritersExtension.For(contextOptions, connection.ConnectionString) is not { } writer)
        {
            return plan is null ? await base.SaveChangesAsync(entries, cancellationToken) : await BulkAsync(plan, cancellationToken);
        }
        if (plan is not null)
        {
            return await writer.RunAsync(() => BulkAsync(plan, CancellationToken.None), cancellationToken);
        }
        var batches = entries[0].EntityType.Model.GetOrAddRuntimeAnnotationValue(BuildAheadAnnotation, m => CanBuildAhead(m!), entries[0].EntityType.Model)
            ? RelationalDependencies.BatchPreparer.BatchCommands(entries, Dependencies.UpdateAdapterFactory.Create()).ToList()
            : null;
        return await writer.RunAsync(() => batches is null
            ? base.SaveChangesAsync(entries, CancellationToken.None)
            : RelationalDependencies.BatchExecutor.ExecuteAsync(batches, connection, CancellationToken.None), cancellationToken);
    }

    /// <summary>
    /// EF builds a save's command batches one by one as it runs them, so that a key the store generates for one row can
    /// reach the rows that refer to it. Where no foreign key refers to a store-generated key (ours are Guids made on the
    /// client), no command waits for another's result and all can be built ahead.
    /// </summary>
    internal static bool CanBuildAhead(IModel model) =>
        !model.GetEntityTypes().SelectMany(t => t.GetForeignKeys())
            .Any(fk => fk.PrincipalKey.Properties.Any(p => p.ValueGenerated != ValueGenerated.Never && p.ClrType != typeof(Guid)));

    private async Task<int> BulkAsync(Plan plan, CancellationToken cancellationToken)
    {
        var connection = RelationalDependencies.Connection;
        await connection.OpenAsync(cancellationToken);
        try
        {
            using var scope = WriteScope.Begin(connection);
            try
            {
                // SQLite does its I/O synchronously whatever the API: the async variants would only add overhead per row.
                var saved = Insert(plan, connection);
                if (plan.Rest.Count > 0)
                {
                    saved += await base.SaveChangesAsync(plan.Rest, cancellationToken);
                }
                scope.Complete();
                return saved;
            }
            catch
            {
                scope.Undo();
                throw;
            }
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>Writes the planned rows table by table (principal tables first); returns the number of entries saved.</summary>
    private int Insert(Plan plan, IRelationalConnection connection)
    {
        var sqlite = (SqliteConnection)connection.DbConnection;
        var transaction = (SqliteTransaction)connection.CurrentTransaction!.GetDbTransaction();
        var saved = 0;
        foreach (var (table, rows) in plan.Rows.OrderBy(t => t.Key.Order))
        {
            var started = Stopwatch.GetTimestamp();
            using var command = table.Prepare(sqlite, transaction, sql);
            foreach (var row in rows)
            {
                table.Bind(command, row);
                try
                {
                    command.ExecuteNonQuery();
                }
                catch (SqliteException ex)
                {
                    // As EF reports a failed row: callers tell unique violations apart by the inner SqliteException.
                    throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", ex, row.Entries);
                }
                if (table.GeneratedKey is { } key)
                {
                    row.Root.SetStoreGeneratedValue(key, Convert.ChangeType(SQLitePCL.raw.sqlite3_last_insert_rowid(sqlite.Handle), key.ClrType, System.Globalization.CultureInfo.InvariantCulture));
                }
                saved += row.Entries.Count;
            }
            if (commandLogger.Logger.IsEnabled(LogLevel.Information))
            {
                commandLogger.Logger.LogInformation("Inserted {Rows} rows with one prepared command ({Elapsed:N1} ms): {CommandText}",
                    rows.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds, command.CommandText);
            }
        }
        return saved;
    }

    /// <summary>
    /// Whether new <paramref name="type"/> rows can be written by <see cref="InsertUntracked"/>: a plain table (as for the
    /// bulk path) whose every column comes from a CLR property of the entity or of an owned reference split into its row.
    /// </summary>
    public static bool CanInsertUntracked(IEntityType type) => UntrackedInsert(type) is not null;

    /// <summary>How <see cref="InsertUntracked"/> writes <paramref name="type"/>'s rows (null: it cannot), worked out once per model.</summary>
    private static TableInsert? UntrackedInsert(IEntityType type) =>
        type.GetOrAddRuntimeAnnotationValue(UntrackedInsertAnnotation,
            t => !t!.IsOwned() && TableInsert.For(t) is { } table && table.CanBindObjects(t) ? table : null, type);

    /// <summary>
    /// Inserts entities nothing tracks (see <see cref="TheModelDb.AddNew{T}"/>) in <paramref name="transaction"/>, with one
    /// prepared INSERT per table, principal tables first. Returns how to set the store-generated keys, to be applied once
    /// the transaction has committed. A failed row throws <see cref="DbUpdateException"/> with the SQLite error inside,
    /// as EF reports it.
    /// </summary>
    public static (int Rows, Action SetGeneratedKeys) InsertUntracked(SqliteConnection connection, SqliteTransaction transaction, IModel model,
        IReadOnlyList<object> entities, ISqlGenerationHelper sql)
    {
        var byTable = new Dictionary<TableInsert, (IEntityType Type, List<object> Rows)>();
        foreach (var entity in entities)
        {
            var type = model.FindEntityType(entity.GetType()) ?? throw new InvalidOperationException($"{entity.GetType()} is not in the model");
            var table = UntrackedInsert(type) ?? throw new InvalidOperationException($"{type.DisplayName()} rows cannot be inserted untracked");
            if (!byTable.TryGetValue(table, out var group))
            {
                byTable[table] = group = (type, []);
            }
            group.Rows.Add(entity);
        }
        var keys = new List<(IProperty Key, object Entity, long Value)>();
        foreach (var (table, (type, rows)) in byTable.OrderBy(t => t.Key.Order))
        {
            using var command = table.Prepare(connection, transaction, sql);
            foreach (var row in rows)
            {
                table.Bind(command, type, row);
                try
                {
                    command.ExecuteNonQuery();
                }
                catch (SqliteException ex)
                {
                    throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", ex);
                }
                if (table.GeneratedKey is { } key)
                {
                    keys.Add((key, row, SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle)));
                }
            }
        }
        return (entities.Count, () =>
        {
            foreach (var (key, entity, value) in keys)
            {
                key.PropertyInfo!.SetValue(entity, Convert.ChangeType(value, key.ClrType, System.Globalization.CultureInfo.InvariantCulture));
            }
        });
    }

    /// <summary>The transaction the bulk rows and EF's own commands share: the caller's (inside a savepoint) or ours.</summary>
    private sealed class WriteScope : IDisposable
    {
        private const string Savepoint = "TheModelBulkInsert";
        private readonly IDbContextTransaction? owned;
        private readonly IDbContextTransaction? callers;
        private bool done;

        private WriteScope(IDbContextTransaction? owned, IDbContextTransaction? callers)
        {
            this.owned = owned;
            this.callers = callers;
        }

        public static WriteScope Begin(IRelationalConnection connection)
        {
            if (connection.CurrentTransaction is { } existing)
            {
                existing.CreateSavepoint(Savepoint);
                return new WriteScope(null, existing);
            }
            return new WriteScope(connection.BeginTransaction(), null);
        }

        public void Complete()
        {
            if (owned is not null)
            {
                owned.Commit();
            }
            else
            {
                callers!.ReleaseSavepoint(Savepoint);
            }
            done = true;
        }

        public void Undo()
        {
            if (done)
            {
                return;
            }
            done = true;
            if (owned is not null)
            {
                owned.Rollback();
            }
            else
            {
                callers!.RollbackToSavepoint(Savepoint);
            }
        }

        public void Dispose() => owned?.Dispose();
    }

    /// <summary>One row to insert: the entry of the table's entity, then those of owned types stored in the same row.</summary>
    private sealed class Row(IUpdateEntry root)
    {
        public IUpdateEntry Root { get; } = root;
        public List<IUpdateEntry> Entries { get; } = [root];
    }

    /// <summary>Which added entries this path writes (by table), and what is left for EF.</summary>
    private sealed class Plan
    {
        public Dictionary<TableInsert, List<Row>> Rows { get; } = [];
        public List<IUpdateEntry> Rest { get; } = [];

        public static Plan? For(IList<IUpdateEntry> entries)
        {
            if (entries.Count < MinimumAddedRows || System.Transactions.Transaction.Current is not null)
            {
                return null;
            }
            var plan = new Plan();
            var owned = new List<IUpdateEntry>();
            var added = 0;
            foreach (var entry in entries)
            {
                switch (entry.EntityState)
                {
                    case EntityState.Deleted:
                        // Deletes must precede the inserts that may reuse their keys; EF orders that, so it saves it all.
                        return null;
                    case EntityState.Added when entry.EntityType.IsOwned():
                        owned.Add(entry);
                        break;
                    case EntityState.Added when TableInsert.For(entry.EntityType) is { } table:
                        if (!plan.Rows.TryGetValue(table, out var rows))
                        {
                            plan.Rows[table] = rows = [];
                        }
                        rows.Add(new Row(entry));
                        added++;
                        break;
                    default:
                        plan.Rest.Add(entry);
                        break;
                }
            }
            if (added < MinimumAddedRows)
            {
                return null;
            }
            if (owned.Count > 0 && !plan.AttachOwned(owned))
            {
                return null;
            }
            return plan;
        }

        /// <summary>Puts each owned entry in its owner's row (same table, same key); false when one has no planned owner.</summary>
        private bool AttachOwned(List<IUpdateEntry> owned)
        {
            var byKey = new Dictionary<(TableInsert, object), Row>();
            foreach (var (table, rows) in Rows)
            {
                if (table.HasOwned)
                {
                    foreach (var row in rows)
                    {
                        byKey[(table, TableInsert.KeyOf(row.Root))] = row;
                    }
                }
            }
            foreach (var entry in owned)
            {
                if (TableInsert.For(entry.EntityType) is not { } table || !byKey.TryGetValue((table, TableInsert.KeyOf(entry)), out var row))
                {
                    return false;
                }
                row.Entries.Add(entry);
            }
            return true;
        }
    }

    /// <summary>
    /// The INSERT of one table: its columns, and for every entity type stored there (an entity and the owned types split
    /// into its row) which property fills which parameter through which type mapping. Only plain tables qualify: one table
    /// per entity type, no inheritance, no store-generated value except an integer key (SQLite's rowid), no foreign key to
    /// a key the store generates (its value would only be known after the principal's insert).
    /// </summary>
    private sealed class TableInsert
    {
        private readonly ITable table;
        private readonly IColumn[] columns;
        private readonly Dictionary<IEntityType, Writer[]> writers;

        private readonly record struct Writer(int Parameter, IProperty Property, RelationalTypeMapping Mapping);

        public IProperty? GeneratedKey { get; }
        public bool HasOwned => writers.Count > 1;
        /// <summary>Tables are written in ascending order: principals before the tables whose foreign keys point at them.</summary>
        public int Order { get; }

        private TableInsert(ITable table, IColumn[] columns, Dictionary<IEntityType, Writer[]> writers, IProperty? generatedKey, int order)
        {
            this.table = table;
            this.columns = columns;
            this.writers = writers;
            GeneratedKey = generatedKey;
            Order = order;
        }

        public static TableInsert? For(IEntityType entityType) =>
            entityType.GetTableMappings().FirstOrDefault() is { } mapping && entityType.GetTableMappings().Skip(1).FirstOrDefault() is null
                ? mapping.Table.GetOrAddRuntimeAnnotationValue(TableInsertAnnotation, t => Build(t!), mapping.Table)
                : null;

        /// <summary>The row's key, to pair an owned entry with its owner's (they share the key columns).</summary>
        public static object KeyOf(IUpdateEntry entry)
        {
            var properties = entry.EntityType.FindPrimaryKey()!.Properties;
            return properties.Count == 1 ? entry.GetCurrentValue(properties[0])!
                : string.Join("\u001f", properties.Select(p => entry.GetCurrentValue(p)));
        }

        private static TableInsert? Build(ITable table)
        {
            var types = table.EntityTypeMappings.Select(m => m.TypeBase).OfType<IEntityType>().Distinct().ToList();
            var roots = types.Where(t => !t.IsOwned()).ToList();
            if (roots.Count != 1 || types.Any(t => t.BaseType is not null || t.GetDirectlyDerivedTypes().Any() || t.GetTableMappings().Count() != 1)
                || roots[0].FindPrimaryKey() is not { } key)
            {
                return null;
            }
            var root = roots[0];
            IProperty? generatedKey = null;
            foreach (var type in types)
            {
                foreach (var property in type.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.Never))
                {
                    if (type == root && key.Properties is [var only] && only == property && (property.ClrType == typeof(long) || property.ClrType == typeof(int)))
                    {
                        generatedKey = property;
                    }
                    // Guid keys are made on the client when the entity is added; an owned type's key is its owner's.
                    else if (!(property.IsPrimaryKey() && (property.ClrType == typeof(Guid) || type.IsOwned())))
                    {
                        return null;
                    }
                }
                if (type.GetForeignKeys().Any(fk => fk.PrincipalKey.Properties.Any(p => p.ValueGenerated != ValueGenerated.Never && p.ClrType != typeof(Guid))))
                {
                    return null;
                }
            }
            var columns = table.Columns
                .Where(c => generatedKey is null || !c.PropertyMappings.Any(m => m.Property == generatedKey))
                .ToArray();
            var writers = types.ToDictionary(t => t, t => columns
                .SelectMany((c, i) => c.PropertyMappings.Where(m => m.TableMapping.TypeBase == t).Select(m => new Writer(i, m.Property, m.TypeMapping)))
                .ToArray());
            return new TableInsert(table, columns, writers, generatedKey, Depth(root, []));
        }

        private static int Depth(IEntityType type, HashSet<IEntityType> seen) =>
            !seen.Add(type) ? 0
            : type.GetForeignKeys().Where(fk => !fk.IsOwnership && fk.PrincipalEntityType != type)
                .Select(fk => 1 + Depth(fk.PrincipalEntityType, seen)).DefaultIfEmpty(0).Max();

        public SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, ISqlGenerationHelper sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) "
                + $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))});";
            for (var i = 0; i < columns.Length; i++)
            {
                // The parameter as EF makes it for this column (DbType and the like); only its value changes per row.
                var mapping = columns[i].PropertyMappings[0].TypeMapping;
                command.Parameters.Add(mapping.CreateParameter(command, "@p" + i, null, columns[i].IsNullable));
            }
            command.Prepare();
            return command;
        }

        public void Bind(SqliteCommand command, Row row)
        {
            var parameters = command.Parameters;
            if (HasOwned)
            {
                // A column of an owned type whose entry is absent stays NULL, as EF writes it.
                for (var i = 0; i < parameters.Count; i++)
                {
                    parameters[i].Value = DBNull.Value;
                }
            }
            foreach (var entry in row.Entries)
            {
                foreach (var writer in writers[entry.EntityType])
                {
                    parameters[writer.Parameter].Value = ToProvider(writer.Mapping, entry.GetCurrentValue(writer.Property)) ?? DBNull.Value;
                }
            }
        }

        /// <summary>
        /// Whether every column can be read from a <paramref name="root"/> object: from its CLR properties, or through an
        /// owned reference navigation from those of the owned object (whose key columns are the owner's).
        /// </summary>
        public bool CanBindObjects(IEntityType root) =>
            writers.Keys.All(t => t == root || t.FindOwnership() is { PrincipalEntityType: var owner, PrincipalToDependent: { PropertyInfo: not null, IsCollection: false } } && owner == root)
            && writers.All(w => w.Value.All(x => x.Property.PropertyInfo is not null || (w.Key != root && x.Property.IsPrimaryKey())))
            && (GeneratedKey is null || GeneratedKey.PropertyInfo is { CanWrite: true });

        /// <summary>Binds the values of an entity nothing tracks (see <see cref="CanBindObjects"/>).</summary>
        public void Bind(SqliteCommand command, IEntityType root, object entity)
        {
            var parameters = command.Parameters;
            foreach (var (type, typeWriters) in writers)
            {
                var owner = type == root ? entity : type.FindOwnership()!.PrincipalToDependent!.GetGetter().GetClrValue(entity);
                foreach (var writer in typeWriters)
                {
                    if (writer.Property.PropertyInfo is null)
                    {
                        continue; // an owned type's key: the owner's columns
                    }
                    var value = owner is null ? null : writer.Property.GetGetter().GetClrValue(owner);
                    parameters[writer.Parameter].Value = ToProvider(writer.Mapping, value) ?? DBNull.Value;
                }
            }
        }

        /// <summary>The value <see cref="RelationalTypeMapping.CreateParameter"/> would give the parameter for <paramref name="value"/>.</summary>
        private static object? ToProvider(RelationalTypeMapping mapping, object? value) =>
            value is null ? null
            : mapping.Converter is { } converter ? converter.ConvertToProvider(value)
            : value is Enum ? Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture)
            : value;
    }
}
