using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TheModel.Api.Conversations;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Queue;
using TheModel.Api.Settings;
using TheModel.Api.Sla;

namespace TheModel.Api.Store;

internal sealed class LeadEntityTypeConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.HasIndex(x => x.ExternalId).IsUnique();
        b.Property(x => x.Name).HasMaxLength(200);
        // No index on Email or Company: every search of them (case-folded equality, LIKE '%…%') reads the whole table
        // anyway, and each index costs every intake an insert per lead.
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.Company).HasMaxLength(200);
        b.Property(x => x.Domain).HasMaxLength(200);
        b.HasIndex(x => x.Domain);
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Phone).HasMaxLength(50);
        b.Property(x => x.Source).HasMaxLength(100);
        b.Property(x => x.LostReason).HasMaxLength(500);
        b.Property(x => x.Stage).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Department).HasConversion<string>().HasMaxLength(4);
        b.HasIndex(x => new { x.Stage, x.OwnerId });
        // Open SQL leads by last activity, from the index alone: the neglect nudges and the digest's neglected list.
        b.HasIndex(x => new { x.Stage, x.LastActivityAt, x.Id });
        b.HasIndex(x => x.CreatedAt);
        // The renewal sweep reads customers whose renewal comes up soon from this index alone.
        b.HasIndex(x => x.RenewalDueAt);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Temperature);
        b.OwnsOne(x => x.Bant, bant =>
        {
            bant.Property(x => x.Budget).HasColumnName("BantBudget");
            bant.Property(x => x.Authority).HasColumnName("BantAuthority").HasMaxLength(200);
            bant.Property(x => x.Need).HasColumnName("BantNeed").HasMaxLength(500);
            bant.Property(x => x.Timeline).HasColumnName("BantTimeline").HasMaxLength(200);
            bant.Ignore(x => x.IsComplete);
        });
        b.Navigation(x => x.Bant).IsRequired();
    }
}

internal sealed class HandoffEntityTypeConfiguration : IEntityTypeConfiguration<Handoff>
{
    public void Configure(EntityTypeBuilder<Handoff> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Routing).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RejectReason).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RoutingReason).HasMaxLength(500);
        // JSON, read back as the record (value equality, so change tracking compares the facts themselves).
        b.Property(x => x.RoutingFacts).HasConversion(f => f == null ? null : f.ToJson(), json => Routing.RoutingFacts.FromJson(json))
            .HasMaxLength(1000);
        b.Property(x => x.RejectNote).HasMaxLength(1000);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.From);
        b.Ignore(x => x.To);
        b.Ignore(x => x.IsOpen);
        b.Ignore(x => x.WithinSla);
        b.HasOne<Lead>().WithMany().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
        // A lead's handoffs; with kind and state it answers "has an accepted SqlToFs" without reading the table.
        b.HasIndex(x => new { x.LeadId, x.Kind, x.State });
        // "What is due": open offers by deadline (with the kind, the dropped-balls KPI reads only the index); a person's queue.
        b.HasIndex(x => new { x.State, x.DeadlineAt, x.Kind });
        // The SLA sweep's "next check due": open offers only, so a decision only removes its entry (no insert) and the
        // index stays the size of the open queue.
        b.HasIndex(x => new { x.State, x.NextSlaCheckAt }).HasFilter("\"State\" = 'Offered'");
        b.HasIndex(x => new { x.AssigneeId, x.State });
        // KPIs: decisions in a period by kind.
        // Covering: acceptance, SLA compliance, response-time percentiles and reject reasons read only this index (PERFORMANCE.md).
        b.HasIndex(x => new { x.Kind, x.DecidedAt, x.State, x.DeadlineAt, x.ResponseBusinessHours, x.ResponseWallHours, x.RejectReason })
            .HasDatabaseName("IX_Handoffs_Kind_DecidedAt_Covering");
        b.HasIndex(x => new { x.Kind, x.OfferedAt });
    }
}

internal sealed class PersonEntityTypeConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Email).HasMaxLength(320);
        b.HasIndex(x => x.Email).IsUnique();
        b.Property(x => x.Department).HasConversion<string>().HasMaxLength(4);
        // The default fills existing rows when the column is added; new rows always carry their role (ValueGeneratedNever keeps
        // People in the bulk-insert path, which takes no store-generated values).
        b.Property(x => x.Role).HasConversion<string>().HasMaxLength(16).HasDefaultValue(PersonRole.Member).ValueGeneratedNever();
        b.Property(x => x.Locale).HasMaxLength(20);
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.Property(x => x.TeamsAadObjectId).HasMaxLength(64);
        b.HasIndex(x => x.TeamsAadObjectId).IsUnique();
        b.Property(x => x.TeamsUserId).HasMaxLength(200);
        b.Property(x => x.SlackUserId).HasMaxLength(64);
        b.HasIndex(x => x.SlackUserId).IsUnique();
        b.HasIndex(x => new { x.Department, x.Available });
        b.Ignore(x => x.PrefersJapanese);
    }
}

internal sealed class JoinRequestEntityTypeConfiguration : IEntityTypeConfiguration<JoinRequest>
{
    public void Configure(EntityTypeBuilder<JoinRequest> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Channel).HasMaxLength(16);
        b.Property(x => x.UserId).HasMaxLength(200);
        b.Property(x => x.AadObjectId).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.Locale).HasMaxLength(20);
        b.Property(x => x.Department).HasConversion<string>().HasMaxLength(4);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        // One open request per chat user; a second join finds it.
        b.HasIndex(x => new { x.Channel, x.UserId, x.State });
        b.Ignore(x => x.Code);
    }
}

internal sealed class DepartmentChannelEntityTypeConfiguration : IEntityTypeConfiguration<DepartmentChannel>
{
    public void Configure(EntityTypeBuilder<DepartmentChannel> b)
    {
        b.ToTable("Departments");
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasConversion<string>().HasMaxLength(4);
        b.Property(x => x.DisplayName).HasMaxLength(100);
        b.Property(x => x.TeamsConversationId).HasMaxLength(300);
        b.Property(x => x.SlackChannelId).HasMaxLength(64);
    }
}

internal sealed class LeadEventEntityTypeConfiguration : IEntityTypeConfiguration<LeadEvent>
{
    public void Configure(EntityTypeBuilder<LeadEvent> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Type).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Department).HasConversion<string>().HasMaxLength(4);
        b.Property(x => x.HandoffKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Actor).HasMaxLength(200);
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.HasIndex(x => new { x.LeadId, x.At });
        // KPIs count distinct leads with an event of a type in a period: covering, so the table is never read.
        b.HasIndex(x => new { x.Type, x.At, x.LeadId });
    }
}

internal sealed class OutboxMessageEntityTypeConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("Outbox");
        b.HasKey(x => x.Id);
        b.Property(x => x.Channel).HasMaxLength(16);
        b.Property(x => x.Target).HasMaxLength(500);
        b.Property(x => x.Kind).HasMaxLength(64);
        b.Property(x => x.DedupeKey).HasMaxLength(600);
        b.HasIndex(x => x.DedupeKey).IsUnique();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ExternalRef).HasMaxLength(300);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => x.HandoffId);
        QueueRowConfiguration.Lease(b);
    }
}

internal sealed class ChatConversationEntityTypeConfiguration : IEntityTypeConfiguration<ChatConversation>
{
    public void Configure(EntityTypeBuilder<ChatConversation> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Channel).HasMaxLength(16);
        b.Property(x => x.ConversationId).HasMaxLength(300);
        b.HasIndex(x => new { x.Channel, x.ConversationId }).IsUnique();
        b.HasIndex(x => new { x.Channel, x.PersonId });
        b.Property(x => x.ConversationType).HasMaxLength(32);
        b.Property(x => x.ServiceUrl).HasMaxLength(500);
        b.Property(x => x.TenantId).HasMaxLength(64);
        b.Property(x => x.TeamId).HasMaxLength(300);
        b.Property(x => x.BotId).HasMaxLength(300);
        b.Property(x => x.UserId).HasMaxLength(300);
        b.Property(x => x.Name).HasMaxLength(300);
    }
}

internal sealed class PostedCardEntityTypeConfiguration : IEntityTypeConfiguration<PostedCard>
{
    public void Configure(EntityTypeBuilder<PostedCard> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Channel).HasMaxLength(16);
        b.Property(x => x.ConversationId).HasMaxLength(300);
        b.Property(x => x.MessageId).HasMaxLength(300);
        b.HasIndex(x => new { x.HandoffId, x.Channel });
        b.HasIndex(x => x.OutboxMessageId).IsUnique();
    }
}

internal sealed class InboundReceiptEntityTypeConfiguration : IEntityTypeConfiguration<InboundReceipt>
{
    public void Configure(EntityTypeBuilder<InboundReceipt> b)
    {
        b.HasKey(x => new { x.Channel, x.EventId });
        b.Property(x => x.Channel).HasMaxLength(16);
        b.Property(x => x.EventId).HasMaxLength(300);
        b.HasIndex(x => x.ReceivedAt);
    }
}

internal sealed class InboundWorkEntityTypeConfiguration : IEntityTypeConfiguration<InboundWork>
{
    public void Configure(EntityTypeBuilder<InboundWork> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Channel).HasMaxLength(16);
        b.Property(x => x.Kind).HasMaxLength(64);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        QueueRowConfiguration.Lease(b);
    }
}

/// <summary>The lease columns every durable queue's table has (<see cref="IQueueRow"/>), mapped the same for each.</summary>
internal static class QueueRowConfiguration
{
    public static void Lease<T>(EntityTypeBuilder<T> b) where T : class, IQueueRow
    {
        b.Property(nameof(IQueueRow.LockedBy)).HasMaxLength(100);
        // The queue reads back the rows it has just claimed. Only claimed rows are in the index: a new row (every card,
        // reminder, reply, click) is not written to it.
        b.HasIndex(nameof(IQueueRow.LockedBy)).HasFilter("\"LockedBy\" IS NOT NULL");
    }
}

internal sealed class SettingEntityTypeConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> b)
    {
        b.HasKey(x => x.Key);
        b.Property(x => x.Key).HasMaxLength(64);
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class SlaStepEntityTypeConfiguration : IEntityTypeConfiguration<SlaStep>
{
    public void Configure(EntityTypeBuilder<SlaStep> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Step).HasMaxLength(32);
        b.Property(x => x.ClaimedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.HandoffId, x.Step }).IsUnique();
    }
}

internal sealed class LeadStepEntityTypeConfiguration : IEntityTypeConfiguration<LeadStep>
{
    public void Configure(EntityTypeBuilder<LeadStep> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Step).HasMaxLength(64);
        b.Property(x => x.ClaimedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.LeadId, x.Step }).IsUnique();
    }
}

internal sealed class LeadActivityEntityTypeConfiguration : IEntityTypeConfiguration<LeadActivity>
{
    public void Configure(EntityTypeBuilder<LeadActivity> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.ExternalId).HasMaxLength(200);
        b.HasIndex(x => x.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        b.HasIndex(x => new { x.LeadId, x.At });
        b.Ignore(x => x.IsContact);
    }
}

internal sealed class ContactClockEntityTypeConfiguration : IEntityTypeConfiguration<ContactClock>
{
    public void Configure(EntityTypeBuilder<ContactClock> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Stage).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.LeadId, x.Stage, x.StartedAt }).IsUnique();
        b.HasIndex(x => x.NextCheckAt);
        b.HasIndex(x => new { x.Stage, x.StartedAt });
    }
}

internal sealed class DigestRunEntityTypeConfiguration : IEntityTypeConfiguration<DigestRun>
{
    public void Configure(EntityTypeBuilder<DigestRun> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Key).HasMaxLength(100);
        b.HasIndex(x => x.Key).IsUnique();
        b.Property(x => x.ClaimedBy).HasMaxLength(100);
    }
}
