-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "phase" AS ENUM ('NURSERY', 'PRIMARY', 'MIDDLE', 'SECONDARY', 'ALL_THROUGH', 'SPECIAL', 'ALTERNATIVE_PROVISION', 'SIXTH_FORM');

-- CreateEnum
CREATE TYPE "gender" AS ENUM ('FEMALE', 'MALE', 'OTHER');

-- CreateEnum
CREATE TYPE "sen_provision" AS ENUM ('NONE', 'SEN_SUPPORT', 'EHCP');

-- CreateEnum
CREATE TYPE "registration_type" AS ENUM ('SINGLE', 'DUAL_MAIN', 'DUAL_SUBSIDIARY');

-- CreateEnum
CREATE TYPE "deletion_ground" AS ENUM ('REGISTERED_ELSEWHERE', 'NURSERY_NOT_CONTINUING', 'DUAL_REGISTRATION_ENDED', 'ATTENDANCE_ORDER_OTHER_SCHOOL', 'ATTENDANCE_ORDER_REVOKED', 'ELECTIVE_HOME_EDUCATION', 'MOVED_AWAY', 'NOT_RETURNED_AFTER_LEAVE', 'CONTINUOUSLY_ABSENT_20_DAYS', 'DETENTION', 'DIED', 'OVER_COMPULSORY_AGE', 'BOARDING_FEES_UNPAID', 'LEFT_INDEPENDENT_SPECIAL_SCHOOL', 'PERMANENTLY_EXCLUDED');

-- CreateEnum
CREATE TYPE "notification_kind" AS ENUM ('NEW_ENTRY', 'DELETION', 'EXTENDED_SICKNESS', 'UNEXPLAINED_ABSENCE');

-- CreateEnum
CREATE TYPE "closure_kind" AS ENUM ('INSET', 'BANK_HOLIDAY', 'PLANNED', 'UNEXPECTED');

-- CreateEnum
CREATE TYPE "session" AS ENUM ('AM', 'PM');

-- CreateEnum
CREATE TYPE "attendance_category" AS ENUM ('PRESENT', 'APPROVED_ACTIVITY', 'AUTHORISED_ABSENCE', 'UNAUTHORISED_ABSENCE', 'NOT_POSSIBLE');

-- CreateEnum
CREATE TYPE "policy_layer" AS ENUM ('NATIONAL', 'LOCAL_AUTHORITY', 'TRUST', 'ACADEMY', 'ACADEMY_OVERRIDE');

-- CreateEnum
CREATE TYPE "role" AS ENUM ('TRUST_ADMIN', 'TRUST_ATTENDANCE_LEAD', 'HEADTEACHER', 'ACADEMY_ADMIN', 'ATTENDANCE_OFFICER', 'TEACHER');

-- CreateTable
CREATE TABLE "trust" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "policy_plugin" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trust_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "local_authority" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "policy_plugin" TEXT,

    CONSTRAINT "local_authority_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "academy" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "trust_id" UUID NOT NULL,
    "local_authority_id" UUID NOT NULL,
    "urn" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "phase" "phase" NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'Europe/London',
    "policy_plugin" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "academy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "form" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "year_group" INTEGER NOT NULL,

    CONSTRAINT "form_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pupil" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "form_id" UUID,
    "upn" TEXT NOT NULL,
    "legal_forename" TEXT NOT NULL,
    "legal_surname" TEXT NOT NULL,
    "preferred_forename" TEXT,
    "date_of_birth" DATE NOT NULL,
    "gender" "gender" NOT NULL,
    "year_group" INTEGER NOT NULL,
    "sen_provision" "sen_provision" NOT NULL DEFAULT 'NONE',
    "free_school_meals" BOOLEAN NOT NULL DEFAULT false,
    "pupil_premium" BOOLEAN NOT NULL DEFAULT false,
    "english_additional_language" BOOLEAN NOT NULL DEFAULT false,
    "looked_after" BOOLEAN NOT NULL DEFAULT false,
    "has_social_worker" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pupil_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrolment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "pupil_id" UUID NOT NULL,
    "academy_id" UUID NOT NULL,
    "registration_type" "registration_type" NOT NULL DEFAULT 'SINGLE',
    "on_roll_from" DATE NOT NULL,
    "on_roll_to" DATE,
    "deletion_ground" "deletion_ground",
    "deletion_note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "local_authority_notification" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "local_authority_id" UUID NOT NULL,
    "academy_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "enrolment_id" UUID,
    "kind" "notification_kind" NOT NULL,
    "due_by" DATE NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "local_authority_notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "school_term" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "academic_year" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,

    CONSTRAINT "school_term_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "school_closure" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "kind" "closure_kind" NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,
    "session" "session",
    "reason" TEXT,

    CONSTRAINT "school_closure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "register" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "session" "session" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "register_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "register_submission" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "register_id" UUID NOT NULL,
    "form_id" UUID NOT NULL,
    "taken_by_id" UUID,
    "taken_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "register_submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mark" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "register_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "academy_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "session" "session" NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "code" TEXT NOT NULL,
    "category" "attendance_category" NOT NULL,
    "minutes_late" INTEGER,
    "arrived_at" TIMESTAMPTZ(3),
    "note" TEXT,
    "amendment_reason" TEXT,
    "recorded_by_id" UUID,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mark_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_settings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "layer" "policy_layer" NOT NULL,
    "trust_id" UUID,
    "academy_id" UUID,
    "settings" JSONB NOT NULL,
    "effective_from" DATE NOT NULL,
    "reason" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role_assignment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "role" "role" NOT NULL,
    "trust_id" UUID NOT NULL,
    "academy_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "role_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "form_tutor" (
    "form_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,

    CONSTRAINT "form_tutor_pkey" PRIMARY KEY ("form_id","user_id")
);

-- CreateTable
CREATE TABLE "api_client" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "trust_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "rate_limit_per_minute" INTEGER NOT NULL DEFAULT 600,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_client_academy" (
    "api_client_id" UUID NOT NULL,
    "academy_id" UUID NOT NULL,

    CONSTRAINT "api_client_academy_pkey" PRIMARY KEY ("api_client_id","academy_id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" TEXT NOT NULL,
    "actor_id" UUID,
    "api_client_id" UUID,
    "trust_id" UUID,
    "academy_id" UUID,
    "operation" TEXT NOT NULL,
    "variables" JSONB,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "trust_slug_key" ON "trust"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "local_authority_code_key" ON "local_authority"("code");

-- CreateIndex
CREATE UNIQUE INDEX "academy_urn_key" ON "academy"("urn");

-- CreateIndex
CREATE INDEX "academy_trust_id_idx" ON "academy"("trust_id");

-- CreateIndex
CREATE INDEX "form_academy_id_year_group_idx" ON "form"("academy_id", "year_group");

-- CreateIndex
CREATE UNIQUE INDEX "form_academy_id_name_key" ON "form"("academy_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "pupil_upn_key" ON "pupil"("upn");

-- CreateIndex
CREATE INDEX "pupil_academy_id_year_group_idx" ON "pupil"("academy_id", "year_group");

-- CreateIndex
CREATE INDEX "pupil_form_id_idx" ON "pupil"("form_id");

-- CreateIndex
CREATE INDEX "enrolment_academy_id_on_roll_from_idx" ON "enrolment"("academy_id", "on_roll_from");

-- CreateIndex
CREATE INDEX "enrolment_pupil_id_idx" ON "enrolment"("pupil_id");

-- CreateIndex
CREATE INDEX "local_authority_notification_academy_id_sent_at_due_by_idx" ON "local_authority_notification"("academy_id", "sent_at", "due_by");

-- CreateIndex
CREATE UNIQUE INDEX "school_term_academy_id_start_date_key" ON "school_term"("academy_id", "start_date");

-- CreateIndex
CREATE INDEX "school_closure_academy_id_start_date_idx" ON "school_closure"("academy_id", "start_date");

-- CreateIndex
CREATE UNIQUE INDEX "register_academy_id_date_session_key" ON "register"("academy_id", "date", "session");

-- CreateIndex
CREATE INDEX "register_submission_register_id_form_id_idx" ON "register_submission"("register_id", "form_id");

-- CreateIndex
CREATE INDEX "mark_academy_id_date_idx" ON "mark"("academy_id", "date");

-- CreateIndex
CREATE INDEX "mark_pupil_id_date_idx" ON "mark"("pupil_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "mark_register_id_pupil_id_version_key" ON "mark"("register_id", "pupil_id", "version");

-- CreateIndex
CREATE INDEX "policy_settings_academy_id_effective_from_idx" ON "policy_settings"("academy_id", "effective_from");

-- CreateIndex
CREATE INDEX "policy_settings_trust_id_effective_from_idx" ON "policy_settings"("trust_id", "effective_from");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE INDEX "role_assignment_user_id_idx" ON "role_assignment"("user_id");

-- CreateIndex
CREATE INDEX "form_tutor_user_id_idx" ON "form_tutor"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_client_key_prefix_key" ON "api_client"("key_prefix");

-- CreateIndex
CREATE INDEX "api_client_trust_id_idx" ON "api_client"("trust_id");

-- CreateIndex
CREATE INDEX "audit_entry_trust_id_at_idx" ON "audit_entry"("trust_id", "at");

-- AddForeignKey
ALTER TABLE "academy" ADD CONSTRAINT "academy_trust_id_fkey" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "academy" ADD CONSTRAINT "academy_local_authority_id_fkey" FOREIGN KEY ("local_authority_id") REFERENCES "local_authority"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "form" ADD CONSTRAINT "form_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pupil" ADD CONSTRAINT "pupil_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pupil" ADD CONSTRAINT "pupil_form_id_fkey" FOREIGN KEY ("form_id") REFERENCES "form"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "local_authority_notification" ADD CONSTRAINT "local_authority_notification_local_authority_id_fkey" FOREIGN KEY ("local_authority_id") REFERENCES "local_authority"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "local_authority_notification" ADD CONSTRAINT "local_authority_notification_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "local_authority_notification" ADD CONSTRAINT "local_authority_notification_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "local_authority_notification" ADD CONSTRAINT "local_authority_notification_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_term" ADD CONSTRAINT "school_term_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_closure" ADD CONSTRAINT "school_closure_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "register" ADD CONSTRAINT "register_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "register_submission" ADD CONSTRAINT "register_submission_register_id_fkey" FOREIGN KEY ("register_id") REFERENCES "register"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "register_submission" ADD CONSTRAINT "register_submission_form_id_fkey" FOREIGN KEY ("form_id") REFERENCES "form"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "register_submission" ADD CONSTRAINT "register_submission_taken_by_id_fkey" FOREIGN KEY ("taken_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mark" ADD CONSTRAINT "mark_register_id_fkey" FOREIGN KEY ("register_id") REFERENCES "register"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mark" ADD CONSTRAINT "mark_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mark" ADD CONSTRAINT "mark_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mark" ADD CONSTRAINT "mark_recorded_by_id_fkey" FOREIGN KEY ("recorded_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_settings" ADD CONSTRAINT "policy_settings_trust_id_fkey" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_settings" ADD CONSTRAINT "policy_settings_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_settings" ADD CONSTRAINT "policy_settings_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_assignment" ADD CONSTRAINT "role_assignment_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_assignment" ADD CONSTRAINT "role_assignment_trust_id_fkey" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_assignment" ADD CONSTRAINT "role_assignment_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "form_tutor" ADD CONSTRAINT "form_tutor_form_id_fkey" FOREIGN KEY ("form_id") REFERENCES "form"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "form_tutor" ADD CONSTRAINT "form_tutor_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_client" ADD CONSTRAINT "api_client_trust_id_fkey" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_client" ADD CONSTRAINT "api_client_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_client_academy" ADD CONSTRAINT "api_client_academy_api_client_id_fkey" FOREIGN KEY ("api_client_id") REFERENCES "api_client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_client_academy" ADD CONSTRAINT "api_client_academy_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ─── Written by hand: rules the Prisma schema language cannot express ───────────

-- Register marks are append-only. An amendment is a new row with the next
-- version; the original entry is never changed or deleted (regulation on
-- register amendments; seed 003, "Amending the register"; DESIGN.md §3).
CREATE FUNCTION "mark_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'register marks are append-only: % on mark is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER "mark_append_only" BEFORE UPDATE OR DELETE ON "mark"
  FOR EACH ROW EXECUTE FUNCTION "mark_is_append_only"();
CREATE TRIGGER "mark_no_truncate" BEFORE TRUNCATE ON "mark"
  FOR EACH STATEMENT EXECUTE FUNCTION "mark_is_append_only"();

-- An amendment says why; an original entry has nothing to amend.
ALTER TABLE "mark" ADD CONSTRAINT "mark_amendment_has_reason"
  CHECK ((version = 1) = (amendment_reason IS NULL));
ALTER TABLE "mark" ADD CONSTRAINT "mark_version_positive" CHECK (version >= 1);
ALTER TABLE "mark" ADD CONSTRAINT "mark_minutes_late_non_negative" CHECK (minutes_late IS NULL OR minutes_late >= 0);

-- Settings saved through the API are the defaults of a trust or the own
-- overrides; the other layers come from plugins, not from rows.
ALTER TABLE "policy_settings" ADD CONSTRAINT "policy_settings_owner" CHECK (
  (layer = 'TRUST' AND trust_id IS NOT NULL AND academy_id IS NULL)
  OR (layer = 'ACADEMY_OVERRIDE' AND academy_id IS NOT NULL)
);

-- Every deletion from the admission register gives its lawful ground
-- (regulation 9(1)); anything else is off-rolling.
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_deletion_has_ground"
  CHECK (on_roll_to IS NULL OR deletion_ground IS NOT NULL);
