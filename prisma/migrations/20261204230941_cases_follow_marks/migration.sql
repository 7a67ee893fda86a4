-- AlterEnum
ALTER TYPE "case_action_status" ADD VALUE 'WITHDRAWN';

-- AlterTable
ALTER TABLE "mark" ADD COLUMN     "recorded_by_academy_id" UUID,
ADD COLUMN     "recorded_by_api_client_id" UUID,
ADD COLUMN     "recorded_by_name" TEXT,
ADD COLUMN     "recorded_by_role" TEXT;

-- AddForeignKey (marks are never deleted or changed, so RESTRICT: a SET NULL would be an UPDATE the append-only rule refuses)
ALTER TABLE "mark" ADD CONSTRAINT "mark_recorded_by_academy_id_fkey" FOREIGN KEY ("recorded_by_academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "penalty_notice" ADD COLUMN     "cited_sessions" JSONB NOT NULL DEFAULT '[]';

-- Who recorded each version of a mark, and in what position (seed 003, ATT,
-- Appendix 1 §2.2: amendments show "the name and position of the person who
-- made the amendment"; SI 2024/208 reg. 5 keeps the original entry and the
-- amendment). Filled on insert from the author's role assignments at that
-- moment, so every path that writes a mark (takeRegister, amendMark, a
-- decided leave request) records it the same way: the role held in the
-- mark's academy, else a trust-wide role; an API client is "API_CLIENT" with
-- its name. Values the caller supplies are kept (the demo data sets them).
CREATE FUNCTION "mark_author_position"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.recorded_by_id IS NOT NULL THEN
    SELECT r.role::text, r.academy_id INTO NEW.recorded_by_role, NEW.recorded_by_academy_id
    FROM role_assignment r
    WHERE r.user_id = NEW.recorded_by_id AND (r.academy_id = NEW.academy_id OR r.academy_id IS NULL)
    ORDER BY (r.academy_id IS NOT NULL) DESC, r.role
    LIMIT 1;
    SELECT u.display_name INTO NEW.recorded_by_name FROM app_user u WHERE u.id = NEW.recorded_by_id;
  ELSIF NEW.recorded_by_api_client_id IS NOT NULL THEN
    NEW.recorded_by_role := 'API_CLIENT';
    NEW.recorded_by_academy_id := NULL;
    SELECT c.name INTO NEW.recorded_by_name FROM api_client c WHERE c.id = NEW.recorded_by_api_client_id;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "mark_author_position" BEFORE INSERT ON "mark" FOR EACH ROW
  WHEN (NEW.recorded_by_role IS NULL AND (NEW.recorded_by_id IS NOT NULL OR NEW.recorded_by_api_client_id IS NOT NULL))
  EXECUTE FUNCTION "mark_author_position"();

-- Notices recorded before this migration cite the sessions of their evidence.
UPDATE "penalty_notice" SET "cited_sessions" = COALESCE("evidence" -> 'threshold' -> 'sessions', '[]'::jsonb)
WHERE jsonb_typeof("evidence" -> 'threshold' -> 'sessions') = 'array';
