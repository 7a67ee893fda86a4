-- CreateIndex
CREATE INDEX "attendance_span_pupil_id_span_start_idx" ON "attendance_span"("pupil_id", "span_start");

-- ─── Written by hand ──────────────────────────────────────────────────────────

-- A page of pupils' figures (an officer's forms: a thousand pupils) reads the
-- running totals by pupil id. Under row-level security the only index was
-- the primary key, (academy_id, pupil_id, span_start), with the policy's
-- academies as its first column: PostgreSQL 15 probed it once for every
-- academy and pupil pair, 30 × 1,000 probes and 90,000 buffers (22 ms) on
-- the benchmark trust to find 2,000 rows. By pupil it is 1,000 probes
-- (README, Benchmarks, "The officer's forms").
