-- DropIndex
DROP INDEX "carer_pupil_id_idx";

-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "subject" TEXT;

-- AlterTable
ALTER TABLE "carer" ADD COLUMN     "email" TEXT,
ADD COLUMN     "no_contact" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "relationship" TEXT,
ADD COLUMN     "telephones" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "form_tutor" ADD COLUMN     "revoked_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "role_assignment" ADD COLUMN     "revoked_at" TIMESTAMPTZ(3),
ADD COLUMN     "revoked_by_id" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "app_user_subject_key" ON "app_user"("subject");

-- CreateIndex
CREATE UNIQUE INDEX "carer_pupil_id_contact_order_key" ON "carer"("pupil_id", "contact_order");

-- A carer is one pupil's contact at one priority: the natural key imports and
-- administrators update by (the unique index above).
-- Administration through the API changes these rows (never deletes them: a
-- role or a tutor assignment is revoked, not removed).
GRANT UPDATE ON "carer", "academy", "form" TO attendance_app;
GRANT UPDATE ("display_name", "subject") ON "app_user" TO attendance_app;
GRANT UPDATE ("revoked_at", "revoked_by_id") ON "role_assignment" TO attendance_app;
GRANT UPDATE ("revoked_at") ON "form_tutor" TO attendance_app;
