-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Level" AS ENUM ('junior', 'mid', 'senior', 'staff');

-- CreateEnum
CREATE TYPE "ParticipationRole" AS ENUM ('learner', 'mentor', 'responder', 'volunteer');

-- CreateEnum
CREATE TYPE "ParticipationSource" AS ENUM ('auto_invite', 'volunteer', 'self_joined');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped');

-- CreateTable
CREATE TABLE "engineers" (
    "id" SERIAL NOT NULL,
    "slack_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "level" "Level" NOT NULL DEFAULT 'junior',
    "started_on" DATE,
    "is_mentor" BOOLEAN NOT NULL DEFAULT false,
    "opted_out" BOOLEAN NOT NULL DEFAULT false,
    "digest_off" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "volunteer_until" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engineers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incidents" (
    "id" SERIAL NOT NULL,
    "channel_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_private" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "mentor_slack_id" TEXT,
    "selected_at" TIMESTAMPTZ(3),

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participations" (
    "id" SERIAL NOT NULL,
    "engineer_id" INTEGER NOT NULL,
    "incident_id" INTEGER NOT NULL,
    "role" "ParticipationRole" NOT NULL,
    "source" "ParticipationSource" NOT NULL,
    "reason" TEXT,
    "invited_at" TIMESTAMPTZ(3),
    "joined_at" TIMESTAMPTZ(3),
    "left_at" TIMESTAMPTZ(3),

    CONSTRAINT "participations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_events" (
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "slack_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "incident_id" INTEGER,
    "engineer_id" INTEGER,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "due_at" TIMESTAMPTZ(3),
    "claimed_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "learnings" (
    "id" SERIAL NOT NULL,
    "incident_id" INTEGER NOT NULL,
    "engineer_id" INTEGER NOT NULL,
    "what_happened" TEXT NOT NULL,
    "check_first" TEXT NOT NULL,
    "learned" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "learnings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digests" (
    "id" SERIAL NOT NULL,
    "engineer_id" INTEGER NOT NULL,
    "week_start" DATE NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "claimed_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "engineers_slack_id_key" ON "engineers"("slack_id");

-- CreateIndex
CREATE INDEX "engineers_email_idx" ON "engineers"("email");

-- CreateIndex
CREATE UNIQUE INDEX "incidents_channel_id_key" ON "incidents"("channel_id");

-- CreateIndex
CREATE INDEX "incidents_resolved_at_opened_at_idx" ON "incidents"("resolved_at", "opened_at");

-- CreateIndex
CREATE INDEX "participations_incident_id_idx" ON "participations"("incident_id");

-- CreateIndex
CREATE INDEX "participations_engineer_id_joined_at_idx" ON "participations"("engineer_id", "joined_at");

-- CreateIndex
CREATE INDEX "participations_source_invited_at_idx" ON "participations"("source", "invited_at");

-- CreateIndex
CREATE UNIQUE INDEX "participations_engineer_id_incident_id_key" ON "participations"("engineer_id", "incident_id");

-- CreateIndex
CREATE INDEX "slack_events_processed_at_received_at_idx" ON "slack_events"("processed_at", "received_at");

-- CreateIndex
CREATE INDEX "deliveries_incident_id_kind_idx" ON "deliveries"("incident_id", "kind");

-- CreateIndex
CREATE INDEX "deliveries_engineer_id_kind_idx" ON "deliveries"("engineer_id", "kind");

-- CreateIndex
CREATE INDEX "learnings_engineer_id_created_at_idx" ON "learnings"("engineer_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "learnings_incident_id_engineer_id_key" ON "learnings"("incident_id", "engineer_id");

-- CreateIndex
CREATE UNIQUE INDEX "digests_engineer_id_week_start_key" ON "digests"("engineer_id", "week_start");

-- AddForeignKey
ALTER TABLE "participations" ADD CONSTRAINT "participations_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participations" ADD CONSTRAINT "participations_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "learnings" ADD CONSTRAINT "learnings_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "learnings" ADD CONSTRAINT "learnings_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digests" ADD CONSTRAINT "digests_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
