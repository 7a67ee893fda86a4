-- CreateTable
CREATE TABLE "escalation_job" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "pupil_ids" UUID[],
    "as_of" DATE NOT NULL,
    "enqueued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "created_actions" INTEGER,
    "last_error" TEXT,

    CONSTRAINT "escalation_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "escalation_job_academy_id_enqueued_at_idx" ON "escalation_job"("academy_id", "enqueued_at");

-- AddForeignKey
ALTER TABLE "escalation_job" ADD CONSTRAINT "escalation_job_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ─── Written by hand ──────────────────────────────────────────────────────────

-- Escalation evaluation leaves the register request (issue 17, item 4): the
-- job row commits with the register or the amendment, in the same
-- transaction, so a crash between the write and its evaluation loses nothing
-- (the transactional outbox pattern, as webhook_delivery already is).

-- What the worker claims: the jobs still owed, by when they may run. Partial,
-- so finished jobs (kept a while for the API to answer about them, then
-- pruned) never enter it and the claim's scan stays as small as the backlog.
CREATE INDEX "escalation_job_due_idx" ON "escalation_job" ("run_after")
  WHERE "finished_at" IS NULL AND "failed_at" IS NULL;
-- Pruning finished jobs after their retention.
CREATE INDEX "escalation_job_finished_idx" ON "escalation_job" ("finished_at")
  WHERE "finished_at" IS NOT NULL;

-- The application role queues a job in the write's transaction and runs it in
-- the worker's tenant transaction (as a request would: the same row-level
-- security, migration 20261204230000_database_roles); claiming and pruning
-- across trusts are the owner's, like the webhook dispatcher's. No DELETE.
GRANT SELECT, INSERT ON "escalation_job" TO attendance_app;
GRANT UPDATE ("attempts", "run_after", "locked_until", "finished_at", "failed_at", "created_actions", "last_error") ON "escalation_job" TO attendance_app;
ALTER TABLE "escalation_job" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "escalation_job" FORCE ROW LEVEL SECURITY;
CREATE POLICY trust_isolation ON "escalation_job"
  USING (academy_id = ANY ((SELECT app_academy_ids())::uuid[]))
  WITH CHECK (academy_id = ANY ((SELECT app_academy_ids())::uuid[]));
