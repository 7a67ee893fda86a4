-- CreateTable
CREATE TABLE "attendance_week" (
    "academy_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "week_start" DATE NOT NULL,
    "possible" INTEGER NOT NULL,
    "present" INTEGER NOT NULL,
    "approved" INTEGER NOT NULL,
    "authorised" INTEGER NOT NULL,
    "unauthorised" INTEGER NOT NULL,
    "late_l" INTEGER NOT NULL,
    "late_u" INTEGER NOT NULL,

    CONSTRAINT "attendance_week_pkey" PRIMARY KEY ("academy_id","pupil_id","week_start")
);

-- CreateIndex
CREATE INDEX "attendance_week_academy_id_week_start_idx" ON "attendance_week"("academy_id", "week_start");

-- ─── Written by hand ──────────────────────────────────────────────────────────

-- attendance_week is kept by the database, like current_mark: after each
-- statement that inserts or updates current_mark (a register taken, a mark
-- amended), the weeks it touched are recomputed from current_mark, so an
-- amendment corrects its week. Within one academy a pupil has one mark per
-- session, so the counts need no "best mark" choice. One statement-level
-- trigger per event (a trigger with transition tables has one event).
CREATE FUNCTION "attendance_week_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO attendance_week (academy_id, pupil_id, week_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT k.academy_id, k.pupil_id, k.week_start,
         count(*) FILTER (WHERE cm.category <> 'NOT_POSSIBLE'),
         count(*) FILTER (WHERE cm.category = 'PRESENT'),
         count(*) FILTER (WHERE cm.category = 'APPROVED_ACTIVITY'),
         count(*) FILTER (WHERE cm.category = 'AUTHORISED_ABSENCE'),
         count(*) FILTER (WHERE cm.category = 'UNAUTHORISED_ABSENCE'),
         count(*) FILTER (WHERE cm.code = 'L' AND cm.category = 'PRESENT'),
         count(*) FILTER (WHERE cm.code = 'U' AND cm.category = 'UNAUTHORISED_ABSENCE')
  FROM (SELECT DISTINCT academy_id, pupil_id, date_trunc('week', date)::date AS week_start FROM changed) k
  JOIN current_mark cm ON cm.academy_id = k.academy_id AND cm.pupil_id = k.pupil_id
   AND cm.date >= k.week_start AND cm.date < k.week_start + 7
  GROUP BY 1, 2, 3
  ON CONFLICT (academy_id, pupil_id, week_start) DO UPDATE SET
    possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
    authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u;
  RETURN NULL;
END
$$;

CREATE TRIGGER "current_mark_rollup_insert" AFTER INSERT ON "current_mark"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_week_refresh"();
CREATE TRIGGER "current_mark_rollup_update" AFTER UPDATE ON "current_mark"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "attendance_week_refresh"();

-- The weeks already recorded.
INSERT INTO attendance_week (academy_id, pupil_id, week_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
SELECT academy_id, pupil_id, date_trunc('week', date)::date,
       count(*) FILTER (WHERE category <> 'NOT_POSSIBLE'),
       count(*) FILTER (WHERE category = 'PRESENT'),
       count(*) FILTER (WHERE category = 'APPROVED_ACTIVITY'),
       count(*) FILTER (WHERE category = 'AUTHORISED_ABSENCE'),
       count(*) FILTER (WHERE category = 'UNAUTHORISED_ABSENCE'),
       count(*) FILTER (WHERE code = 'L' AND category = 'PRESENT'),
       count(*) FILTER (WHERE code = 'U' AND category = 'UNAUTHORISED_ABSENCE')
FROM current_mark GROUP BY 1, 2, 3;
