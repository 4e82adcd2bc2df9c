CREATE TABLE "Conversations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Conversations" PRIMARY KEY AUTOINCREMENT,
    "Channel" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "ConversationType" TEXT NOT NULL,
    "ServiceUrl" TEXT NULL,
    "TenantId" TEXT NULL,
    "TeamId" TEXT NULL,
    "BotId" TEXT NULL,
    "PersonId" TEXT NULL,
    "UserId" TEXT NULL,
    "Name" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);


CREATE TABLE "Departments" (
    "Code" TEXT NOT NULL CONSTRAINT "PK_Departments" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "TeamsConversationId" TEXT NULL,
    "SlackChannelId" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL
);


CREATE TABLE "DigestRuns" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DigestRuns" PRIMARY KEY AUTOINCREMENT,
    "Key" TEXT NOT NULL,
    "WeekStart" TEXT NOT NULL,
    "RanAt" TEXT NOT NULL,
    "Manual" INTEGER NOT NULL,
    "ClaimedBy" TEXT NULL
);


CREATE TABLE "Events" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Events" PRIMARY KEY AUTOINCREMENT,
    "LeadId" TEXT NOT NULL,
    "HandoffId" TEXT NULL,
    "Type" TEXT NOT NULL,
    "At" TEXT NOT NULL,
    "ActorId" TEXT NULL,
    "Actor" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "Department" TEXT NULL,
    "HandoffKind" TEXT NULL,
    "Amount" TEXT NULL,
    "Data" TEXT NULL
);


CREATE TABLE "InboundReceipts" (
    "Channel" TEXT NOT NULL,
    "EventId" TEXT NOT NULL,
    "ReceivedAt" TEXT NOT NULL,
    CONSTRAINT "PK_InboundReceipts" PRIMARY KEY ("Channel", "EventId")
);


CREATE TABLE "InboundWork" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_InboundWork" PRIMARY KEY AUTOINCREMENT,
    "Channel" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "LockedBy" TEXT NULL,
    "LockedUntil" TEXT NULL,
    "LastError" TEXT NULL
);


CREATE TABLE "Leads" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Leads" PRIMARY KEY,
    "ExternalId" TEXT NULL,
    "Name" TEXT NOT NULL,
    "Email" TEXT NULL,
    "Title" TEXT NULL,
    "Company" TEXT NOT NULL,
    "Domain" TEXT NULL,
    "Phone" TEXT NULL,
    "Source" TEXT NULL,
    "Score" INTEGER NOT NULL,
    "Stage" TEXT NOT NULL,
    "Department" TEXT NOT NULL,
    "OwnerId" TEXT NULL,
    "Amount" TEXT NULL,
    "BantBudget" TEXT NULL,
    "BantAuthority" TEXT NULL,
    "BantNeed" TEXT NULL,
    "BantTimeline" TEXT NULL,
    "LostReason" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "StageChangedAt" TEXT NOT NULL,
    "LastActivityAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);


CREATE TABLE "Outbox" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Outbox" PRIMARY KEY AUTOINCREMENT,
    "Channel" TEXT NOT NULL,
    "Target" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "HandoffId" TEXT NULL,
    "Payload" TEXT NULL,
    "DedupeKey" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "LockedBy" TEXT NULL,
    "LockedUntil" TEXT NULL,
    "SentAt" TEXT NULL,
    "LastError" TEXT NULL,
    "ExternalRef" TEXT NULL,
    "Late" INTEGER NOT NULL
);


CREATE TABLE "People" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_People" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Email" TEXT NULL,
    "Department" TEXT NOT NULL,
    "ManagerId" TEXT NULL,
    "Capacity" INTEGER NOT NULL,
    "Available" INTEGER NOT NULL,
    "Locale" TEXT NOT NULL,
    "TimeZone" TEXT NOT NULL,
    "TeamsAadObjectId" TEXT NULL,
    "TeamsUserId" TEXT NULL,
    "SlackUserId" TEXT NULL,
    "LastAssignedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);


CREATE TABLE "PostedCards" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PostedCards" PRIMARY KEY AUTOINCREMENT,
    "HandoffId" TEXT NOT NULL,
    "Channel" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "MessageId" TEXT NOT NULL,
    "OutboxMessageId" INTEGER NULL,
    "PostedAt" TEXT NOT NULL
);


CREATE TABLE "Settings" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_Settings" PRIMARY KEY,
    "Json" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);


CREATE TABLE "SlaSteps" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SlaSteps" PRIMARY KEY AUTOINCREMENT,
    "HandoffId" TEXT NOT NULL,
    "Step" TEXT NOT NULL,
    "DueAt" TEXT NOT NULL,
    "DoneAt" TEXT NOT NULL,
    "Late" INTEGER NOT NULL,
    "ClaimedBy" TEXT NULL
);


CREATE TABLE "Handoffs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Handoffs" PRIMARY KEY,
    "LeadId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "AssigneeId" TEXT NULL,
    "Routing" TEXT NOT NULL,
    "RoutingReason" TEXT NOT NULL,
    "OfferedAt" TEXT NOT NULL,
    "DeadlineAt" TEXT NOT NULL,
    "DecidedAt" TEXT NULL,
    "DecidedById" TEXT NULL,
    "RejectReason" TEXT NULL,
    "RejectNote" TEXT NULL,
    "ResponseBusinessHours" REAL NULL,
    "ResponseWallHours" REAL NULL,
    "Attempt" INTEGER NOT NULL,
    "PreviousHandoffId" TEXT NULL,
    "NextSlaCheckAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_Handoffs_Leads_LeadId" FOREIGN KEY ("LeadId") REFERENCES "Leads" ("Id") ON DELETE CASCADE
);


CREATE UNIQUE INDEX "IX_Conversations_Channel_ConversationId" ON "Conversations" ("Channel", "ConversationId");


CREATE INDEX "IX_Conversations_Channel_PersonId" ON "Conversations" ("Channel", "PersonId");


CREATE UNIQUE INDEX "IX_DigestRuns_Key" ON "DigestRuns" ("Key");


CREATE INDEX "IX_Events_LeadId_At" ON "Events" ("LeadId", "At");


CREATE INDEX "IX_Events_Type_At_LeadId" ON "Events" ("Type", "At", "LeadId");


CREATE INDEX "IX_Handoffs_AssigneeId_State" ON "Handoffs" ("AssigneeId", "State");


CREATE INDEX "IX_Handoffs_Kind_DecidedAt_Covering" ON "Handoffs" ("Kind", "DecidedAt", "State", "DeadlineAt", "ResponseBusinessHours", "ResponseWallHours", "RejectReason");


CREATE INDEX "IX_Handoffs_Kind_OfferedAt" ON "Handoffs" ("Kind", "OfferedAt");


CREATE INDEX "IX_Handoffs_LeadId_Kind_State" ON "Handoffs" ("LeadId", "Kind", "State");


CREATE INDEX "IX_Handoffs_State_DeadlineAt_Kind" ON "Handoffs" ("State", "DeadlineAt", "Kind");


CREATE INDEX "IX_Handoffs_State_NextSlaCheckAt" ON "Handoffs" ("State", "NextSlaCheckAt") WHERE "State" = 'Offered';


CREATE INDEX "IX_InboundReceipts_ReceivedAt" ON "InboundReceipts" ("ReceivedAt");


CREATE INDEX "IX_InboundWork_LockedBy" ON "InboundWork" ("LockedBy") WHERE "LockedBy" IS NOT NULL;


CREATE INDEX "IX_InboundWork_Status_NextAttemptAt" ON "InboundWork" ("Status", "NextAttemptAt");



CREATE INDEX "IX_Leads_CreatedAt" ON "Leads" ("CreatedAt");


CREATE INDEX "IX_Leads_Domain" ON "Leads" ("Domain");



CREATE UNIQUE INDEX "IX_Leads_ExternalId" ON "Leads" ("ExternalId");


CREATE INDEX "IX_Leads_Stage_LastActivityAt_Id" ON "Leads" ("Stage", "LastActivityAt", "Id");


CREATE INDEX "IX_Leads_Stage_OwnerId" ON "Leads" ("Stage", "OwnerId");


CREATE UNIQUE INDEX "IX_Outbox_DedupeKey" ON "Outbox" ("DedupeKey");


CREATE INDEX "IX_Outbox_HandoffId" ON "Outbox" ("HandoffId");


CREATE INDEX "IX_Outbox_LockedBy" ON "Outbox" ("LockedBy") WHERE "LockedBy" IS NOT NULL;


CREATE INDEX "IX_Outbox_Status_NextAttemptAt" ON "Outbox" ("Status", "NextAttemptAt");


CREATE INDEX "IX_People_Department_Available" ON "People" ("Department", "Available");


CREATE UNIQUE INDEX "IX_People_Email" ON "People" ("Email");


CREATE UNIQUE INDEX "IX_People_SlackUserId" ON "People" ("SlackUserId");


CREATE UNIQUE INDEX "IX_People_TeamsAadObjectId" ON "People" ("TeamsAadObjectId");


CREATE INDEX "IX_PostedCards_HandoffId_Channel" ON "PostedCards" ("HandoffId", "Channel");


CREATE UNIQUE INDEX "IX_PostedCards_OutboxMessageId" ON "PostedCards" ("OutboxMessageId");


CREATE UNIQUE INDEX "IX_SlaSteps_HandoffId_Step" ON "SlaSteps" ("HandoffId", "Step");



