-- AlterTable
ALTER TABLE "pupil" ADD COLUMN     "anonymised_at" TIMESTAMPTZ(3),
ALTER COLUMN "date_of_birth" DROP NOT NULL;

-- ─── Written by hand ──────────────────────────────────────────────────────────

-- Anonymising a pupil once the registers need no longer be kept: every entry
-- in the admission and attendance registers is preserved for six years from
-- the date on which it was made (School Attendance (Pupil Registration)
-- (England) Regulations 2024, reg. 14), and personal data is kept no longer
-- than needed (UK GDPR Art. 5(1)(e), storage limitation; Art. 17, erasure).
--
-- What goes: names, date of birth, UPN (replaced by a random, non-identifying
-- token of the same length), the carers' names and addresses, and free text
-- (mark notes and amendment reasons, deletion notes, leave answers and
-- decision reasons, case reasons, letters). What stays: the academy, year
-- group, gender, cohort flags and every mark's code, date and session, so that
-- current_mark, attendance_week and every statistic read the same before and
-- after. Audit rows are kept as they are (they are the record of who did what).
--
-- SECURITY DEFINER, owned by the owner of the tables: the one way to change a
-- mark's text, which the append-only trigger allows for this function only
-- (below). Returns false if the pupil was already anonymised.
CREATE FUNCTION "anonymise_pupil"(p_pupil uuid) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  removed CONSTANT text := 'Removed on anonymisation.';
BEGIN
  PERFORM 1 FROM pupil WHERE id = p_pupil FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no pupil %', p_pupil USING ERRCODE = 'no_data_found';
  END IF;
  IF EXISTS (SELECT 1 FROM pupil WHERE id = p_pupil AND anonymised_at IS NOT NULL) THEN
    RETURN false;
  END IF;
  IF EXISTS (SELECT 1 FROM enrolment WHERE pupil_id = p_pupil AND on_roll_to IS NULL) THEN
    RAISE EXCEPTION 'pupil % is still on roll', p_pupil USING ERRCODE = 'restrict_violation';
  END IF;

  UPDATE pupil SET legal_forename = 'Anonymised', legal_surname = 'pupil', preferred_forename = NULL,
                   date_of_birth = NULL, anonymised_at = now(),
                   upn = 'X' || upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12))
   WHERE id = p_pupil;
  UPDATE enrolment SET deletion_note = NULL WHERE pupil_id = p_pupil;
  UPDATE carer SET salutation = '', forename = 'Anonymised', surname = 'carer', address_lines = '{}'
   WHERE pupil_id = p_pupil;
  UPDATE leave_request SET answers = '{}'::jsonb,
                           decision_reason = CASE WHEN decision_reason IS NULL THEN NULL ELSE removed END
   WHERE pupil_id = p_pupil;
  UPDATE case_action SET reason = removed,
                         status_reason = CASE WHEN status_reason IS NULL THEN NULL ELSE removed END
   WHERE pupil_id = p_pupil;
  UPDATE letter SET title = removed, html = '', text = '' WHERE pupil_id = p_pupil;

  -- The trigger mark_is_append_only lets this through: same transaction, this pupil, text only.
  PERFORM set_config('attendance.anonymising_pupil', p_pupil::text, true);
  UPDATE mark SET note = NULL, amendment_reason = CASE WHEN version = 1 THEN NULL ELSE removed END
   WHERE pupil_id = p_pupil AND (note IS NOT NULL OR amendment_reason IS DISTINCT FROM CASE WHEN version = 1 THEN NULL ELSE removed END);
  PERFORM set_config('attendance.anonymising_pupil', '', true);
  RETURN true;
END
$$;

-- Marks stay append-only, with one exception: anonymise_pupil (running as its
-- owner, for the pupil it named in this transaction) may blank a mark's note
-- and amendment reason; every other column must stay as it was. DELETE and
-- TRUNCATE are refused always.
CREATE OR REPLACE FUNCTION "mark_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('attendance.anonymising_pupil', true) = OLD.pupil_id::text
     AND current_user = (SELECT pg_get_userbyid(p.proowner) FROM pg_proc p WHERE p.oid = 'anonymise_pupil(uuid)'::regprocedure)
     AND (to_jsonb(NEW) - 'note' - 'amendment_reason') = (to_jsonb(OLD) - 'note' - 'amendment_reason')
     AND NEW.note IS NULL
     AND (NEW.amendment_reason IS NULL OR NEW.amendment_reason = 'Removed on anonymisation.') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'register marks are append-only: % on mark is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
