-- ─── Written by hand ──────────────────────────────────────────────────────────
-- The database as the second line of defence (issue #13 item 9; OWASP API
-- Security Top 10 2023, API1 Broken Object Level Authorization, and the OWASP
-- Database Security Cheat Sheet, "least privilege"): the server's GraphQL
-- operations run as attendance_app, a role that owns nothing, is not a
-- superuser and has no BYPASSRLS, so
--   - it cannot set session_replication_role, DISABLE TRIGGER or TRUNCATE
--     (the append-only rule on mark stands),
--   - current_mark, attendance_week and audit_entry accept no UPDATE or DELETE
--     from it (the first two are written only by the triggers below, which
--     run as their owner),
--   - row-level security keys every tenant table to the trust set for the
--     transaction (set_config('app.trust_id', <uuid>, true)); with none set it
--     sees no tenant row at all.
-- Migrations, seeding and background jobs run as the owner.

-- Roles belong to the cluster, not the database: created once, and tolerated
-- when a concurrent migration (another database on the same server) wins.
-- NOLOGIN: the server switches to it per transaction (SET LOCAL ROLE); a
-- deployment may instead ALTER ROLE attendance_app LOGIN PASSWORD ... and
-- connect as it (README, "Database roles").
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'attendance_app') THEN
    CREATE ROLE attendance_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
-- The owner (whoever runs migrations) may switch to it.
DO $$
BEGIN
  EXECUTE format('GRANT attendance_app TO %I', current_user);
EXCEPTION WHEN duplicate_object OR unique_violation OR invalid_grant_operation THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO attendance_app;

-- The trust of the current transaction, or null (then no tenant row is visible).
CREATE FUNCTION "app_trust_id"() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.trust_id', true), '')::uuid $$;

-- The academies of that trust. SECURITY DEFINER so that policies on every
-- academy-keyed table need not re-check academy's own policy row by row;
-- policies call it as (SELECT app_academy_ids())::uuid[], evaluated once per
-- statement (an initplan), not once per row.
CREATE FUNCTION "app_academy_ids"() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT coalesce(array_agg(id), '{}') FROM academy WHERE trust_id = app_trust_id() $$;
REVOKE ALL ON FUNCTION "app_academy_ids"() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_trust_id"(), "app_academy_ids"() TO attendance_app;

-- What the application reads and writes. No DELETE anywhere (nothing is
-- deleted through the API), UPDATE only where a mutation changes a row.
GRANT SELECT ON "local_authority" TO attendance_app;
GRANT SELECT, INSERT ON
  "trust", "academy", "form", "pupil", "enrolment", "local_authority_notification",
  "school_term", "school_closure", "register", "register_submission", "mark",
  "policy_settings", "app_user", "role_assignment", "form_tutor", "api_client",
  "api_client_academy", "audit_entry", "carer", "leave_request", "case_action",
  "letter", "penalty_notice", "webhook_endpoint", "webhook_delivery"
  TO attendance_app;
GRANT UPDATE ON
  "pupil", "enrolment", "local_authority_notification", "api_client", "leave_request",
  "case_action", "letter", "penalty_notice", "webhook_endpoint", "webhook_delivery"
  TO attendance_app;
-- takeRegister finds-or-creates its register with ON CONFLICT DO UPDATE of the
-- key to itself (to lock and return it): that column only.
GRANT UPDATE ("academy_id") ON "register" TO attendance_app;
-- Kept by triggers only.
GRANT SELECT ON "current_mark", "attendance_week" TO attendance_app;

-- The triggers that keep current_mark and attendance_week run as their owner,
-- the only writer those tables have.
ALTER FUNCTION "mark_keep_current"() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION "attendance_week_refresh"() SECURITY DEFINER SET search_path = public, pg_temp;

-- Row-level security, forced so that it holds for the owner too unless it is
-- a superuser or has BYPASSRLS (migrations and seeding need one of those).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'trust', 'academy', 'form', 'pupil', 'enrolment', 'local_authority_notification',
    'school_term', 'school_closure', 'register', 'register_submission', 'mark',
    'attendance_week', 'current_mark', 'policy_settings', 'app_user', 'role_assignment',
    'form_tutor', 'api_client', 'api_client_academy', 'audit_entry', 'carer',
    'leave_request', 'case_action', 'letter', 'penalty_notice', 'webhook_endpoint',
    'webhook_delivery'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
  -- Tables with the academy's id on every row.
  FOREACH t IN ARRAY ARRAY[
    'form', 'pupil', 'enrolment', 'local_authority_notification', 'school_term',
    'school_closure', 'register', 'mark', 'attendance_week', 'current_mark',
    'api_client_academy', 'carer', 'leave_request', 'case_action', 'letter', 'penalty_notice'
  ] LOOP
    EXECUTE format(
      'CREATE POLICY trust_isolation ON %I USING (academy_id = ANY ((SELECT app_academy_ids())::uuid[])) '
      'WITH CHECK (academy_id = ANY ((SELECT app_academy_ids())::uuid[]))', t);
  END LOOP;
  -- Tables with the trust's id on every row.
  FOREACH t IN ARRAY ARRAY['academy', 'role_assignment', 'api_client', 'webhook_endpoint'] LOOP
    EXECUTE format(
      'CREATE POLICY trust_isolation ON %I USING (trust_id = app_trust_id()) WITH CHECK (trust_id = app_trust_id())', t);
  END LOOP;
END
$$;

CREATE POLICY trust_isolation ON "trust" USING (id = app_trust_id()) WITH CHECK (id = app_trust_id());
CREATE POLICY trust_isolation ON "policy_settings"
  USING (trust_id = app_trust_id() OR academy_id = ANY ((SELECT app_academy_ids())::uuid[]))
  WITH CHECK (trust_id = app_trust_id() OR academy_id = ANY ((SELECT app_academy_ids())::uuid[]));
-- Rows reached through a parent: visible when the parent is (its own policy applies).
CREATE POLICY trust_isolation ON "register_submission"
  USING (register_id IN (SELECT id FROM register)) WITH CHECK (register_id IN (SELECT id FROM register));
CREATE POLICY trust_isolation ON "form_tutor"
  USING (form_id IN (SELECT id FROM form)) WITH CHECK (form_id IN (SELECT id FROM form));
CREATE POLICY trust_isolation ON "webhook_delivery"
  USING (endpoint_id IN (SELECT id FROM webhook_endpoint)) WITH CHECK (endpoint_id IN (SELECT id FROM webhook_endpoint));
-- Staff: those holding a role in the trust.
CREATE POLICY trust_isolation ON "app_user"
  USING (id IN (SELECT user_id FROM role_assignment)) WITH CHECK (id IN (SELECT user_id FROM role_assignment));
-- The audit log: a trust reads its own; a refused anonymous request is
-- logged with no trust.
CREATE POLICY trust_reads ON "audit_entry" FOR SELECT USING (trust_id = app_trust_id());
CREATE POLICY trust_writes ON "audit_entry" FOR INSERT WITH CHECK (trust_id IS NULL OR trust_id = app_trust_id());
