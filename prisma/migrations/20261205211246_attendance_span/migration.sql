-- CreateTable
CREATE TABLE "attendance_span" (
    "academy_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "span_start" DATE NOT NULL,
    "possible" SMALLINT[],
    "present" SMALLINT[],
    "approved" SMALLINT[],
    "authorised" SMALLINT[],
    "unauthorised" SMALLINT[],
    "late_l" SMALLINT[],
    "late_u" SMALLINT[],

    CONSTRAINT "attendance_span_pkey" PRIMARY KEY ("academy_id","pupil_id","span_start")
);

-- ─── Written by hand ──────────────────────────────────────────────────────────

-- attendance_span holds running totals of attendance_week, so that a period's
-- whole weeks cost two array elements per pupil instead of one row per pupil
-- and week: a trust's school year read 1.17 million attendance_week rows and
-- grouped them by pupil (issue 17, README "Benchmarks"). Element k of each
-- array counts the span's weeks 1..k; a week without marks (a holiday)
-- carries the total before it, so the arrays are dense. Spans are 64 weeks
-- from 2000-01-03 (a Monday), plain arithmetic with no calendar in it, so a
-- school year crosses at most one span boundary. smallint is enough (64 weeks
-- × 10 sessions = 640) and keeps a row near 1 kB, under the size at which
-- PostgreSQL would compress it out of line.

-- The Monday a week's span starts on.
CREATE FUNCTION "attendance_span_start"(d date) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN DATE '2000-01-03' + (floor((d - DATE '2000-01-03') / 448.0)::int * 448);

-- The count of weeks lo+1..hi of a running total (elements before 1 are 0,
-- beyond its length the last): what statistics/sql.ts reads.
CREATE FUNCTION "span_between"(c smallint[], lo int, hi int) RETURNS int
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN coalesce(c[least(hi, cardinality(c))], 0) - coalesce(c[least(greatest(lo, 0), cardinality(c))], 0);

-- Recomputes the spans named by three parallel arrays from attendance_week.
CREATE FUNCTION "attendance_span_refresh_keys"(p_academy uuid[], p_pupil uuid[], p_span date[]) RETURNS void
  LANGUAGE sql AS $$
  WITH k AS (
    SELECT DISTINCT * FROM unnest(p_academy, p_pupil, p_span) AS k(academy_id, pupil_id, span_start)
  ), weeks AS (
    SELECT k.academy_id, k.pupil_id, k.span_start, (aw.week_start - k.span_start) / 7 + 1 AS n,
           aw.possible, aw.present, aw.approved, aw.authorised, aw.unauthorised, aw.late_l, aw.late_u
    FROM k JOIN attendance_week aw ON aw.academy_id = k.academy_id AND aw.pupil_id = k.pupil_id
     AND aw.week_start >= k.span_start AND aw.week_start < k.span_start + 448
  ), dense AS (
    -- Every week up to the last with marks, the number a column of its own
    -- (in FROM, not a set-returning select list), so that the join below is on
    -- all four keys rather than filtered row by row.
    SELECT x.academy_id, x.pupil_id, x.span_start, g.n
    FROM (SELECT academy_id, pupil_id, span_start, max(n) AS last FROM weeks GROUP BY 1, 2, 3) x
    CROSS JOIN LATERAL generate_series(1, x.last) AS g(n)
  ), running AS (
    SELECT d.academy_id, d.pupil_id, d.span_start, d.n,
           sum(coalesce(w.possible, 0)) OVER r AS possible, sum(coalesce(w.present, 0)) OVER r AS present,
           sum(coalesce(w.approved, 0)) OVER r AS approved, sum(coalesce(w.authorised, 0)) OVER r AS authorised,
           sum(coalesce(w.unauthorised, 0)) OVER r AS unauthorised, sum(coalesce(w.late_l, 0)) OVER r AS late_l,
           sum(coalesce(w.late_u, 0)) OVER r AS late_u
    FROM dense d LEFT JOIN weeks w USING (academy_id, pupil_id, span_start, n)
    WINDOW r AS (PARTITION BY d.academy_id, d.pupil_id, d.span_start ORDER BY d.n)
  )
  INSERT INTO attendance_span (academy_id, pupil_id, span_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT academy_id, pupil_id, span_start,
         array_agg(possible::smallint ORDER BY n), array_agg(present::smallint ORDER BY n),
         array_agg(approved::smallint ORDER BY n), array_agg(authorised::smallint ORDER BY n),
         array_agg(unauthorised::smallint ORDER BY n), array_agg(late_l::smallint ORDER BY n),
         array_agg(late_u::smallint ORDER BY n)
  FROM running GROUP BY 1, 2, 3
  ON CONFLICT (academy_id, pupil_id, span_start) DO UPDATE SET
    possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u
$$;

-- Kept after each statement that writes attendance_week (which the
-- current_mark triggers write after every register and amendment). Weeks are
-- never deleted (marks never are), so the spans only grow or change.
CREATE FUNCTION "attendance_span_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM attendance_span_refresh_keys(array_agg(academy_id), array_agg(pupil_id), array_agg(span_start))
  FROM (SELECT DISTINCT academy_id, pupil_id, attendance_span_start(week_start) AS span_start FROM changed) k;
  RETURN NULL;
END
$$;

CREATE TRIGGER "attendance_week_span_insert" AFTER INSERT ON "attendance_week"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_span_refresh"();
CREATE TRIGGER "attendance_week_span_update" AFTER UPDATE ON "attendance_week"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_span_refresh"();

-- For a bulk load that skipped the triggers (session_replication_role =
-- replica, packages/db/src/synthetic): an academy's spans, all at once.
CREATE FUNCTION "attendance_span_rebuild"(p_academy uuid) RETURNS void LANGUAGE sql AS $$
  SELECT attendance_span_refresh_keys(array_agg(academy_id), array_agg(pupil_id), array_agg(span_start))
  FROM (SELECT DISTINCT academy_id, pupil_id, attendance_span_start(week_start) AS span_start
        FROM attendance_week WHERE academy_id = p_academy) k
$$;

-- As attendance_week (migration database_roles): written by the triggers,
-- as their owner, and read by the service under row-level security.
GRANT SELECT ON "attendance_span" TO attendance_app;
ALTER FUNCTION "attendance_span_refresh"() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER TABLE "attendance_span" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "attendance_span" FORCE ROW LEVEL SECURITY;
CREATE POLICY trust_isolation ON "attendance_span" USING (academy_id = ANY ((SELECT app_academy_ids())::uuid[]))
  WITH CHECK (academy_id = ANY ((SELECT app_academy_ids())::uuid[]));
ALTER TABLE "attendance_span" SET (autovacuum_analyze_scale_factor = 0.002, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_scale_factor = 0.02);

-- The weeks already recorded.
SELECT attendance_span_rebuild(id) FROM academy;
