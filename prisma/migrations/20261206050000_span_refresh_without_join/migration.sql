-- attendance_span_refresh_keys and attendance_weekday_span_refresh_keys,
-- the same rows computed without the join of every week of a span to the
-- weeks that have marks (issue 17 item 8, `pnpm start` on an empty PGlite).
-- The spans are 448 days from a fixed Monday (attendance_span_start), so a
-- span's arrays start with the weeks before the school year: about 33
-- elements for an Autumn 1 of marks. The old functions made every element a
-- row and LEFT JOINed the weeks with marks to them; with no statistics for
-- the CTEs the planner merged on the other keys and filtered the week number
-- row by row (measured on the demo's largest academy: 129,310 element rows
-- against 14,157 weeks, 538,701 rows removed by the join filter, about 1.3 s
-- of the function's 1.9 s under EXPLAIN ANALYZE; the weekday function was
-- the demo load's costliest statement, 3.5 s of pnpm start). Here the
-- running totals are taken over the weeks with marks only (a window over
-- them), and each is then repeated for the elements up to the next such week
-- (the total carries over a week without marks, as before), the elements
-- before the first being zero: the same arrays, no join.
-- packages/db/test/demo-set-based.test.ts holds both to the triggers'
-- incremental rows, row for row.

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
  ), dense AS (
    -- Element g.n: this week's running total from its week to the one before
    -- the next week with marks (the last week: itself only); zero before the first.
    SELECT r.academy_id, r.pupil_id, r.span_start, g.n, g.n >= r.n AS reached,
           r.possible, r.present, r.approved, r.authorised, r.unauthorised, r.late_l, r.late_u
    FROM running r CROSS JOIN LATERAL generate_series(CASE WHEN r.first THEN 1 ELSE r.n END, coalesce(r.next - 1, r.n)) AS g(n)
  )
  INSERT INTO attendance_span (academy_id, pupil_id, span_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT academy_id, pupil_id, span_start,
         array_agg(CASE WHEN reached THEN possible ELSE 0 END::smallint ORDER BY n), array_agg(CASE WHEN reached THEN present ELSE 0 END::smallint ORDER BY n),
         array_agg(CASE WHEN reached THEN approved ELSE 0 END::smallint ORDER BY n), array_agg(CASE WHEN reached THEN authorised ELSE 0 END::smallint ORDER BY n),
         array_agg(CASE WHEN reached THEN unauthorised ELSE 0 END::smallint ORDER BY n), array_agg(CASE WHEN reached THEN late_l ELSE 0 END::smallint ORDER BY n),
         array_agg(CASE WHEN reached THEN late_u ELSE 0 END::smallint ORDER BY n)
  FROM dense GROUP BY 1, 2, 3
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
  ), dense AS (
    SELECT r.academy_id, r.pupil_id, r.span_start, r.weekday, g.n, g.n >= r.n AS reached,
           r.possible, r.present, r.approved, r.authorised, r.unauthorised, r.late_l, r.late_u
    FROM running r CROSS JOIN LATERAL generate_series(CASE WHEN r.first THEN 1 ELSE r.n END, coalesce(r.next - 1, r.n)) AS g(n)
  )
  INSERT INTO attendance_weekday_span (academy_id, pupil_id, span_start, weekday, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT academy_id, pupil_id, span_start, weekday,
         array_agg(CASE WHEN reached THEN possible ELSE 0 END::smallint ORDER BY n), array_agg(CASE WHEN reached THEN present ELSE 0 END::smallint ORDER BY n),
         array_agg(CASE WHEN reached THEN approved ELSE 0 END::smallint ORDER BY n), array_agg(CASE WHEN reached THEN authorised ELSE 0 END::smallint ORDER BY n),
         array_agg(CASE WHEN reached THEN unauthorised ELSE 0 END::smallint ORDER BY n), array_agg(CASE WHEN reached THEN late_l ELSE 0 END::smallint ORDER BY n),
         array_agg(CASE WHEN reached THEN late_u ELSE 0 END::smallint ORDER BY n)
  FROM dense GROUP BY 1, 2, 3, 4
  ON CONFLICT (academy_id, pupil_id, span_start, weekday) DO UPDATE SET
    possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u
$$;
