-- School calendars through the API (issue #14, item 1): a trust-wide calendar
-- (rows with academy_id null) that every academy of the trust inherits for a
-- school year in which it has no half terms of its own; closures of the trust
-- apply to all its academies. Rows carry their trust, so row-level security is
-- keyed by it; nothing is deleted: replaced half terms and withdrawn closures
-- keep who, when (and for a closure, why).
-- DropForeignKey
ALTER TABLE "school_closure" DROP CONSTRAINT "school_closure_academy_id_fkey";

-- DropForeignKey
ALTER TABLE "school_term" DROP CONSTRAINT "school_term_academy_id_fkey";

-- DropIndex
DROP INDEX "school_term_academy_id_start_date_key";

-- AlterTable
ALTER TABLE "school_closure" ADD COLUMN     "trust_id" UUID;
UPDATE "school_closure" SET "trust_id" = "academy"."trust_id" FROM "academy" WHERE "academy"."id" = "school_closure"."academy_id";
ALTER TABLE "school_closure" ALTER COLUMN "trust_id" SET NOT NULL;

ALTER TABLE "school_closure" ADD COLUMN     "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "created_by_id" UUID,
ADD COLUMN     "withdrawal_reason" TEXT,
ADD COLUMN     "withdrawn_at" TIMESTAMPTZ(3),
ADD COLUMN     "withdrawn_by_id" UUID,
ALTER COLUMN "academy_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "school_term" ADD COLUMN     "trust_id" UUID;
UPDATE "school_term" SET "trust_id" = "academy"."trust_id" FROM "academy" WHERE "academy"."id" = "school_term"."academy_id";
ALTER TABLE "school_term" ALTER COLUMN "trust_id" SET NOT NULL;

ALTER TABLE "school_term" ADD COLUMN     "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "created_by_id" UUID,
ADD COLUMN     "replaced_at" TIMESTAMPTZ(3),
ADD COLUMN     "replaced_by_id" UUID,
ALTER COLUMN "academy_id" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "school_closure_trust_id_start_date_idx" ON "school_closure"("trust_id", "start_date");

-- CreateIndex
CREATE INDEX "school_term_trust_id_academic_year_idx" ON "school_term"("trust_id", "academic_year");

-- CreateIndex
CREATE INDEX "school_term_academy_id_start_date_idx" ON "school_term"("academy_id", "start_date");

-- AddForeignKey
ALTER TABLE "school_term" ADD CONSTRAINT "school_term_trust_id_fkey" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_term" ADD CONSTRAINT "school_term_academy_id_trust_id_fkey" FOREIGN KEY ("academy_id", "trust_id") REFERENCES "academy"("id", "trust_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_term" ADD CONSTRAINT "school_term_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_term" ADD CONSTRAINT "school_term_replaced_by_id_fkey" FOREIGN KEY ("replaced_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_closure" ADD CONSTRAINT "school_closure_trust_id_fkey" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_closure" ADD CONSTRAINT "school_closure_academy_id_trust_id_fkey" FOREIGN KEY ("academy_id", "trust_id") REFERENCES "academy"("id", "trust_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_closure" ADD CONSTRAINT "school_closure_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school_closure" ADD CONSTRAINT "school_closure_withdrawn_by_id_fkey" FOREIGN KEY ("withdrawn_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ─── Written by hand: the database roles (migration 20261204230000_database_roles) ───
-- Row-level security keyed by the trust on every row, trust-wide or an
-- academy's; the composite foreign key above keeps an academy's row in that
-- academy's trust.
DROP POLICY trust_isolation ON "school_term";
DROP POLICY trust_isolation ON "school_closure";
CREATE POLICY trust_isolation ON "school_term" USING (trust_id = app_trust_id()) WITH CHECK (trust_id = app_trust_id());
CREATE POLICY trust_isolation ON "school_closure" USING (trust_id = app_trust_id()) WITH CHECK (trust_id = app_trust_id());
-- Replacing a year's half terms and withdrawing a closure are the only
-- updates, and touch only these columns; still no DELETE.
GRANT UPDATE ("replaced_at", "replaced_by_id") ON "school_term" TO attendance_app;
GRANT UPDATE ("withdrawn_at", "withdrawn_by_id", "withdrawal_reason") ON "school_closure" TO attendance_app;
