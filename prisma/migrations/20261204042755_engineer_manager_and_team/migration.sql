-- AlterTable
ALTER TABLE "engineers" ADD COLUMN     "manager" TEXT,
ADD COLUMN     "team" TEXT;

-- CreateIndex
CREATE INDEX "engineers_manager_idx" ON "engineers"("manager");
