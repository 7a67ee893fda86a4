-- CreateTable
CREATE TABLE "attendance_academy_week" (
    "academy_id" UUID NOT NULL,
    "week_start" DATE NOT NULL,
    "pupils" INTEGER NOT NULL,
    "possible" INTEGER NOT NULL,
    "present" INTEGER NOT NULL,
    "approved" INTEGER NOT NULL,
    "authorised" INTEGER NOT NULL,
    "unauthorised" INTEGER NOT NULL,
    "late_l" INTEGER NOT NULL,
    "late_u" INTEGER NOT NULL,
    "persistently_absent" INTEGER NOT NULL,
    "severely_absent" INTEGER NOT NULL,
    "shared" INTEGER NOT NULL,

    CONSTRAINT "attendance_academy_week_pkey" PRIMARY KEY ("academy_id","week_start")
);

-- ─── Written by hand ──────────────────────────────────────────────────────────

-- attendance_academy_week: attendance_week summed per academy and week, so
-- that a trust's weekly trend reads one row per academy and week (30 × 39 on
-- the benchmark trust) rather than 1.17 million pupil-weeks (issue 17 item 2,
-- README "Benchmarks"). pupils, persistently_absent and severely_absent count
-- the academy's pupil-weeks with possible > 0, and 10% / 50% or more of them
-- absent (DESIGN.md §8), as statistics/sql.ts counts them per pupil and week.
-- Those counts add up across academies only while no pupil has rows at two of
-- them in a week: a trust's figures sum a dual-registered pupil's academies
-- before the test (SI 2024/208 reg. 10, table 1). shared counts the academy's
-- pupil-weeks whose pupil has a row at another academy the same week; the
-- reader takes such weeks from attendance_week instead.

-- The academy-weeks named by two parallel arrays, recomputed from
-- attendance_week: for the migration, bulk loads, and the demo's set-based
-- writer (whose test holds the trigger's increments to it, row for row).
CREATE FUNCTION "attendance_academy_week_refresh_keys"(p_academy uuid[], p_week date[]) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO attendance_academy_week (academy_id, week_start, pupils, possible, present, approved, authorised, unauthorised,
                                       late_l, late_u, persistently_absent, severely_absent, shared)
  SELECT aw.academy_id, aw.week_start,
         count(*) FILTER (WHERE aw.possible > 0),
         sum(aw.possible), sum(aw.present), sum(aw.approved), sum(aw.authorised), sum(aw.unauthorised), sum(aw.late_l), sum(aw.late_u),
         count(*) FILTER (WHERE aw.possible > 0 AND (aw.authorised + aw.unauthorised) * 10 >= aw.possible),
         count(*) FILTER (WHERE aw.possible > 0 AND (aw.authorised + aw.unauthorised) * 2 >= aw.possible),
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM attendance_week o
                                        WHERE o.pupil_id = aw.pupil_id AND o.week_start = aw.week_start AND o.academy_id <> aw.academy_id))
  FROM (SELECT DISTINCT * FROM unnest(p_academy, p_week) AS k(academy_id, week_start)) k
  JOIN attendance_week aw ON aw.academy_id = k.academy_id AND aw.week_start = k.week_start
  GROUP BY 1, 2
  ON CONFLICT (academy_id, week_start) DO UPDATE SET
    pupils = EXCLUDED.pupils, possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u,
    persistently_absent = EXCLUDED.persistently_absent, severely_absent = EXCLUDED.severely_absent, shared = EXCLUDED.shared
$$;

-- For a bulk load that skipped the triggers (packages/db/src/synthetic): an academy's weeks.
CREATE FUNCTION "attendance_academy_week_rebuild"(p_academy uuid) RETURNS void LANGUAGE sql AS $$
  SELECT attendance_academy_week_refresh_keys(array_agg(academy_id), array_agg(week_start))
  FROM (SELECT DISTINCT academy_id, week_start FROM attendance_week WHERE academy_id = p_academy) k
$$;

-- Kept after each statement that writes attendance_week, by increments from
-- the transition tables (as attendance_span_apply): a register adds its
-- pupils' rows to one academy-week rather than recomputing the academy's
-- week. An update adds the new row's figures and takes away the old one's;
-- an insert adds the row's, and where the pupil now has rows at two or more
-- academies that week, counts each newly shared row in shared (a row
-- inserted now; or one already there whose pupil-week had only that row).
CREATE FUNCTION "attendance_academy_week_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH pw AS (
      SELECT c.pupil_id, c.week_start, count(*) AS inserted,
             (SELECT count(*) FROM attendance_week o WHERE o.pupil_id = c.pupil_id AND o.week_start = c.week_start) AS now
      FROM changed c GROUP BY 1, 2
    ), newly_shared AS (
      SELECT o.academy_id, o.week_start, count(*) AS n
      FROM pw JOIN attendance_week o ON o.pupil_id = pw.pupil_id AND o.week_start = pw.week_start
      WHERE pw.now >= 2
        AND (pw.now - pw.inserted = 1 OR EXISTS (SELECT 1 FROM changed c WHERE c.academy_id = o.academy_id AND c.pupil_id = o.pupil_id AND c.week_start = o.week_start))
      GROUP BY 1, 2
    ), delta AS (
      SELECT academy_id, week_start,
             count(*) FILTER (WHERE possible > 0) AS pupils,
             sum(possible) AS possible, sum(present) AS present, sum(approved) AS approved, sum(authorised) AS authorised,
             sum(unauthorised) AS unauthorised, sum(late_l) AS late_l, sum(late_u) AS late_u,
             count(*) FILTER (WHERE possible > 0 AND (authorised + unauthorised) * 10 >= possible) AS pa,
             count(*) FILTER (WHERE possible > 0 AND (authorised + unauthorised) * 2 >= possible) AS sa
      FROM changed GROUP BY 1, 2
    )
    INSERT INTO attendance_academy_week AS t (academy_id, week_start, pupils, possible, present, approved, authorised, unauthorised,
                                              late_l, late_u, persistently_absent, severely_absent, shared)
    SELECT academy_id, week_start, coalesce(d.pupils, 0), coalesce(d.possible, 0), coalesce(d.present, 0), coalesce(d.approved, 0),
           coalesce(d.authorised, 0), coalesce(d.unauthorised, 0), coalesce(d.late_l, 0), coalesce(d.late_u, 0),
           coalesce(d.pa, 0), coalesce(d.sa, 0), coalesce(s.n, 0)
    FROM delta d FULL JOIN newly_shared s USING (academy_id, week_start)
    ON CONFLICT (academy_id, week_start) DO UPDATE SET
      pupils = t.pupils + EXCLUDED.pupils, possible = t.possible + EXCLUDED.possible, present = t.present + EXCLUDED.present,
      approved = t.approved + EXCLUDED.approved, authorised = t.authorised + EXCLUDED.authorised,
      unauthorised = t.unauthorised + EXCLUDED.unauthorised, late_l = t.late_l + EXCLUDED.late_l, late_u = t.late_u + EXCLUDED.late_u,
      persistently_absent = t.persistently_absent + EXCLUDED.persistently_absent,
      severely_absent = t.severely_absent + EXCLUDED.severely_absent, shared = t.shared + EXCLUDED.shared;
  ELSE
    WITH rows AS (
      SELECT academy_id, week_start, 1 AS sign, possible, present, approved, authorised, unauthorised, late_l, late_u FROM changed
      UNION ALL
      SELECT academy_id, week_start, -1, possible, present, approved, authorised, unauthorised, late_l, late_u FROM previous
    )
    UPDATE attendance_academy_week t SET
      pupils = t.pupils + d.pupils, possible = t.possible + d.possible, present = t.present + d.present,
      approved = t.approved + d.approved, authorised = t.authorised + d.authorised, unauthorised = t.unauthorised + d.unauthorised,
      late_l = t.late_l + d.late_l, late_u = t.late_u + d.late_u,
      persistently_absent = t.persistently_absent + d.pa, severely_absent = t.severely_absent + d.sa
    FROM (
      SELECT academy_id, week_start,
             coalesce(sum(sign) FILTER (WHERE possible > 0), 0) AS pupils,
             sum(sign * possible) AS possible, sum(sign * present) AS present, sum(sign * approved) AS approved,
             sum(sign * authorised) AS authorised, sum(sign * unauthorised) AS unauthorised,
             sum(sign * late_l) AS late_l, sum(sign * late_u) AS late_u,
             coalesce(sum(sign) FILTER (WHERE possible > 0 AND (authorised + unauthorised) * 10 >= possible), 0) AS pa,
             coalesce(sum(sign) FILTER (WHERE possible > 0 AND (authorised + unauthorised) * 2 >= possible), 0) AS sa
      FROM rows GROUP BY 1, 2
    ) d
    WHERE t.academy_id = d.academy_id AND t.week_start = d.week_start;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "attendance_week_academy_week_insert" AFTER INSERT ON "attendance_week"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_academy_week_apply"();
CREATE TRIGGER "attendance_week_academy_week_update" AFTER UPDATE ON "attendance_week"
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_academy_week_apply"();

-- As attendance_span: written by the trigger, as its owner, and read by the
-- service under row-level security.
GRANT SELECT ON "attendance_academy_week" TO attendance_app;
ALTER FUNCTION "attendance_academy_week_apply"() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER TABLE "attendance_academy_week" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "attendance_academy_week" FORCE ROW LEVEL SECURITY;
CREATE POLICY trust_isolation ON "attendance_academy_week" USING (academy_id = ANY ((SELECT app_academy_ids())::uuid[]))
  WITH CHECK (academy_id = ANY ((SELECT app_academy_ids())::uuid[]));
ALTER TABLE "attendance_academy_week" SET (autovacuum_analyze_scale_factor = 0.002, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_scale_factor = 0.02);

-- The weeks already recorded.
SELECT attendance_academy_week_rebuild(id) FROM academy;
