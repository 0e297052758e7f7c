-- AlterTable
ALTER TABLE "slack_events" ADD COLUMN     "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "slack_events_processed_at_available_at_idx" ON "slack_events"("processed_at", "available_at");
