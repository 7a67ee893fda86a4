-- attendance_span kept incrementally: a statement's change to each week
-- (new minus old counts, from the trigger's transition tables) is added to
-- that week's element and every later one of its span, read from the span
-- row itself, rather than every span touched being recomputed from its
-- pupils' weeks. The recomputation read about 35 attendance_week rows per
-- pupil: 10–14 ms for a 30-pupil form with its pages in memory, 67–140 ms
-- without, and 227–730 ms for a 1,000-pupil register (README, Benchmarks).
-- attendance_span_refresh_keys stays for bulk loads, and the demo's
-- set-based writer uses it, so packages/db/test/demo-set-based.test.ts holds
-- this path's rows to the recomputation's, row for row.
-- Adds each week's change in counts (parallel arrays, one element a week
-- row; a week may come twice, its new counts and its old ones negated) to
-- that week's element of its span and every later one.
CREATE FUNCTION "attendance_span_add"(p_academy uuid[], p_pupil uuid[], p_week date[], p_possible int[], p_present int[],
    p_approved int[], p_authorised int[], p_unauthorised int[], p_late_l int[], p_late_u int[]) RETURNS void
  LANGUAGE sql AS $$
  WITH delta AS (
    SELECT academy_id, pupil_id, attendance_span_start(week_start) AS span_start,
           (week_start - attendance_span_start(week_start)) / 7 + 1 AS n,
           sum(possible) AS possible, sum(present) AS present, sum(approved) AS approved, sum(authorised) AS authorised,
           sum(unauthorised) AS unauthorised, sum(late_l) AS late_l, sum(late_u) AS late_u
    FROM unnest(p_academy, p_pupil, p_week, p_possible, p_present, p_approved, p_authorised, p_unauthorised, p_late_l, p_late_u)
      AS c(academy_id, pupil_id, week_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
    GROUP BY 1, 2, 3, 4
  ), spans AS (
    SELECT academy_id, pupil_id, span_start, min(n) AS first, max(n) AS last FROM delta GROUP BY 1, 2, 3
  ), bounds AS (
    -- The elements to write: from the first week changed (or the first past
    -- the span's length, which carries its last total) to the later of the
    -- length and the last week changed. Those before stay as they are: a
    -- register for this week writes one element a pupil, not the span.
    SELECT k.academy_id, k.pupil_id, k.span_start,
           least(k.first, coalesce(cardinality(s.possible), 0) + 1) AS start,
           greatest(k.last, coalesce(cardinality(s.possible), 0)) AS stop,
           s.possible AS old_possible, s.present AS old_present, s.approved AS old_approved, s.authorised AS old_authorised, s.unauthorised AS old_unauthorised, s.late_l AS old_late_l, s.late_u AS old_late_u
    FROM spans k
    LEFT JOIN attendance_span s ON s.academy_id = k.academy_id AND s.pupil_id = k.pupil_id AND s.span_start = k.span_start
  ), grid AS (
    -- Each element as it stands (one past the length carries the last).
    SELECT b.academy_id, b.pupil_id, b.span_start, g.n,
           coalesce(b.old_possible[least(g.n, cardinality(b.old_possible))], 0) AS possible,
           coalesce(b.old_present[least(g.n, cardinality(b.old_present))], 0) AS present,
           coalesce(b.old_approved[least(g.n, cardinality(b.old_approved))], 0) AS approved,
           coalesce(b.old_authorised[least(g.n, cardinality(b.old_authorised))], 0) AS authorised,
           coalesce(b.old_unauthorised[least(g.n, cardinality(b.old_unauthorised))], 0) AS unauthorised,
           coalesce(b.old_late_l[least(g.n, cardinality(b.old_late_l))], 0) AS late_l,
           coalesce(b.old_late_u[least(g.n, cardinality(b.old_late_u))], 0) AS late_u
    FROM bounds b CROSS JOIN LATERAL generate_series(b.start, b.stop) AS g(n)
  ), added AS (
    SELECT g.academy_id, g.pupil_id, g.span_start, g.n,
           g.possible + sum(coalesce(d.possible, 0)) OVER r AS possible,
           g.present + sum(coalesce(d.present, 0)) OVER r AS present,
           g.approved + sum(coalesce(d.approved, 0)) OVER r AS approved,
           g.authorised + sum(coalesce(d.authorised, 0)) OVER r AS authorised,
           g.unauthorised + sum(coalesce(d.unauthorised, 0)) OVER r AS unauthorised,
           g.late_l + sum(coalesce(d.late_l, 0)) OVER r AS late_l,
           g.late_u + sum(coalesce(d.late_u, 0)) OVER r AS late_u
    FROM grid g LEFT JOIN delta d USING (academy_id, pupil_id, span_start, n)
    WINDOW r AS (PARTITION BY g.academy_id, g.pupil_id, g.span_start ORDER BY g.n)
  ), tails AS (
    SELECT academy_id, pupil_id, span_start,
           array_agg(possible::smallint ORDER BY n) AS possible,
           array_agg(present::smallint ORDER BY n) AS present,
           array_agg(approved::smallint ORDER BY n) AS approved,
           array_agg(authorised::smallint ORDER BY n) AS authorised,
           array_agg(unauthorised::smallint ORDER BY n) AS unauthorised,
           array_agg(late_l::smallint ORDER BY n) AS late_l,
           array_agg(late_u::smallint ORDER BY n) AS late_u
    FROM added GROUP BY 1, 2, 3
  )
  INSERT INTO attendance_span (academy_id, pupil_id, span_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT t.academy_id, t.pupil_id, t.span_start,
         coalesce(b.old_possible[1:b.start - 1], '{}') || t.possible,
         coalesce(b.old_present[1:b.start - 1], '{}') || t.present,
         coalesce(b.old_approved[1:b.start - 1], '{}') || t.approved,
         coalesce(b.old_authorised[1:b.start - 1], '{}') || t.authorised,
         coalesce(b.old_unauthorised[1:b.start - 1], '{}') || t.unauthorised,
         coalesce(b.old_late_l[1:b.start - 1], '{}') || t.late_l,
         coalesce(b.old_late_u[1:b.start - 1], '{}') || t.late_u
  FROM tails t JOIN bounds b USING (academy_id, pupil_id, span_start)
  ON CONFLICT (academy_id, pupil_id, span_start) DO UPDATE SET
    possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u
$$;

CREATE FUNCTION "attendance_span_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM attendance_span_add(array_agg(academy_id), array_agg(pupil_id), array_agg(week_start), array_agg(possible), array_agg(present),
      array_agg(approved), array_agg(authorised), array_agg(unauthorised), array_agg(late_l), array_agg(late_u))
    FROM changed;
  ELSE
    PERFORM attendance_span_add(array_agg(academy_id), array_agg(pupil_id), array_agg(week_start), array_agg(possible), array_agg(present),
      array_agg(approved), array_agg(authorised), array_agg(unauthorised), array_agg(late_l), array_agg(late_u))
    FROM (
      SELECT academy_id, pupil_id, week_start, possible, present, approved, authorised, unauthorised, late_l, late_u FROM changed
      UNION ALL
      SELECT academy_id, pupil_id, week_start, -possible, -present, -approved, -authorised, -unauthorised, -late_l, -late_u FROM previous
    ) d;
  END IF;
  RETURN NULL;
END
$$;
ALTER FUNCTION "attendance_span_apply"() SECURITY DEFINER SET search_path = public, pg_temp;

DROP TRIGGER "attendance_week_span_insert" ON "attendance_week";
DROP TRIGGER "attendance_week_span_update" ON "attendance_week";
CREATE TRIGGER "attendance_week_span_insert" AFTER INSERT ON "attendance_week"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_span_apply"();
CREATE TRIGGER "attendance_week_span_update" AFTER UPDATE ON "attendance_week"
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_span_apply"();
DROP FUNCTION "attendance_span_refresh"();
