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

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TheModelDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times are UTC everywhere; SQLite cannot compare DateTimeOffset in queries (see STYLE.md).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
    }
}
