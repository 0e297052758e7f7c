-- CreateIndex
CREATE INDEX "deliveries_kind_status_due_at_idx" ON "deliveries"("kind", "status", "due_at");
