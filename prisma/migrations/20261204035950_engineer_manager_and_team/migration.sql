-- AlterTable
ALTER TABLE "engineers" ADD COLUMN     "manager" TEXT,
ADD COLUMN     "team" TEXT;
