-- CreateEnum
CREATE TYPE "LevelSource" AS ENUM ('roster', 'admin', 'person');

-- AlterEnum
ALTER TYPE "Level" ADD VALUE 'unknown';

-- AlterTable
ALTER TABLE "engineers" ADD COLUMN     "experienced" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "level_asked_at" TIMESTAMPTZ(3),
ADD COLUMN     "level_source" "LevelSource";

-- CreateTable
CREATE TABLE "usergroup_members" (
    "usergroup_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usergroup_members_pkey" PRIMARY KEY ("usergroup_id","user_id")
);

-- CreateIndex
CREATE INDEX "usergroup_members_user_id_idx" ON "usergroup_members"("user_id");

-- People with a start date came from the roster CSV (the only place that sets one): say so.
UPDATE "engineers" SET "level_source" = 'roster' WHERE "started_on" IS NOT NULL;
