-- CreateEnum
CREATE TYPE "IncidentSource" AS ENUM ('live', 'backfill');

-- AlterEnum
ALTER TYPE "ParticipationSource" ADD VALUE 'backfill';

-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "source" "IncidentSource" NOT NULL DEFAULT 'live';
