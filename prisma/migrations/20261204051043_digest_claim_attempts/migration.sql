-- AlterTable
ALTER TABLE "digests" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0;
