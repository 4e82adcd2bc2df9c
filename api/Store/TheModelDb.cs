using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using TheModel.Api.Conversations;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Settings;
using TheModel.Api.Sla;

namespace TheModel.Api.Store;

/// <summary>
/// The system of record. Entity mappings live in <c>*EntityTypeConfiguration</c> classes beside it. The app asks for
/// <see cref="TheModelDb"/> everywhere; the instance is a <see cref="SqliteTheModelDb"/> or a <see cref="PostgresTheModelDb"/>,
/// one type per provider because each provider has its own migrations (EF finds a migration by its context type).
/// </summary>
public abstract class TheModelDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Handoff> Handoffs => Set<Handoff>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<DepartmentChannel> Departments => Set<DepartmentChannel>();
    public DbSet<JoinRequest> JoinRequests => Set<JoinRequest>();
    public DbSet<LeadEvent> Events => Set<LeadEvent>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<ChatConversation> Conversations => Set<ChatConversation>();
    public DbSet<PostedCard> PostedCards => Set<PostedCard>();
    public DbSet<InboundReceipt> InboundReceipts => Set<InboundReceipt>();
    public DbSet<InboundWork> InboundWork => Set<InboundWork>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<SlaStep> SlaSteps => Set<SlaStep>();
    public DbSet<LeadStep> LeadSteps => Set<LeadStep>();
    public DbSet<LeadActivity> Activities => Set<LeadActivity>();
    public DbSet<ContactClock> ContactClocks => Set<ContactClock>();
    public DbSet<DigestRun> DigestRuns => Set<DigestRun>();

    /// <summary>Outbox rows of saves not committed yet (kept by <see cref="Outbox.OutboxSignalInterceptor"/>).</summary>
    internal List<OutboxMessage> OutboxSaving { get; } = [];

    /// <summary>
    /// The outbox rows this unit of work has committed, ids set. A request a person waits on (a Slack click) hands them to
    /// the dispatcher's express lane, so that its answer does not queue behind a backlog of other messages.
    /// </summary>
    public List<OutboxMessage> OutboxCommitted { get; } = [];

    /// <summary>The outbox rows among the pending untracked ones.</summary>
    internal IEnumerable<OutboxMessage> UntrackedOutboxRows => untracked.OfType<OutboxMessage>();

    /// <summary>New rows held outside the change tracker (see <see cref="AddNew{T}"/>), inserted by the next save.</summary>
    private readonly List<object> untracked = [];

    /// <summary>
    /// When set (on SQLite), <see cref="AddNew{T}"/> keeps new rows out of the change tracker. For a unit of work that
    /// adds thousands of rows it never changes again once saved (a batch intake: leads, events, offers, outbox rows):
    /// tracking them is most of the save's CPU. The next save inserts them first, in the same transaction as the tracked
    /// changes, reading their values at that moment; it reads back generated keys after the commit, as EF does.
    /// Queries of the unit of work do not see them (as they do not see tracked added rows either).
    /// </summary>
    public bool UntrackedInserts { get; set; }

    /// <summary>Adds a new row: tracked, or held for an untracked insert (see <see cref="UntrackedInserts"/>).</summary>
    public void AddNew<T>(T entity) where T : class
    {
        if (UntrackedInserts && Database.IsSqlite() && Model.FindEntityType(typeof(T)) is { } type && SqliteBulkInsertDatabase.CanInsertUntracked(type))
        {
            untracked.Add(entity);
        }
        else
        {
            Set<T>().Add(entity);
        }
    }

    /// <summary>Forgets everything this unit of work was going to save: the tracked changes, the untracked new rows, and the outbox rows of a save not committed.</summary>
    public void DiscardChanges()
    {
        ChangeTracker.Clear();
        untracked.Clear();
        OutboxSaving.Clear();
    }

    /// <summary>
    /// SQLite lets one writer in at a time; concurrent writers otherwise wait in its busy handler, which sleeps in steps of
    /// up to 100 ms and makes the latency tail of concurrent decisions. A unit of work that owns no explicit transaction
    /// commits in its turn on the file's <see cref="SqliteWriter"/> instead (FIFO, no sleeping). Inside an explicit
    /// transaction the caller already holds or takes the database lock itself, so it is not queued (that could deadlock
    /// against a queued writer).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!Database.IsSqlite())
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (Database.CurrentTransaction is not null)
        {
            return await SaveAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (untracked.Count == 0)
        {
            // The connection is opened before the writer's turn (SqliteBulkInsertDatabase takes it for the statements only).
            await Database.OpenConnectionAsync(cancellationToken);
            try
            {
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            finally
            {
                await Database.CloseConnectionAsync();
            }
        }
        // Untracked rows and tracked changes in one transaction of our own: all of it in one turn, the changes detected
        // before it.
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect)
        {
            ChangeTracker.DetectChanges();
        }
        return await WriteAsync(async _ =>
        {
            ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                return await SaveAsync(acceptAllChangesOnSuccess, CancellationToken.None);
            }
            finally
            {
                ChangeTracker.AutoDetectChangesEnabled = detect;
            }
        }, cancellationToken);
    }

    /// <summary>EF's save, after the untracked new rows when there are any (all in one transaction).</summary>
    private async Task<int> SaveAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (untracked.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        var ours = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)Database.GetDbConnection();
            var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)Database.CurrentTransaction!.GetDbTransaction();
            // Untracked rows first: they refer only to stored rows or to each other, tracked changes may refer to them.
            var (inserted, setGeneratedKeys) = SqliteBulkInsertDatabase.InsertUntracked(connection, transaction, Model, untracked,
                this.GetService<Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper>());
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            if (ours is not null)
            {
                await ours.CommitAsync(cancellationToken);
            }
            untracked.Clear();
            setGeneratedKeys();
            if (acceptAllChangesOnSuccess)
            {
                ChangeTracker.AcceptAllChanges();
            }
            return inserted + saved;
        }
        finally
        {
            if (ours is not null)
            {
                await ours.DisposeAsync();
            }
        }
    }

    // A pooled context serves the next unit of work after this: nothing of an unsaved one may ride along.
    public override void Dispose()
    {
        ForgetUnitOfWork();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        ForgetUnitOfWork();
        return base.DisposeAsync();
    }

    private void ForgetUnitOfWork()
    {
        untracked.Clear();
        UntrackedInserts = false;
        OutboxSaving.Clear();
        OutboxCommitted.Clear();
    }

    /// <summary>
    /// Runs a set-based write (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>) in its turn on the file's <see cref="SqliteWriter"/>,
    /// like a save. Outside the turn it would take SQLite's write lock while the writer thread holds it (or the other way
    /// round), and one of them would sleep in SQLite's busy handler, holding up every save queued behind the writer.
    /// </summary>
    public async Task<int> WriteAsync(Func<CancellationToken, Task<int>> write, CancellationToken ct = default)
    {
        if (!Database.IsSqlite() || Database.CurrentTransaction is not null)
        {
            return await write(ct);
        }
        await Database.OpenConnectionAsync(ct);
        try
        {
            return SqliteWritersExtension.For(this.GetService<IDbContextOptions>(), Database.GetConnectionString()) is { } writer
                ? await writer.RunAsync(() => write(CancellationToken.None), ct)
                : await write(ct);
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Keeps the SQLite connection open for the rest of this unit of work. EF otherwise takes a connection from the pool
    /// and gives it back around every query; a card click makes several. Closed when the context goes back to its pool.
    /// </summary>
    public async Task HoldConnectionAsync(CancellationToken ct = default)
    {
        if (Database.IsSqlite() && Database.GetDbConnection().State != System.Data.ConnectionState.Open)
        {
            await Database.OpenConnectionAsync(ct);
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TheModelDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times are UTC everywhere; SQLite cannot compare DateTimeOffset in queries (see STYLE.md).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
        configurationBuilder.Properties<ChatPlatform>().HaveConversion<ChatPlatformConverter>();
    }
}
