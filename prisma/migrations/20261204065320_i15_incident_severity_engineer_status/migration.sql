-- AlterTable
ALTER TABLE "engineers" ADD COLUMN     "status_emoji" TEXT,
ADD COLUMN     "status_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "status_text" TEXT;

-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "severity" SMALLINT;
