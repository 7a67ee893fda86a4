-- DropIndex
DROP INDEX "mark_academy_id_date_idx";

-- CreateTable
CREATE TABLE "current_mark" (
    "register_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "mark_id" UUID NOT NULL,
    "academy_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "session" "session" NOT NULL,
    "version" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "category" "attendance_category" NOT NULL,
    "minutes_late" INTEGER,

    CONSTRAINT "current_mark_pkey" PRIMARY KEY ("register_id","pupil_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "current_mark_mark_id_key" ON "current_mark"("mark_id");

-- CreateIndex
CREATE INDEX "current_mark_academy_id_date_idx" ON "current_mark"("academy_id", "date");

-- CreateIndex
CREATE INDEX "current_mark_pupil_id_date_idx" ON "current_mark"("pupil_id", "date");

-- AddForeignKey
ALTER TABLE "current_mark" ADD CONSTRAINT "current_mark_mark_id_fkey" FOREIGN KEY ("mark_id") REFERENCES "mark"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "current_mark" ADD CONSTRAINT "current_mark_register_id_fkey" FOREIGN KEY ("register_id") REFERENCES "register"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "current_mark" ADD CONSTRAINT "current_mark_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "current_mark" ADD CONSTRAINT "current_mark_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ─── Written by hand ──────────────────────────────────────────────────────────

-- current_mark is kept by the database itself, so that no writer can forget
-- it: after each INSERT statement on mark, the newest version of each
-- (register, pupil) it inserted replaces an older current entry. One
-- statement-level trigger with a transition table, so a register of 1,000
-- marks costs one extra statement, not 1,000.
CREATE FUNCTION "mark_keep_current"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO current_mark (register_id, pupil_id, mark_id, academy_id, date, session, version, code, category, minutes_late)
  SELECT DISTINCT ON (register_id, pupil_id)
         register_id, pupil_id, id, academy_id, date, session, version, code, category, minutes_late
  FROM new_marks
  ORDER BY register_id, pupil_id, version DESC
  ON CONFLICT (register_id, pupil_id) DO UPDATE
    SET mark_id = EXCLUDED.mark_id, version = EXCLUDED.version, code = EXCLUDED.code,
        category = EXCLUDED.category, minutes_late = EXCLUDED.minutes_late
    WHERE current_mark.version < EXCLUDED.version;
  RETURN NULL;
END
$$;
CREATE TRIGGER "mark_keep_current" AFTER INSERT ON "mark"
  REFERENCING NEW TABLE AS new_marks
  FOR EACH STATEMENT EXECUTE FUNCTION "mark_keep_current"();

-- Marks written before this migration.
INSERT INTO current_mark (register_id, pupil_id, mark_id, academy_id, date, session, version, code, category, minutes_late)
SELECT DISTINCT ON (register_id, pupil_id)
       register_id, pupil_id, id, academy_id, date, session, version, code, category, minutes_late
FROM mark
ORDER BY register_id, pupil_id, version DESC;
