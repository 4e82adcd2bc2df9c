using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

/// <summary>
/// The SQLite path that writes a large unit of work's added rows with one prepared INSERT per table must store exactly
/// what EF's own INSERTs store, and keep EF's save semantics (generated ids, tracking, events, all-or-nothing).
/// </summary>
public class SqliteBulkInsertDatabaseTests : IDisposable
{
    private const int Groups = 20;
    private readonly List<string> files = [];

    [Fact]
    public async Task SaveChanges_ManyAddedRows_StoresExactlyWhatEfStores()
    {
        var (efPath, bulkPath) = (NewFile(), NewFile());
        await SaveOneByOneAsync(efPath);
        var commands = new CommandCounter();
        await using (var bulk = await OpenAsync(bulkPath, commands))
        {
            for (var i = 0; i < Groups; i++)
            {
                AddGroup(bulk, i);
            }
            commands.Executed = 0;
            await bulk.SaveChangesAsync();
            // Nothing was left for EF's per-row commands.
            Assert.Equal(0, commands.Executed);
        }
        foreach (var table in new[] { "People", "Leads", "Handoffs", "Events", "Outbox" })
        {
            var expected = Dump(efPath, table);
            Assert.Equal(Groups, expected.Count);
            Assert.Equal(expected, Dump(bulkPath, table));
        }
    }

    [Fact]
    public async Task SaveChanges_ManyAddedRows_SetsGeneratedIdsAndTracksTheRowsAsSaved()
    {
        var path = NewFile();
        await using var db = await OpenAsync(path);
        var groups = Enumerable.Range(0, Groups).Select(i => AddGroup(db, i)).ToList();
        var saved = await db.SaveChangesAsync();

        Assert.Equal(Groups * 6, saved); // person, lead (+ its owned BANT), handoff, event, outbox row
        var storedEventIds = await db.Events.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
        Assert.Equal(storedEventIds, groups.Select(g => g.Event.Id));
        var storedOutboxIds = await db.Outbox.AsNoTracking().OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
        Assert.Equal(storedOutboxIds, groups.Select(g => g.Message.Id));
        Assert.All(db.ChangeTracker.Entries(), e => Assert.Equal(EntityState.Unchanged, e.State));

        // Saved rows are ordinary tracked entities: changing them updates the stored rows.
        groups[3].Lead.Score = 12;
        groups[3].Lead.Bant.Need = "changed";
        groups[4].Message.Status = OutboxStatus.Sent;
        await db.SaveChangesAsync();
        await using var fresh = await OpenAsync(path);
        var lead = await fresh.Leads.SingleAsync(l => l.Id == groups[3].Lead.Id);
        Assert.Equal((12, "changed"), (lead.Score, lead.Bant.Need));
        Assert.Equal(OutboxStatus.Sent, (await fresh.Outbox.SingleAsync(m => m.Id == groups[4].Message.Id)).Status);
    }

    [Fact]
    public async Task SaveChanges_UniqueViolationAmongAddedRows_ThrowsDbUpdateExceptionAndStoresNothing()
    {
        var person = NewPerson(99);
        var path = await NewFileWithAsync(person, NewMessage(99, dedupeKey: "taken"));
        await using var db = await OpenAsync(path);
        var tracked = await db.People.SingleAsync(p => p.Id == person.Id);
        tracked.Name = "renamed in the failed unit of work";
        for (var i = 0; i < Groups; i++)
        {
            AddGroup(db, i);
        }
        db.Outbox.Add(NewMessage(100, dedupeKey: "taken"));

        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(ex.IsUniqueViolation());
        Assert.Contains(ex.Entries, e => e.Entity is OutboxMessage { DedupeKey: "taken" });
        await using var fresh = await OpenAsync(path);
        Assert.Equal((1, 1, 0, 0, 0), (await fresh.People.CountAsync(), await fresh.Outbox.CountAsync(),
            await fresh.Leads.CountAsync(), await fresh.Events.CountAsync(), await fresh.Handoffs.CountAsync()));
        Assert.Equal(person.Name, (await fresh.People.SingleAsync()).Name);
    }

    [Fact]
    public async Task SaveChanges_EfsPartFailsAfterTheBulkRows_RollsBackTheBulkRows()
    {
        var existing = NewLead(99);
        var path = await NewFileWithAsync(existing);
        await using var db = await OpenAsync(path);
        var tracked = await db.Leads.SingleAsync(l => l.Id == existing.Id);
        // Someone else changes the lead after we read it: our update must lose on its version.
        await db.Database.ExecuteSqlRawAsync("UPDATE \"Leads\" SET \"Version\" = \"Version\" + 1");
        tracked.Score = 1;
        tracked.Version++;
        for (var i = 0; i < Groups; i++)
        {
            AddGroup(db, i);
        }

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());

        await using var fresh = await OpenAsync(path);
        Assert.Equal((1, 0, 0, 0), (await fresh.Leads.CountAsync(), await fresh.Events.CountAsync(),
            await fresh.Outbox.CountAsync(), await fresh.People.CountAsync()));
    }

    [Fact]
    public async Task SaveChanges_InsideTheCallersTransaction_CommitsOrRollsBackWithIt()
    {
        var path = NewFile();
        await using (var db = await OpenAsync(path))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < Groups; i++)
            {
                AddGroup(db, i);
            }
            await db.SaveChangesAsync();
            Assert.Equal(Groups, await db.Leads.CountAsync());
            await transaction.RollbackAsync();
        }
        await using (var db = await OpenAsync(path))
        {
            Assert.Equal(0, await db.Leads.CountAsync());
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < Groups; i++)
            {
                AddGroup(db, i);
            }
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        await using var fresh = await OpenAsync(path);
        Assert.Equal(Groups, await fresh.Leads.CountAsync());
    }

    [Fact]
    public async Task SaveChanges_ManyAddedOutboxRows_WakesTheDispatcherAndClearsUnitOfWorkCaches()
    {
        var signal = new OutboxSignal();
        await using var db = await OpenAsync(NewFile(), new OutboxSignalInterceptor(signal));
        var cache = db.CacheUntilSaved<string, int>();
        cache["read in this unit of work"] = 1;
        for (var i = 0; i < Groups; i++)
        {
            AddGroup(db, i);
        }

        await db.SaveChangesAsync();

        Assert.Empty(cache);
        // Notified: returns at once although the clock never reaches the timeout (the guard only stops a hung test).
        await signal.WaitAsync(TimeSpan.FromHours(1), new FakeClock(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AddNew_Untracked_StoresExactlyWhatEfStores_AndSetsGeneratedIdsAfterTheCommit()
    {
        var (efPath, untrackedPath) = (NewFile(), NewFile());
        await SaveOneByOneAsync(efPath);
        await using var db = await OpenAsync(untrackedPath);
        db.UntrackedInserts = true;
        var groups = Enumerable.Range(0, Groups).Select(i => AddGroup(db, i)).ToList();
        // Only the people (added the usual way) are tracked; the rest waits outside the change tracker.
        Assert.Equal(Groups, db.ChangeTracker.Entries().Count());
        Assert.All(groups, g => Assert.Equal(0, g.Event.Id));

        var saved = await db.SaveChangesAsync();

        Assert.Equal(Groups * 5, saved); // person (tracked) + lead, handoff, event, outbox row (untracked)
        foreach (var table in new[] { "People", "Leads", "Handoffs", "Events", "Outbox" })
        {
            Assert.Equal(Dump(efPath, table), Dump(untrackedPath, table));
        }
        Assert.Equal(await db.Events.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(), groups.Select(g => g.Event.Id));
        Assert.Equal(await db.Outbox.AsNoTracking().OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(), groups.Select(g => g.Message.Id));
        Assert.All(db.ChangeTracker.Entries(), e => Assert.Equal(EntityState.Unchanged, e.State));
        // Nothing is left to insert again.
        Assert.Equal(0, await db.SaveChangesAsync());
        Assert.Equal(Groups, await db.Leads.CountAsync());
    }

    [Fact]
    public async Task AddNew_WithoutUntrackedInserts_TracksTheRow()
    {
        await using var db = await OpenAsync(NewFile());
        var lead = NewLead(1);

        db.AddNew(lead);

        Assert.Equal(EntityState.Added, db.Entry(lead).State);
    }

    [Fact]
    public async Task AddNew_Untracked_UniqueViolation_StoresNothing_AndDiscardChangesForgetsTheRows()
    {
        var person = NewPerson(99);
        var path = await NewFileWithAsync(person, NewMessage(99, dedupeKey: "taken"));
        await using var db = await OpenAsync(path);
        db.UntrackedInserts = true;
        (await db.People.SingleAsync()).Name = "renamed in the failed unit of work";
        for (var i = 0; i < Groups; i++)
        {
            AddGroup(db, i);
        }
        db.AddNew(NewMessage(100, dedupeKey: "taken"));

        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(ex.IsUniqueViolation());
        async Task<(int, int, int, int, int, string)> StoredAsync()
        {
            await using var fresh = await OpenAsync(path);
            return (await fresh.People.CountAsync(), await fresh.Outbox.CountAsync(), await fresh.Leads.CountAsync(),
                await fresh.Events.CountAsync(), await fresh.Handoffs.CountAsync(), (await fresh.People.SingleAsync()).Name);
        }
        Assert.Equal((1, 1, 0, 0, 0, person.Name), await StoredAsync());
        // As a retry does: forget the unit of work, then save again. Nothing of the failed attempt is written.
        db.DiscardChanges();
        Assert.Equal(0, await db.SaveChangesAsync());
        Assert.Equal((1, 1, 0, 0, 0, person.Name), await StoredAsync());
    }

    [Fact]
    public async Task OutboxCommitted_AfterARetry_ListsOnlyTheRowsThatWereCommitted()
    {
        var path = await NewFileWithAsync(NewMessage(99, dedupeKey: "taken"));
        await using var db = await OpenAsync(path, new OutboxSignalInterceptor(new OutboxSignal()));
        db.UntrackedInserts = true;
        db.AddNew(NewMessage(100, dedupeKey: "taken"));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        // As a retry does: forget the failed attempt, queue again, save.
        db.DiscardChanges();
        db.AddNew(NewMessage(101, dedupeKey: "fresh"));
        await db.SaveChangesAsync();

        var committed = Assert.Single(db.OutboxCommitted);
        Assert.Equal("fresh", committed.DedupeKey);
        Assert.True(committed.Id > 0);
    }

    [Fact]
    public async Task AddNew_Untracked_InsideTheCallersTransaction_RollsBackWithIt()
    {
        var path = NewFile();
        await using (var db = await OpenAsync(path))
        {
            db.UntrackedInserts = true;
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < Groups; i++)
            {
                AddGroup(db, i);
            }
            await db.SaveChangesAsync();
            Assert.Equal(Groups, await db.Leads.CountAsync());
            await transaction.RollbackAsync();
        }
        await using var fresh = await OpenAsync(path);
        Assert.Equal((0, 0, 0), (await fresh.Leads.CountAsync(), await fresh.Events.CountAsync(), await fresh.Outbox.CountAsync()));
    }

    [Fact]
    public async Task AddNew_UntrackedOutboxRowsAlone_WakeTheDispatcher()
    {
        var signal = new OutboxSignal();
        await using var db = await OpenAsync(NewFile(), new OutboxSignalInterceptor(signal));
        db.UntrackedInserts = true;
        db.AddNew(NewMessage(1));
        Assert.Empty(db.ChangeTracker.Entries());

        await db.SaveChangesAsync();

        Assert.True(signal.Pending);
        // Handed on with the id the insert generated (an express send needs it).
        var committed = Assert.Single(db.OutboxCommitted);
        Assert.True(committed.Id > 0);
        Assert.Equal(committed.Id, await db.Outbox.Select(m => m.Id).SingleAsync());
    }

    [Fact]
    public async Task OutboxRows_SavedInsideATransaction_WakeTheDispatcherOnlyWhenItCommits()
    {
        var signal = new OutboxSignal();
        await using var db = await OpenAsync(NewFile(), new OutboxSignalInterceptor(signal));
        await using (var rolledBack = await db.Database.BeginTransactionAsync())
        {
            db.Outbox.Add(NewMessage(1));
            await db.SaveChangesAsync();
            Assert.False(signal.Pending);
            await rolledBack.RollbackAsync();
        }
        Assert.False(signal.Pending);
        Assert.Empty(db.OutboxCommitted);
        db.DiscardChanges();

        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Outbox.Add(NewMessage(2));
        await db.SaveChangesAsync();
        // A later save in the same transaction that queues nothing must not lose the wake-up.
        db.People.Add(NewPerson(2));
        await db.SaveChangesAsync();
        // Not yet: the dispatcher could not see the rows before the commit.
        Assert.False(signal.Pending);
        Assert.Empty(db.OutboxCommitted);
        await transaction.CommitAsync();
        Assert.True(signal.Pending);
        Assert.Equal(["handoff.offered:2"], db.OutboxCommitted.Select(m => m.DedupeKey));
    }

    private sealed record Group(Lead Lead, Handoff Handoff, LeadEvent Event, OutboxMessage Message);

    /// <summary>One of everything, every column filled with a value its converter must handle (or left null), same values each time.</summary>
    /// <summary>The reference file: the groups saved one per save, below the bulk path's threshold, so EF writes them itself.</summary>
    private static async Task SaveOneByOneAsync(string path)
    {
        await using var ef = await OpenAsync(path);
        for (var i = 0; i < Groups; i++)
        {
            AddGroup(ef, i);
            await ef.SaveChangesAsync();
        }
    }

    private static Group AddGroup(TheModelDb db, int i)
    {
        var person = NewPerson(i);
        var lead = NewLead(i);
        var handoff = new Handoff
        {
            Id = Id(3, i), LeadId = lead.Id, Kind = HandoffKind.MqlToIs, State = i % 2 == 0 ? HandoffState.Offered : HandoffState.Rejected,
            AssigneeId = person.Id, Routing = RoutingRule.RoundRobin, RoutingReason = $"Round robin {i}", OfferedAt = At(i),
            DeadlineAt = At(i).AddHours(4), DecidedAt = i % 2 == 0 ? null : At(i).AddHours(1), DecidedById = i % 2 == 0 ? null : person.Id,
            RejectReason = i % 2 == 0 ? null : RejectReason.NoBudget, RejectNote = i % 2 == 0 ? null : "ノート",
            ResponseBusinessHours = i % 2 == 0 ? null : 0.1 * i, ResponseWallHours = i % 2 == 0 ? null : 1.0 / 3, Attempt = i % 3,
            NextSlaCheckAt = At(i).AddMinutes(30), Version = i,
        };
        var e = new LeadEvent
        {
            LeadId = lead.Id, HandoffId = i % 2 == 0 ? handoff.Id : null, HandoffKind = i % 2 == 0 ? HandoffKind.MqlToIs : null,
            Type = LeadEventType.HandoffOffered, At = At(i), ActorId = i % 3 == 0 ? person.Id : null, Actor = Actor.Client("api:test").Name,
            Reason = i % 2 == 0 ? "why" : null, Department = i % 2 == 0 ? Department.IS : null, Amount = i % 2 == 0 ? 1234.5m + i : null,
            Data = i % 2 == 0 ? "{\"score\":85}" : null,
        };
        var message = NewMessage(i, handoff.Id);
        // The dependent before its principal: the foreign key (Handoffs → Leads) still holds. AddNew tracks the rows
        // unless the test turned UntrackedInserts on; people are always tracked.
        db.AddNew(handoff);
        db.AddNew(lead);
        db.People.Add(person);
        db.AddNew(e);
        db.AddNew(message);
        return new Group(lead, handoff, e, message);
    }

    private static Person NewPerson(int i) => new()
    {
        Id = Id(1, i), Name = $"Member {i}", Email = $"member{i}@example.test", Department = Department.IS, Capacity = 5 + i,
        Available = i % 2 == 0, Locale = "en-US", TeamsAadObjectId = i % 2 == 0 ? $"aad-{i}" : null, SlackUserId = $"U{i}",
        LastAssignedAt = i % 2 == 0 ? null : At(i), CreatedAt = At(i), UpdatedAt = At(i),
    };

    private static Lead NewLead(int i) => new()
    {
        Id = Id(2, i), ExternalId = i % 2 == 0 ? $"ext-{i}" : null, Name = $"Lead {i} 山田", Email = $"lead{i}@b{i}.example",
        Company = $"Company {i}", Domain = i % 2 == 0 ? $"b{i}.example" : null, Title = null, Phone = "+81 3 0000 0000", Source = "web",
        Score = 40 + i, Stage = i % 2 == 0 ? LeadStage.Mql : LeadStage.Inquiry, Department = i % 2 == 0 ? Department.MK : Department.IS,
        OwnerId = i % 3 == 0 ? Id(1, i) : null, Amount = i % 2 == 0 ? 1_000_000.25m : null,
        Bant = i % 2 == 0 ? new Bant { Budget = 500m, Authority = "CTO", Need = null, Timeline = "Q3" } : new Bant(),
        // A local time: the converter must store it as UTC, as EF does.
        CreatedAt = At(i).ToLocalTime(), UpdatedAt = At(i), StageChangedAt = At(i), LastActivityAt = At(i).AddTicks(1), Version = i,
    };

    private static OutboxMessage NewMessage(int i, Guid? handoffId = null, string? dedupeKey = null) => new()
    {
        Channel = i % 2 == 0 ? OutboxChannels.Teams : OutboxChannels.Slack, Target = $"person:{Id(1, i)}", Kind = OutboxKinds.HandoffOffered,
        HandoffId = handoffId, Payload = i % 2 == 0 ? null : "{\"x\":1}", DedupeKey = dedupeKey ?? $"handoff.offered:{i}",
        Status = OutboxStatus.Pending, Attempts = i % 2, CreatedAt = At(i), NextAttemptAt = At(i), LockedUntil = i % 2 == 0 ? null : At(i),
        Late = i % 2 == 1,
    };

    private static Guid Id(int kind, int i) => new($"0197{kind:D4}-0000-7000-8000-{i:D12}");

    private static DateTime At(int i) => new DateTime(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc).AddMinutes(i).AddTicks(i * 7);

    /// <summary>Every row of a table, each value with its SQLite storage class, in insertion order.</summary>
    private static List<string> Dump(string path, string table)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var columns = connection.CreateCommand();
        columns.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
        var names = new List<string>();
        using (var reader = columns.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }
        using var rows = connection.CreateCommand();
        rows.CommandText = $"SELECT {string.Join(" || '|' || ", names.Select(n => $"'{n}=' || typeof(\"{n}\") || ':' || quote(\"{n}\")"))} FROM \"{table}\" ORDER BY rowid";
        var dump = new List<string>();
        using (var reader = rows.ExecuteReader())
        {
            while (reader.Read())
            {
                dump.Add(reader.GetString(0));
            }
        }
        return dump;
    }

    private string NewFile()
    {
        var path = SqliteFiles.NewPath("bulk");
        files.Add(path);
        return path;
    }

    [Fact]
    public async Task CanBuildAhead_OnlyWhenNoForeignKeyRefersToAStoreGeneratedKey()
    {
        await using (var ours = await OpenAsync(NewFile()))
        {
            // Every key a foreign key refers to is a client-made Guid: all of a save's commands can be built first.
            Assert.True(SqliteBulkInsertDatabase.CanBuildAhead(ours.Model));
        }
        await using var other = new IdentityKeys();
        // A child row needs its parent's generated id, known only once the parent's INSERT has run.
        Assert.False(SqliteBulkInsertDatabase.CanBuildAhead(other.Model));
    }

    private sealed class IdentityKeys : DbContext
    {
        public DbSet<Parent> Parents => Set<Parent>();
        public DbSet<Child> Children => Set<Child>();

        protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite("Data Source=:memory:");
    }

    private sealed class Parent
    {
        public int Id { get; set; }
    }

    private sealed class Child
    {
        public int Id { get; set; }
        public int ParentId { get; set; }
        public Parent? Parent { get; set; }
    }

    /// <summary>A new store file holding <paramref name="rows"/>.</summary>
    private async Task<string> NewFileWithAsync(params object[] rows)
    {
        var path = NewFile();
        await using var seed = await OpenAsync(path);
        seed.AddRange(rows);
        await seed.SaveChangesAsync();
        return path;
    }

    private static async Task<TheModelDb> OpenAsync(string path, params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<SqliteTheModelDb>();
        StoreExtensions.Configure(options, StoreProvider.Sqlite, $"Data Source={path}");
        options.AddInterceptors(interceptors);
        var db = new SqliteTheModelDb(options.Options);
        await db.Database.MigrateAsync();
        return db;
    }

    public void Dispose()
    {
        SqliteFiles.Delete(files);
        GC.SuppressFinalize(this);
    }

    /// <summary>Counts the commands EF itself executes (the bulk path's prepared INSERTs do not pass through EF).</summary>
    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Executed { get; set; }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Executed++;
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Executed++;
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
