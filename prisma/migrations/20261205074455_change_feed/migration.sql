-- CreateEnum
CREATE TYPE "change_kind" AS ENUM ('MARK', 'PUPIL', 'ENROLMENT', 'CASE_ACTION');

-- CreateTable
CREATE TABLE "change_event" (
    "seq" BIGSERIAL NOT NULL,
    "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "trust_id" UUID NOT NULL,
    "academy_id" UUID NOT NULL,
    "kind" "change_kind" NOT NULL,
    "entity_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "op" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB,

    CONSTRAINT "change_event_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "change_event_academy_id_xid_seq_idx" ON "change_event"("academy_id", "xid", "seq");

-- CreateIndex
CREATE INDEX "change_event_trust_id_xid_seq_idx" ON "change_event"("trust_id", "xid", "seq");

-- ─── Written by hand ──────────────────────────────────────────────────────────
-- The change feed (issue 15 item 4): syncing systems (an MIS, Wonde, Groupcall
-- Xporter, a parent app) poll `changes(after:)` for what changed since their
-- cursor. Rows are written only here, by AFTER triggers on the tables they
-- describe, so that every writer (the API, bulk import, the demo loader, the
-- retention job) feeds it and none can forget to.
--
-- Each trigger is statement-level with a transition table (REFERENCING NEW
-- TABLE), like mark_keep_current: a demo or import statement of 10,000 marks
-- costs one extra INSERT ... SELECT, not 10,000 trigger calls.
--
-- Payloads are the row as written (for marks, which never change, the mark
-- version itself is read instead), in the API's field names, without the
-- safeguarding and cohort flags (free school meals, pupil premium, looked
-- after, social worker): those are read through Pupil, whose field rules
-- (readSensitive) and read audit apply. A PUPIL UPDATED event is written for
-- every update, a change of flags only included, so a consumer that holds
-- flags knows when to read the pupil again.
--
-- The functions run as their owner (SECURITY DEFINER), the only writer the
-- table has: attendance_app gets SELECT only, no INSERT, UPDATE or DELETE.

-- A mark version: CREATED (version 1) or AMENDED (n > 1). Marks are
-- append-only (the trigger mark_append_only), so the event only names the
-- version and the feed reads the row itself (schema/src/modules/changes.ts):
-- no copy of 100,000 demo marks, and a mark's note and amendment reason
-- blanked on anonymisation are blanked in the feed too.
CREATE FUNCTION "change_feed_mark"() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op)
  SELECT a.trust_id, m.academy_id, 'MARK', m.id, m.pupil_id, CASE WHEN m.version = 1 THEN 'CREATED' ELSE 'AMENDED' END
  FROM new_rows m JOIN academy a ON a.id = m.academy_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER "change_feed_mark" AFTER INSERT ON "mark"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "change_feed_mark"();

-- A pupil's fields as the feed carries them: not the cohort flags (above).
CREATE FUNCTION "change_feed_pupil_payload"(p pupil) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'upn', p.upn, 'legalForename', p.legal_forename, 'legalSurname', p.legal_surname,
    'preferredForename', p.preferred_forename, 'dateOfBirth', p.date_of_birth, 'gender', p.gender,
    'yearGroup', p.year_group, 'senProvision', p.sen_provision,
    'englishAdditionalLanguage', p.english_additional_language, 'formId', p.form_id,
    'anonymisedAt', p.anonymised_at)
$$;

CREATE FUNCTION "change_feed_pupil_insert"() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
  SELECT n.trust_id, n.academy_id, 'PUPIL', n.id, n.id, 'CREATED', change_feed_pupil_payload(n)
  FROM new_rows n ORDER BY n.upn;
  RETURN NULL;
END
$$;
CREATE TRIGGER "change_feed_pupil_insert" AFTER INSERT ON "pupil"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "change_feed_pupil_insert"();

-- UPDATED, or ANONYMISED when the retention job anonymised the pupil
-- (anonymise_pupil). Anonymisation also redacts the pupil's earlier events:
-- the feed must not keep the names, date of birth, UPN and free text that the
-- pupil's own records no longer hold (School Attendance (Pupil Registration)
-- (England) Regulations 2024, reg. 14 on keeping registers for six years;
-- UK GDPR Art. 5(1)(e), storage limitation). Only this owner-run trigger
-- ever changes a change_event row.
CREATE FUNCTION "change_feed_pupil_update"() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  removed CONSTANT text := 'Removed on anonymisation.';
BEGIN
  UPDATE change_event e SET payload = CASE e.kind
      WHEN 'PUPIL' THEN e.payload || jsonb_build_object('upn', n.upn, 'legalForename', n.legal_forename,
        'legalSurname', n.legal_surname, 'preferredForename', n.preferred_forename, 'dateOfBirth', n.date_of_birth)
      WHEN 'ENROLMENT' THEN e.payload || jsonb_build_object('upn', n.upn, 'deletionNote', NULL)
      WHEN 'CASE_ACTION' THEN e.payload || jsonb_build_object('upn', n.upn, 'reason', removed,
        'statusReason', CASE WHEN e.payload->>'statusReason' IS NULL THEN NULL ELSE removed END)
    END
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE e.pupil_id = n.id AND e.kind <> 'MARK' AND o.anonymised_at IS NULL AND n.anonymised_at IS NOT NULL;

  INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
  SELECT n.trust_id, n.academy_id, 'PUPIL', n.id, n.id,
         CASE WHEN o.anonymised_at IS NULL AND n.anonymised_at IS NOT NULL THEN 'ANONYMISED' ELSE 'UPDATED' END,
         change_feed_pupil_payload(n)
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE to_jsonb(n) IS DISTINCT FROM to_jsonb(o)
  ORDER BY n.upn;
  RETURN NULL;
END
$$;
CREATE TRIGGER "change_feed_pupil_update" AFTER UPDATE ON "pupil"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "change_feed_pupil_update"();

-- A period on roll: ON_ROLL when it begins, OFF_ROLL when its last day is set
-- (a deletion from the admission register, reg. 9), UPDATED otherwise. Two
-- functions, as a trigger with an OLD TABLE must be for UPDATE only.
CREATE FUNCTION "change_feed_enrolment_payload"(n enrolment, upn text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'enrolmentId', n.id, 'upn', upn, 'registrationType', n.registration_type,
    'onRollFrom', n.on_roll_from, 'onRollTo', n.on_roll_to,
    'deletionGround', n.deletion_ground, 'deletionNote', n.deletion_note)
$$;

CREATE FUNCTION "change_feed_enrolment_insert"() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
  SELECT p.trust_id, n.academy_id, 'ENROLMENT', n.id, n.pupil_id, 'ON_ROLL', change_feed_enrolment_payload(n, p.upn)
  FROM new_rows n JOIN pupil p ON p.id = n.pupil_id
  ORDER BY n.on_roll_from, n.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER "change_feed_enrolment_insert" AFTER INSERT ON "enrolment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "change_feed_enrolment_insert"();

CREATE FUNCTION "change_feed_enrolment_update"() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
  SELECT p.trust_id, n.academy_id, 'ENROLMENT', n.id, n.pupil_id,
         CASE WHEN n.on_roll_to IS NOT NULL AND o.on_roll_to IS NULL THEN 'OFF_ROLL' ELSE 'UPDATED' END,
         change_feed_enrolment_payload(n, p.upn)
  FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN pupil p ON p.id = n.pupil_id
  WHERE to_jsonb(n) IS DISTINCT FROM to_jsonb(o)
  ORDER BY n.on_roll_from, n.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER "change_feed_enrolment_update" AFTER UPDATE ON "enrolment"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "change_feed_enrolment_update"();

-- A case action: CREATED, then STATUS_CHANGED (done, waived, escalated,
-- withdrawn) or UPDATED for any other change.
CREATE FUNCTION "change_feed_case_action_payload"(n case_action, upn text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'caseActionId', n.id, 'upn', upn, 'source', n.source, 'kind', n.kind, 'action', n.action,
    'assignee', n.assignee, 'dueOn', n.due_on, 'reason', n.reason, 'triggerKey', n.trigger_key,
    'status', n.status, 'statusReason', n.status_reason, 'statusAt', n.status_at,
    'escalatedFromId', n.escalated_from_id, 'createdAt', n.created_at)
$$;

CREATE FUNCTION "change_feed_case_action_insert"() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
  SELECT p.trust_id, n.academy_id, 'CASE_ACTION', n.id, n.pupil_id, 'CREATED', change_feed_case_action_payload(n, p.upn)
  FROM new_rows n JOIN pupil p ON p.id = n.pupil_id
  ORDER BY n.created_at, n.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER "change_feed_case_action_insert" AFTER INSERT ON "case_action"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "change_feed_case_action_insert"();

CREATE FUNCTION "change_feed_case_action_update"() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
  SELECT p.trust_id, n.academy_id, 'CASE_ACTION', n.id, n.pupil_id,
         CASE WHEN n.status IS DISTINCT FROM o.status THEN 'STATUS_CHANGED' ELSE 'UPDATED' END,
         change_feed_case_action_payload(n, p.upn)
  FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN pupil p ON p.id = n.pupil_id
  WHERE to_jsonb(n) IS DISTINCT FROM to_jsonb(o)
  ORDER BY n.created_at, n.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER "change_feed_case_action_update" AFTER UPDATE ON "case_action"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "change_feed_case_action_update"();

-- Rows written before this migration, so that a client following the feed
-- from the start ends with everything the API holds: the current state of
-- each pupil, enrolment and case action, and every mark version.
INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
SELECT n.trust_id, n.academy_id, 'PUPIL', n.id, n.id, 'CREATED', change_feed_pupil_payload(n) FROM pupil n ORDER BY n.created_at, n.id;
INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
SELECT p.trust_id, n.academy_id, 'ENROLMENT', n.id, n.pupil_id, CASE WHEN n.on_roll_to IS NULL THEN 'ON_ROLL' ELSE 'OFF_ROLL' END,
       change_feed_enrolment_payload(n, p.upn)
FROM enrolment n JOIN pupil p ON p.id = n.pupil_id ORDER BY n.created_at, n.id;
INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op)
SELECT a.trust_id, m.academy_id, 'MARK', m.id, m.pupil_id, CASE WHEN m.version = 1 THEN 'CREATED' ELSE 'AMENDED' END
FROM mark m JOIN academy a ON a.id = m.academy_id ORDER BY m.recorded_at, m.date, m.session, m.pupil_id, m.version;
INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op, payload)
SELECT p.trust_id, n.academy_id, 'CASE_ACTION', n.id, n.pupil_id, 'CREATED', change_feed_case_action_payload(n, p.upn)
FROM case_action n JOIN pupil p ON p.id = n.pupil_id ORDER BY n.created_at, n.id;

-- The application reads the feed; only the triggers above write it.
GRANT SELECT ON "change_event" TO attendance_app;
ALTER TABLE "change_event" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "change_event" FORCE ROW LEVEL SECURITY;
CREATE POLICY trust_isolation ON "change_event"
  USING (academy_id = ANY ((SELECT app_academy_ids())::uuid[]))
  WITH CHECK (academy_id = ANY ((SELECT app_academy_ids())::uuid[]));
