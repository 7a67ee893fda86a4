-- AlterTable
ALTER TABLE "pupil" ADD COLUMN     "search_forename" TEXT,
ADD COLUMN     "search_preferred" TEXT,
ADD COLUMN     "search_surname" TEXT;

-- CreateIndex
CREATE INDEX "audit_entry_academy_id_at_idx" ON "audit_entry"("academy_id", "at");

-- CreateIndex
CREATE INDEX "pupil_search_forename_idx" ON "pupil"("search_forename");

-- CreateIndex
CREATE INDEX "pupil_search_surname_idx" ON "pupil"("search_surname");

-- CreateIndex
CREATE INDEX "pupil_search_preferred_idx" ON "pupil"("search_preferred");

-- ─── Written by hand ──────────────────────────────────────────────────────────
-- Pupil search (issue 15): names folded for search by the same character map
-- as foldForSearch (packages/core/src/search.ts; a core test checks the two
-- agree), kept on every insert and update by a trigger, so every writer (the
-- API, imports, the demo) fills them alike. translate() rather than the
-- unaccent extension, which PGlite does not load and a managed PostgreSQL may
-- not offer; rather than lower(), which under PGlite's C locale lowers ASCII only.
CREATE FUNCTION "app_search_fold"(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT translate($1, 'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšȘșŢŤŦţťŧȚțÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŸŶýÿŷŹŻŽźżž’‘ʼABCDEFGHIJKLMNOPQRSTUVWXYZ', 'aaaaaaaaaaaaaaaaaaccccccccccddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiiijjkkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssssttttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz''''''abcdefghijklmnopqrstuvwxyz') $$;
GRANT EXECUTE ON FUNCTION "app_search_fold"(text) TO attendance_app;

CREATE FUNCTION "pupil_search_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_forename := app_search_fold(NEW.legal_forename);
  NEW.search_surname := app_search_fold(NEW.legal_surname);
  NEW.search_preferred := app_search_fold(NEW.preferred_forename);
  RETURN NEW;
END
$$;
CREATE TRIGGER "pupil_search_keep" BEFORE INSERT OR UPDATE ON "pupil" FOR EACH ROW EXECUTE FUNCTION "pupil_search_keep"();

UPDATE "pupil" SET "search_forename" = app_search_fold("legal_forename"), "search_surname" = app_search_fold("legal_surname"),
  "search_preferred" = app_search_fold("preferred_forename");

-- Prefix searches (LIKE 'zoe%') use these whatever the database's collation:
-- text_pattern_ops compares character by character (PostgreSQL manual,
-- "Operator Classes and Operator Families").
DROP INDEX "pupil_search_forename_idx";
DROP INDEX "pupil_search_surname_idx";
DROP INDEX "pupil_search_preferred_idx";
CREATE INDEX "pupil_search_forename_idx" ON "pupil"("search_forename" text_pattern_ops);
CREATE INDEX "pupil_search_surname_idx" ON "pupil"("search_surname" text_pattern_ops);
CREATE INDEX "pupil_search_preferred_idx" ON "pupil"("search_preferred" text_pattern_ops);

-- Staff invited through the API (inviteStaff). app_user's policy shows only
-- users holding a role in the request's trust, so a new user (who holds none
-- yet) could not be inserted: this function inserts one, or finds the user
-- with that e-mail, and returns the id, which the caller then gives a role in
-- its trust in the same transaction. Narrow on purpose: it needs a trust on
-- the transaction, writes no other column, changes no existing user, refuses
-- one who holds a role in another trust, and returns nothing but the id. Who may invite is decided before it is called
-- (schema/src/modules/administration.ts).
CREATE FUNCTION "app_enrol_user"(p_email text, p_display_name text, p_subject text) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  found uuid;
BEGIN
  IF app_trust_id() IS NULL THEN RAISE EXCEPTION 'app_enrol_user needs a trust' USING ERRCODE = 'insufficient_privilege'; END IF;
  SELECT id INTO found FROM app_user WHERE email = p_email;
  -- A user who holds a role in another trust stays theirs: a second trust's
  -- role would stop them signing in anywhere (a user acts in exactly one trust).
  IF found IS NOT NULL AND EXISTS (
    SELECT 1 FROM role_assignment WHERE user_id = found AND trust_id <> app_trust_id() AND revoked_at IS NULL
  ) THEN
    RAISE EXCEPTION 'e-mail in use elsewhere' USING ERRCODE = 'unique_violation';
  END IF;
  IF found IS NULL THEN
    INSERT INTO app_user (email, display_name, subject) VALUES (p_email, p_display_name, p_subject) RETURNING id INTO found;
  END IF;
  RETURN found;
END
$$;
REVOKE ALL ON FUNCTION "app_enrol_user"(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "app_enrol_user"(text, text, text) TO attendance_app;
