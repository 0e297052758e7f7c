-- AlterTable
ALTER TABLE "engineers" ALTER COLUMN "level" SET DEFAULT 'unknown';
