-- attendance_span_refresh_keys and attendance_weekday_span_refresh_keys,
-- the same rows with less work (issue 17 item 8, `pnpm start` on an empty
-- PGlite, where the weekday function was the demo load's costliest
-- statement). The spans are 448 days from a fixed Monday
-- (attendance_span_start), so a span's arrays start with the weeks before
-- the school year: about 33 elements for an Autumn 1 of marks. The old
-- functions made every element a row, LEFT JOINed the weeks with marks to
-- them (with no statistics for the CTEs the planner merged on the other keys
-- and filtered the week number row by row: on the demo's largest academy
-- 129,310 element rows, 538,701 rows removed by the join filter) and built
-- each array with its own ordered array_agg over those rows. Here the
-- running totals are taken over the weeks with marks only (a window over
-- them); each array is then written as runs, a week's total repeated up to
-- the next week with marks (the total carries over a week without marks, as
-- before) and zeros before the first, and read back as smallint[]. Measured
-- on PGlite, rebuilding every span of the loaded demo (attendance_span_rebuild
-- and attendance_weekday_span_rebuild for its 16 academies, the same
-- process alternately, load average 2–6): weekday spans 4,960 → 2,374 ms,
-- spans 2,439 → 1,725 ms, and the rows compared equal (EXCEPT both ways).
-- packages/db/test/demo-set-based.test.ts holds both functions to the
-- triggers' incremental rows, row for row.

CREATE OR REPLACE FUNCTION "attendance_span_refresh_keys"(p_academy uuid[], p_pupil uuid[], p_span date[]) RETURNS void
  LANGUAGE sql AS $$
  WITH k AS (
    SELECT DISTINCT * FROM unnest(p_academy, p_pupil, p_span) AS k(academy_id, pupil_id, span_start)
  ), running AS (
    SELECT k.academy_id, k.pupil_id, k.span_start, (aw.week_start - k.span_start) / 7 + 1 AS n,
           sum(aw.possible) OVER r AS possible, sum(aw.present) OVER r AS present,
           sum(aw.approved) OVER r AS approved, sum(aw.authorised) OVER r AS authorised,
           sum(aw.unauthorised) OVER r AS unauthorised, sum(aw.late_l) OVER r AS late_l, sum(aw.late_u) OVER r AS late_u,
           row_number() OVER r = 1 AS first,
           lead((aw.week_start - k.span_start) / 7 + 1) OVER r AS next
    FROM k JOIN attendance_week aw ON aw.academy_id = k.academy_id AND aw.pupil_id = k.pupil_id
     AND aw.week_start >= k.span_start AND aw.week_start < k.span_start + 448
    WINDOW r AS (PARTITION BY k.academy_id, k.pupil_id, k.span_start ORDER BY aw.week_start)
  ), runs AS (
    -- Element n of the arrays is this week's running total from its week to
    -- the one before the next week with marks (the last week: itself only),
    -- zero before the first: written as runs of repeated values.
    SELECT academy_id, pupil_id, span_start, n, CASE WHEN first THEN n - 1 ELSE 0 END AS zeros, coalesce(next - n, 1) AS len,
           possible, present, approved, authorised, unauthorised, late_l, late_u
    FROM running
  )
  INSERT INTO attendance_span (academy_id, pupil_id, span_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT academy_id, pupil_id, span_start,
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(possible || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(present || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(approved || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(authorised || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(unauthorised || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(late_l || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(late_u || ',', len), '' ORDER BY n), ',') || '}')::smallint[]
  FROM runs GROUP BY 1, 2, 3
  ON CONFLICT (academy_id, pupil_id, span_start) DO UPDATE SET
    possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u
$$;

CREATE OR REPLACE FUNCTION "attendance_weekday_span_refresh_keys"(p_academy uuid[], p_pupil uuid[], p_span date[]) RETURNS void
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
  ), running AS (
    SELECT academy_id, pupil_id, span_start, weekday, n,
           sum(possible) OVER r AS possible, sum(present) OVER r AS present,
           sum(approved) OVER r AS approved, sum(authorised) OVER r AS authorised,
           sum(unauthorised) OVER r AS unauthorised, sum(late_l) OVER r AS late_l, sum(late_u) OVER r AS late_u,
           row_number() OVER r = 1 AS first, lead(n) OVER r AS next
    FROM weeks
    WINDOW r AS (PARTITION BY academy_id, pupil_id, span_start, weekday ORDER BY n)
  ), runs AS (
    -- As in attendance_span_refresh_keys.
    SELECT academy_id, pupil_id, span_start, weekday, n, CASE WHEN first THEN n - 1 ELSE 0 END AS zeros, coalesce(next - n, 1) AS len,
           possible, present, approved, authorised, unauthorised, late_l, late_u
    FROM running
  )
  INSERT INTO attendance_weekday_span (academy_id, pupil_id, span_start, weekday, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT academy_id, pupil_id, span_start, weekday,
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(possible || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(present || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(approved || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(authorised || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(unauthorised || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(late_l || ',', len), '' ORDER BY n), ',') || '}')::smallint[],
         ('{' || rtrim(string_agg(repeat('0,', zeros) || repeat(late_u || ',', len), '' ORDER BY n), ',') || '}')::smallint[]
  FROM runs GROUP BY 1, 2, 3, 4
  ON CONFLICT (academy_id, pupil_id, span_start, weekday) DO UPDATE SET
    possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u
$$;
