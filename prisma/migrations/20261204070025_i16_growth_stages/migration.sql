-- CreateEnum
CREATE TYPE "Stage" AS ENUM ('observer', 'scribe', 'investigator', 'lead_shadow');

-- CreateEnum
CREATE TYPE "MentorDecision" AS ENUM ('ready', 'not_yet');

-- CreateEnum
CREATE TYPE "StageChangeBy" AS ENUM ('mentor', 'admin');

-- AlterTable
ALTER TABLE "engineers" ADD COLUMN     "stage" "Stage" NOT NULL DEFAULT 'observer';

-- AlterTable
ALTER TABLE "participations" ADD COLUMN     "stage" "Stage";

-- AlterTable
ALTER TABLE "learnings" ADD COLUMN     "mentor_replied_at" TIMESTAMPTZ(3),
ADD COLUMN     "mentor_reply" TEXT,
ADD COLUMN     "mentor_reply_by" TEXT,
ADD COLUMN     "shared_with_mentor" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "stage_decisions" (
    "id" SERIAL NOT NULL,
    "incident_id" INTEGER NOT NULL,
    "engineer_id" INTEGER NOT NULL,
    "mentor_slack_id" TEXT NOT NULL,
    "decision" "MentorDecision" NOT NULL,
    "note" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stage_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_changes" (
    "id" SERIAL NOT NULL,
    "engineer_id" INTEGER NOT NULL,
    "from_stage" "Stage",
    "to_stage" "Stage" NOT NULL,
    "by" "StageChangeBy" NOT NULL,
    "by_slack_id" TEXT,
    "incident_id" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stage_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stage_decisions_engineer_id_decided_at_idx" ON "stage_decisions"("engineer_id", "decided_at");

-- CreateIndex
CREATE UNIQUE INDEX "stage_decisions_incident_id_engineer_id_key" ON "stage_decisions"("incident_id", "engineer_id");

-- CreateIndex
CREATE INDEX "stage_changes_engineer_id_at_idx" ON "stage_changes"("engineer_id", "at");

-- AddForeignKey
ALTER TABLE "stage_decisions" ADD CONSTRAINT "stage_decisions_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_decisions" ADD CONSTRAINT "stage_decisions_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_changes" ADD CONSTRAINT "stage_changes_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
