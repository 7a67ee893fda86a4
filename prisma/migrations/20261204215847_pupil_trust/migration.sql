-- DropForeignKey
ALTER TABLE "pupil" DROP CONSTRAINT "pupil_academy_id_fkey";

-- DropIndex
DROP INDEX "pupil_upn_key";

-- AlterTable: the pupil's trust, backfilled from its academy, then required.
-- A UPN identifies a child nationally, but a trust may only learn whether a
-- UPN is on its own roll: unique per trust, so another trust's record is
-- neither revealed by a refusal (OWASP API1:2023, API3:2023) nor in the way of
-- a child who moves between trusts (a new enrolment in the receiving trust).
ALTER TABLE "pupil" ADD COLUMN     "trust_id" UUID;
UPDATE "pupil" SET "trust_id" = "academy"."trust_id" FROM "academy" WHERE "academy"."id" = "pupil"."academy_id";
ALTER TABLE "pupil" ALTER COLUMN "trust_id" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "academy_id_trust_id_key" ON "academy"("id", "trust_id");

-- CreateIndex
CREATE UNIQUE INDEX "pupil_trust_id_upn_key" ON "pupil"("trust_id", "upn");

-- AddForeignKey: (academy, trust) together, so the pupil's trust is always its academy's.
ALTER TABLE "pupil" ADD CONSTRAINT "pupil_academy_id_trust_id_fkey" FOREIGN KEY ("academy_id", "trust_id") REFERENCES "academy"("id", "trust_id") ON DELETE RESTRICT ON UPDATE CASCADE;
