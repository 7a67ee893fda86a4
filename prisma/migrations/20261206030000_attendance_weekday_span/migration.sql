-- CreateTable
CREATE TABLE "attendance_weekday_span" (
    "academy_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "span_start" DATE NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "possible" SMALLINT[],
    "present" SMALLINT[],
    "approved" SMALLINT[],
    "authorised" SMALLINT[],
    "unauthorised" SMALLINT[],
    "late_l" SMALLINT[],
    "late_u" SMALLINT[],

    CONSTRAINT "attendance_weekday_span_pkey" PRIMARY KEY ("academy_id","pupil_id","span_start","weekday")
);

-- ─── Written by hand ──────────────────────────────────────────────────────────

-- attendance_weekday_span: attendance_span's running totals split by ISO
-- weekday, so that a day-of-week breakdown reads two array elements per
-- pupil, span and weekday for a period's whole weeks instead of every current
-- mark of the period (issue 17 item 2; a trust's school year read 11.5
-- million marks, README "Benchmarks"). Element k of each array counts the
-- weekday's sessions in the span's weeks 1..k, as attendance_span (same
-- 448-day spans, same span_between reader; a week without marks on that
-- weekday carries the total before it). A pupil's persistent-absence test
-- per weekday is over that weekday's sessions in the period, summed over
-- their academies (SI 2024/208 reg. 10, table 1: each current mark once, a
-- dual-registered pupil's sessions at the other school being D, not
-- possible), which is why the totals are per pupil: the counts of absent
-- pupils do not add across pupils. attendance_week has no weekdays, so this
-- table is kept from current_mark itself.

-- The spans named by three parallel arrays, recomputed from current_mark:
-- for the migration, bulk loads (packages/db/src/synthetic) and the demo's
-- set-based writer (whose test holds the trigger's increments to it, row for
-- row). Each weekday's arrays run to the last week with a mark on that
-- weekday, as the trigger leaves them.
CREATE FUNCTION "attendance_weekday_span_refresh_keys"(p_academy uuid[], p_pupil uuid[], p_span date[]) RETURNS void
  LANGUAGE sql AS $$
  WITH k AS (
    SELECT DISTINCT * FROM unnest(p_academy, p_pupil, p_span) AS k(academy_id, pupil_id, span_start)
  ), weeks AS (
    SELECT k.academy_id, k.pupil_id, k.span_start, extract(isodow FROM cm.date)::smallint AS weekday, (cm.date - k.span_start) / 7 + 1 AS n,
           count(*) FILTER (WHERE cm.category <> 'NOT_POSSIBLE') AS possible,
           count(*) FILTER (WHERE cm.category = 'PRESENT') AS present,
           count(*) FILTER (WHERE cm.category = 'APPROVED_ACTIVITY') AS approved,
           count(*) FILTER (WHERE cm.category = 'AUTHORISED_ABSENCE') AS authorised,
           count(*) FILTER (WHERE cm.category = 'UNAUTHORISED_ABSENCE') AS unauthorised,
           count(*) FILTER (WHERE cm.code = 'L' AND cm.category = 'PRESENT') AS late_l,
           count(*) FILTER (WHERE cm.code = 'U' AND cm.category = 'UNAUTHORISED_ABSENCE') AS late_u
    FROM k JOIN current_mark cm ON cm.academy_id = k.academy_id AND cm.pupil_id = k.pupil_id
     AND cm.date >= k.span_start AND cm.date < k.span_start + 448
    GROUP BY 1, 2, 3, 4, 5
  ), dense AS (
    SELECT x.academy_id, x.pupil_id, x.span_start, x.weekday, g.n
    FROM (SELECT academy_id, pupil_id, span_start, weekday, max(n) AS last FROM weeks GROUP BY 1, 2, 3, 4) x
    CROSS JOIN LATERAL generate_series(1, x.last) AS g(n)
  ), running AS (
    SELECT d.academy_id, d.pupil_id, d.span_start, d.weekday, d.n,
           sum(coalesce(w.possible, 0)) OVER r AS possible, sum(coalesce(w.present, 0)) OVER r AS present,
           sum(coalesce(w.approved, 0)) OVER r AS approved, sum(coalesce(w.authorised, 0)) OVER r AS authorised,
           sum(coalesce(w.unauthorised, 0)) OVER r AS unauthorised, sum(coalesce(w.late_l, 0)) OVER r AS late_l,
           sum(coalesce(w.late_u, 0)) OVER r AS late_u
    FROM dense d LEFT JOIN weeks w USING (academy_id, pupil_id, span_start, weekday, n)
    WINDOW r AS (PARTITION BY d.academy_id, d.pupil_id, d.span_start, d.weekday ORDER BY d.n)
  )
  INSERT INTO attendance_weekday_span (academy_id, pupil_id, span_start, weekday, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT academy_id, pupil_id, span_start, weekday,
         array_agg(possible::smallint ORDER BY n), array_agg(present::smallint ORDER BY n),
         array_agg(approved::smallint ORDER BY n), array_agg(authorised::smallint ORDER BY n),
         array_agg(unauthorised::smallint ORDER BY n), array_agg(late_l::smallint ORDER BY n),
         array_agg(late_u::smallint ORDER BY n)
  FROM running GROUP BY 1, 2, 3, 4
  ON CONFLICT (academy_id, pupil_id, span_start, weekday) DO UPDATE SET
    possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u
$$;

-- For a bulk load that skipped the triggers (session_replication_role =
-- replica, packages/db/src/synthetic): an academy's spans, all at once.
CREATE FUNCTION "attendance_weekday_span_rebuild"(p_academy uuid) RETURNS void LANGUAGE sql AS $$
  SELECT attendance_weekday_span_refresh_keys(array_agg(academy_id), array_agg(pupil_id), array_agg(span_start))
  FROM (SELECT DISTINCT academy_id, pupil_id, attendance_span_start(week_start) AS span_start
        FROM attendance_week WHERE academy_id = p_academy) k
$$;

-- Adds each mark's change in counts (parallel arrays, one element a
-- current_mark row: its date and 0/1 or 0/-1 counts; an amended row comes
-- twice, its new counts and its old ones negated) to its week's element of
-- its weekday's span and every later one, as attendance_span_add does: the
-- elements before the first week changed stay as they are, so a register
-- for this week writes one element a pupil.
CREATE FUNCTION "attendance_weekday_span_add"(p_academy uuid[], p_pupil uuid[], p_date date[], p_possible int[], p_present int[],
    p_approved int[], p_authorised int[], p_unauthorised int[], p_late_l int[], p_late_u int[]) RETURNS void
  LANGUAGE sql AS $$
  WITH delta AS (
    SELECT academy_id, pupil_id, attendance_span_start(day) AS span_start, extract(isodow FROM day)::smallint AS weekday,
           (day - attendance_span_start(day)) / 7 + 1 AS n,
           sum(possible) AS possible, sum(present) AS present, sum(approved) AS approved, sum(authorised) AS authorised,
           sum(unauthorised) AS unauthorised, sum(late_l) AS late_l, sum(late_u) AS late_u
    FROM unnest(p_academy, p_pupil, p_date, p_possible, p_present, p_approved, p_authorised, p_unauthorised, p_late_l, p_late_u)
      AS c(academy_id, pupil_id, day, possible, present, approved, authorised, unauthorised, late_l, late_u)
    GROUP BY 1, 2, 3, 4, 5
  ), spans AS (
    SELECT academy_id, pupil_id, span_start, weekday, min(n) AS first, max(n) AS last FROM delta GROUP BY 1, 2, 3, 4
  ), bounds AS (
    SELECT k.academy_id, k.pupil_id, k.span_start, k.weekday,
           least(k.first, coalesce(cardinality(s.possible), 0) + 1) AS start,
           greatest(k.last, coalesce(cardinality(s.possible), 0)) AS stop,
           s.possible AS old_possible, s.present AS old_present, s.approved AS old_approved, s.authorised AS old_authorised, s.unauthorised AS old_unauthorised, s.late_l AS old_late_l, s.late_u AS old_late_u
    FROM spans k
    LEFT JOIN attendance_weekday_span s
      ON s.academy_id = k.academy_id AND s.pupil_id = k.pupil_id AND s.span_start = k.span_start AND s.weekday = k.weekday
  ), grid AS (
    SELECT b.academy_id, b.pupil_id, b.span_start, b.weekday, g.n,
           coalesce(b.old_possible[least(g.n, cardinality(b.old_possible))], 0) AS possible,
           coalesce(b.old_present[least(g.n, cardinality(b.old_present))], 0) AS present,
           coalesce(b.old_approved[least(g.n, cardinality(b.old_approved))], 0) AS approved,
           coalesce(b.old_authorised[least(g.n, cardinality(b.old_authorised))], 0) AS authorised,
           coalesce(b.old_unauthorised[least(g.n, cardinality(b.old_unauthorised))], 0) AS unauthorised,
           coalesce(b.old_late_l[least(g.n, cardinality(b.old_late_l))], 0) AS late_l,
           coalesce(b.old_late_u[least(g.n, cardinality(b.old_late_u))], 0) AS late_u
    FROM bounds b CROSS JOIN LATERAL generate_series(b.start, b.stop) AS g(n)
  ), added AS (
    SELECT g.academy_id, g.pupil_id, g.span_start, g.weekday, g.n,
           g.possible + sum(coalesce(d.possible, 0)) OVER r AS possible,
           g.present + sum(coalesce(d.present, 0)) OVER r AS present,
           g.approved + sum(coalesce(d.approved, 0)) OVER r AS approved,
           g.authorised + sum(coalesce(d.authorised, 0)) OVER r AS authorised,
           g.unauthorised + sum(coalesce(d.unauthorised, 0)) OVER r AS unauthorised,
           g.late_l + sum(coalesce(d.late_l, 0)) OVER r AS late_l,
           g.late_u + sum(coalesce(d.late_u, 0)) OVER r AS late_u
    FROM grid g LEFT JOIN delta d USING (academy_id, pupil_id, span_start, weekday, n)
    WINDOW r AS (PARTITION BY g.academy_id, g.pupil_id, g.span_start, g.weekday ORDER BY g.n)
  ), tails AS (
    SELECT academy_id, pupil_id, span_start, weekday,
           array_agg(possible::smallint ORDER BY n) AS possible,
           array_agg(present::smallint ORDER BY n) AS present,
           array_agg(approved::smallint ORDER BY n) AS approved,
           array_agg(authorised::smallint ORDER BY n) AS authorised,
           array_agg(unauthorised::smallint ORDER BY n) AS unauthorised,
           array_agg(late_l::smallint ORDER BY n) AS late_l,
           array_agg(late_u::smallint ORDER BY n) AS late_u
    FROM added GROUP BY 1, 2, 3, 4
  )
  INSERT INTO attendance_weekday_span (academy_id, pupil_id, span_start, weekday, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT t.academy_id, t.pupil_id, t.span_start, t.weekday,
         coalesce(b.old_possible[1:b.start - 1], '{}') || t.possible,
         coalesce(b.old_present[1:b.start - 1], '{}') || t.present,
         coalesce(b.old_approved[1:b.start - 1], '{}') || t.approved,
         coalesce(b.old_authorised[1:b.start - 1], '{}') || t.authorised,
         coalesce(b.old_unauthorised[1:b.start - 1], '{}') || t.unauthorised,
         coalesce(b.old_late_l[1:b.start - 1], '{}') || t.late_l,
         coalesce(b.old_late_u[1:b.start - 1], '{}') || t.late_u
  FROM tails t JOIN bounds b USING (academy_id, pupil_id, span_start, weekday)
  ON CONFLICT (academy_id, pupil_id, span_start, weekday) DO UPDATE SET
    possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u
$$;

-- Kept after each statement that inserts or updates current_mark (a
-- register taken, a mark amended), from its transition tables: an insert
-- adds its rows' counts, an update its new rows' and takes away its old
-- ones' (an update never moves a row to another date: current_mark's key is
-- register and pupil).
CREATE FUNCTION "attendance_weekday_span_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM attendance_weekday_span_add(array_agg(academy_id), array_agg(pupil_id), array_agg(date),
      array_agg((category <> 'NOT_POSSIBLE')::int), array_agg((category = 'PRESENT')::int),
      array_agg((category = 'APPROVED_ACTIVITY')::int), array_agg((category = 'AUTHORISED_ABSENCE')::int),
      array_agg((category = 'UNAUTHORISED_ABSENCE')::int), array_agg((code = 'L' AND category = 'PRESENT')::int),
      array_agg((code = 'U' AND category = 'UNAUTHORISED_ABSENCE')::int))
    FROM changed;
  ELSE
    PERFORM attendance_weekday_span_add(array_agg(academy_id), array_agg(pupil_id), array_agg(date),
      array_agg(s * (category <> 'NOT_POSSIBLE')::int), array_agg(s * (category = 'PRESENT')::int),
      array_agg(s * (category = 'APPROVED_ACTIVITY')::int), array_agg(s * (category = 'AUTHORISED_ABSENCE')::int),
      array_agg(s * (category = 'UNAUTHORISED_ABSENCE')::int), array_agg(s * (code = 'L' AND category = 'PRESENT')::int),
      array_agg(s * (code = 'U' AND category = 'UNAUTHORISED_ABSENCE')::int))
    FROM (
      SELECT 1 AS s, academy_id, pupil_id, date, category, code FROM changed
      UNION ALL
      SELECT -1, academy_id, pupil_id, date, category, code FROM previous
    ) d;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "current_mark_weekday_span_insert" AFTER INSERT ON "current_mark"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_weekday_span_apply"();
CREATE TRIGGER "current_mark_weekday_span_update" AFTER UPDATE ON "current_mark"
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_weekday_span_apply"();

-- As attendance_span: written by the trigger, as its owner, and read by the
-- service under row-level security.
GRANT SELECT ON "attendance_weekday_span" TO attendance_app;
ALTER FUNCTION "attendance_weekday_span_apply"() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER TABLE "attendance_weekday_span" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "attendance_weekday_span" FORCE ROW LEVEL SECURITY;
CREATE POLICY trust_isolation ON "attendance_weekday_span" USING (academy_id = ANY ((SELECT app_academy_ids())::uuid[]))
  WITH CHECK (academy_id = ANY ((SELECT app_academy_ids())::uuid[]));
ALTER TABLE "attendance_weekday_span" SET (autovacuum_analyze_scale_factor = 0.002, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_scale_factor = 0.02);

-- The marks already recorded.
SELECT attendance_weekday_span_rebuild(id) FROM academy;
