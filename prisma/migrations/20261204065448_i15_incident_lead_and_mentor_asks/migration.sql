-- CreateEnum
CREATE TYPE "MentorAskState" AS ENUM ('open', 'accepted', 'declined', 'timed_out', 'withdrawn');

-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "lead_slack_id" TEXT,
ADD COLUMN     "mentor_dm_channel" TEXT,
ADD COLUMN     "mentor_dm_ts" TEXT;

-- CreateTable
CREATE TABLE "mentor_asks" (
    "id" SERIAL NOT NULL,
    "incident_id" INTEGER NOT NULL,
    "engineer_id" INTEGER NOT NULL,
    "state" "MentorAskState" NOT NULL DEFAULT 'open',
    "asked_at" TIMESTAMPTZ(3) NOT NULL,
    "answered_at" TIMESTAMPTZ(3),
    "dm_channel" TEXT,
    "dm_ts" TEXT,

    CONSTRAINT "mentor_asks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "mentor_asks_incident_id_state_idx" ON "mentor_asks"("incident_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "mentor_asks_incident_id_engineer_id_key" ON "mentor_asks"("incident_id", "engineer_id");

-- AddForeignKey
ALTER TABLE "mentor_asks" ADD CONSTRAINT "mentor_asks_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mentor_asks" ADD CONSTRAINT "mentor_asks_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
