-- CreateEnum
CREATE TYPE "OfferStatus" AS ENUM ('open', 'accepted', 'declined', 'expired', 'withdrawn');

-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "intro_ts" TEXT,
ADD COLUMN     "no_learners_at" TIMESTAMPTZ(3),
ADD COLUMN     "no_learners_by" TEXT;

-- CreateTable
CREATE TABLE "offers" (
    "id" SERIAL NOT NULL,
    "incident_id" INTEGER NOT NULL,
    "engineer_id" INTEGER NOT NULL,
    "status" "OfferStatus" NOT NULL DEFAULT 'open',
    "source" "ParticipationSource" NOT NULL,
    "reason" TEXT,
    "offered_at" TIMESTAMPTZ(3) NOT NULL,
    "answered_at" TIMESTAMPTZ(3),
    "dm_channel" TEXT,
    "dm_ts" TEXT,

    CONSTRAINT "offers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "offers_incident_id_status_idx" ON "offers"("incident_id", "status");

-- CreateIndex
CREATE INDEX "offers_engineer_id_offered_at_idx" ON "offers"("engineer_id", "offered_at");

-- CreateIndex
CREATE UNIQUE INDEX "offers_engineer_id_incident_id_key" ON "offers"("engineer_id", "incident_id");

-- AddForeignKey
ALTER TABLE "offers" ADD CONSTRAINT "offers_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offers" ADD CONSTRAINT "offers_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
