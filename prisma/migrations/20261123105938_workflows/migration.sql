-- CreateEnum
CREATE TYPE "leave_status" AS ENUM ('REQUESTED', 'AUTHORISED', 'REFUSED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "case_action_kind" AS ENUM ('DETENTION', 'LETTER', 'MEETING', 'TARGETS', 'PARENTING_CONTRACT', 'REFERRAL', 'HOME_VISIT', 'CONTACT', 'OTHER');

-- CreateEnum
CREATE TYPE "case_action_source" AS ENUM ('LATENESS_LADDER', 'ABSENCE_LADDER', 'MISSING_EDUCATION');

-- CreateEnum
CREATE TYPE "case_action_status" AS ENUM ('OPEN', 'DONE', 'WAIVED', 'ESCALATED');

-- CreateEnum
CREATE TYPE "penalty_notice_status" AS ENUM ('ISSUED', 'PAID', 'UNPAID', 'PROSECUTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "webhook_delivery_status" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "carer" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "pupil_id" UUID NOT NULL,
    "academy_id" UUID NOT NULL,
    "salutation" TEXT NOT NULL,
    "forename" TEXT NOT NULL,
    "surname" TEXT NOT NULL,
    "address_lines" TEXT[],
    "parental_responsibility" BOOLEAN NOT NULL DEFAULT true,
    "contact_order" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "carer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "leave_request" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "from_date" DATE NOT NULL,
    "from_session" "session" NOT NULL,
    "to_date" DATE NOT NULL,
    "to_session" "session" NOT NULL,
    "answers" JSONB NOT NULL,
    "form" JSONB NOT NULL,
    "assessment" JSONB NOT NULL,
    "requested_on" DATE NOT NULL,
    "requested_by_id" UUID,
    "status" "leave_status" NOT NULL DEFAULT 'REQUESTED',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "leave_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_action" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "trigger_key" TEXT NOT NULL,
    "source" "case_action_source" NOT NULL,
    "kind" "case_action_kind" NOT NULL,
    "action" TEXT NOT NULL,
    "assignee" TEXT,
    "due_on" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "rule" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "status" "case_action_status" NOT NULL DEFAULT 'OPEN',
    "status_reason" TEXT,
    "status_by_id" UUID,
    "status_at" TIMESTAMPTZ(3),
    "escalated_from_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "letter" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "carer_id" UUID,
    "case_action_id" UUID,
    "template_key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "rendered_by_id" UUID,
    "rendered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "sent_by_id" UUID,
    "sent_via" TEXT,

    CONSTRAINT "letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "penalty_notice" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "academy_id" UUID NOT NULL,
    "pupil_id" UUID NOT NULL,
    "carer_id" UUID NOT NULL,
    "issued_on" DATE NOT NULL,
    "amount_within_21_days" INTEGER NOT NULL,
    "amount_within_28_days" INTEGER NOT NULL,
    "status" "penalty_notice_status" NOT NULL DEFAULT 'ISSUED',
    "evidence" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "penalty_notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_endpoint" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "trust_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "endpoint_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "webhook_delivery_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "carer_pupil_id_idx" ON "carer"("pupil_id");

-- CreateIndex
CREATE INDEX "leave_request_academy_id_status_from_date_idx" ON "leave_request"("academy_id", "status", "from_date");

-- CreateIndex
CREATE INDEX "leave_request_pupil_id_from_date_idx" ON "leave_request"("pupil_id", "from_date");

-- CreateIndex
CREATE INDEX "case_action_academy_id_status_due_on_idx" ON "case_action"("academy_id", "status", "due_on");

-- CreateIndex
CREATE UNIQUE INDEX "case_action_pupil_id_trigger_key_key" ON "case_action"("pupil_id", "trigger_key");

-- CreateIndex
CREATE INDEX "letter_pupil_id_rendered_at_idx" ON "letter"("pupil_id", "rendered_at");

-- CreateIndex
CREATE INDEX "letter_academy_id_rendered_at_idx" ON "letter"("academy_id", "rendered_at");

-- CreateIndex
CREATE INDEX "penalty_notice_carer_id_pupil_id_issued_on_idx" ON "penalty_notice"("carer_id", "pupil_id", "issued_on");

-- CreateIndex
CREATE INDEX "webhook_endpoint_trust_id_idx" ON "webhook_endpoint"("trust_id");

-- CreateIndex
CREATE INDEX "webhook_delivery_status_next_attempt_at_idx" ON "webhook_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_endpoint_id_created_at_idx" ON "webhook_delivery"("endpoint_id", "created_at");

-- AddForeignKey
ALTER TABLE "carer" ADD CONSTRAINT "carer_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "carer" ADD CONSTRAINT "carer_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leave_request" ADD CONSTRAINT "leave_request_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leave_request" ADD CONSTRAINT "leave_request_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leave_request" ADD CONSTRAINT "leave_request_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leave_request" ADD CONSTRAINT "leave_request_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_action" ADD CONSTRAINT "case_action_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_action" ADD CONSTRAINT "case_action_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter" ADD CONSTRAINT "letter_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter" ADD CONSTRAINT "letter_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter" ADD CONSTRAINT "letter_carer_id_fkey" FOREIGN KEY ("carer_id") REFERENCES "carer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "letter" ADD CONSTRAINT "letter_case_action_id_fkey" FOREIGN KEY ("case_action_id") REFERENCES "case_action"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty_notice" ADD CONSTRAINT "penalty_notice_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty_notice" ADD CONSTRAINT "penalty_notice_pupil_id_fkey" FOREIGN KEY ("pupil_id") REFERENCES "pupil"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty_notice" ADD CONSTRAINT "penalty_notice_carer_id_fkey" FOREIGN KEY ("carer_id") REFERENCES "carer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_trust_id_fkey" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: rules the schema language cannot say.
-- A decided request names its decision's reason; an undecided one has none.
ALTER TABLE "leave_request" ADD CONSTRAINT "leave_request_decision" CHECK (
  (status IN ('AUTHORISED', 'REFUSED')) = (decision_reason IS NOT NULL AND decided_at IS NOT NULL));
ALTER TABLE "leave_request" ADD CONSTRAINT "leave_request_dates" CHECK (
  from_date < to_date OR (from_date = to_date AND (from_session = 'AM' OR to_session = 'PM')));
-- A case action closed (done, waived, escalated) says why, who and when; waived and escalated need a reason.
ALTER TABLE "case_action" ADD CONSTRAINT "case_action_closed" CHECK (
  (status = 'OPEN') = (status_at IS NULL)
  AND (status NOT IN ('WAIVED', 'ESCALATED') OR status_reason IS NOT NULL));
ALTER TABLE "penalty_notice" ADD CONSTRAINT "penalty_notice_amounts" CHECK (
  amount_within_21_days >= 0 AND amount_within_28_days >= amount_within_21_days);
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_attempts" CHECK (attempts >= 0);
