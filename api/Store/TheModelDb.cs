using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Settings;
using TheModel.Api.Sla;

namespace TheModel.Api.Store;

/// <summary>The system of record. Entity mappings live in <c>*EntityTypeConfiguration</c> classes beside it.</summary>
public sealed class TheModelDb(DbContextOptions<TheModelDb> options) : DbContext(options)
{
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Handoff> Handoffs => Set<Handoff>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<DepartmentChannel> Departments => Set<DepartmentChannel>();
    public DbSet<LeadEvent> Events => Set<LeadEvent>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<ChatConversation> Conversations => Set<ChatConversation>();
    public DbSet<PostedCard> PostedCards => Set<PostedCard>();
    public DbSet<InboundReceipt> InboundReceipts => Set<InboundReceipt>();
    public DbSet<InboundWork> InboundWork => Set<InboundWork>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<SlaStep> SlaSteps => Set<SlaStep>();
    public DbSet<DigestRun> DigestRuns => Set<DigestRun>();

    /// <summary>Set by <see cref="Outbox.OutboxSignalInterceptor"/> while a save that queues messages is under way.</summary>
    internal bool OutboxAdded { get; set; }

    /// <summary>
    /// SQLite lets one writer in at a time; concurrent writers otherwise wait in its busy handler, which sleeps in steps of
    /// up to 100 ms and makes the latency tail of concurrent decisions. A unit of work that owns no explicit transaction
    /// commits in its turn on the file's <see cref="SqliteWriter"/> instead (FIFO, no sleeping). Inside an explicit
    /// transaction the caller already holds or takes the database lock itself, so it is not queued (that could deadlock
    /// against a queued writer).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (Database.CurrentTransaction is not null || !Database.IsSqlite())
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        // What can be done before our turn is done before it: finding the changes and opening the connection. The
        // writer's turn then holds only the statements and the commit.
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect)
        {
            ChangeTracker.DetectChanges();
        }
        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await SqliteWriter.For(Database.GetConnectionString() ?? "").RunAsync(async () =>
            {
                ChangeTracker.AutoDetectChangesEnabled = false;
                try
                {
                    return await base.SaveChangesAsync(acceptAllChangesOnSuccess, CancellationToken.None);
                }
                finally
                {
                    ChangeTracker.AutoDetectChangesEnabled = detect;
                }
            }, cancellationToken);
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
    }
}
