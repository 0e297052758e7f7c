-- CreateEnum
CREATE TYPE "PracticeStatus" AS ENUM ('running', 'stopped', 'finished');

-- CreateTable
CREATE TABLE "practices" (
    "id" SERIAL NOT NULL,
    "engineer_id" INTEGER NOT NULL,
    "incident_id" INTEGER NOT NULL,
    "status" "PracticeStatus" NOT NULL DEFAULT 'running',
    "round" INTEGER NOT NULL DEFAULT 1,
    "rounds" INTEGER NOT NULL,
    "shown" INTEGER NOT NULL DEFAULT 0,
    "answers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "what_happened" TEXT,
    "check_first" TEXT,
    "learned" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "practices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "practice_exclusions" (
    "channel_id" TEXT NOT NULL,
    "excluded_by" TEXT NOT NULL,
    "excluded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "practice_exclusions_pkey" PRIMARY KEY ("channel_id")
);

-- CreateIndex
CREATE INDEX "practices_engineer_id_started_at_idx" ON "practices"("engineer_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "practices_engineer_id_incident_id_key" ON "practices"("engineer_id", "incident_id");

-- AddForeignKey
ALTER TABLE "practices" ADD CONSTRAINT "practices_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "engineers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practices" ADD CONSTRAINT "practices_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
