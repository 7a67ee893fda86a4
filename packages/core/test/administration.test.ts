// Administration rules (issue 15): who may grant which role, and how names are
// folded for search, table-tested.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { foldForSearch, isCarerRelationship, isEmailAddress, isUrn, mayGrantRole, searchWords, SEARCH_FOLD_FROM, SEARCH_FOLD_TO, telephoneE164, yearGroupInPhase, type PhaseName, type Role } from "../src/index.ts";

const A = "academy-a";
const B = "academy-b";
const held = (role: Role, academyId: string | null = role.startsWith("TRUST") ? null : A) => [{ role, academyId }];

describe("mayGrantRole: nobody grants a role above their own (OWASP API Security Top 10 2023, API5)", () => {
  it.each<[string, { role: Role; academyId: string | null }[], Role, string | null, boolean]>([
    // A trust admin administers the whole trust, trust roles included.
    ["trust admin grants a trust admin", held("TRUST_ADMIN"), "TRUST_ADMIN", null, true],
    ["trust admin grants a headteacher anywhere in the trust", held("TRUST_ADMIN"), "HEADTEACHER", B, true],
    ["a trust role needs no academy", held("TRUST_ADMIN"), "TRUST_ATTENDANCE_LEAD", A, false],
    ["an academy role needs an academy", held("TRUST_ADMIN"), "TEACHER", null, false],
    // Headteachers and academy admins: their own academy, their own rank or below.
    ["headteacher grants a headteacher in their academy", held("HEADTEACHER"), "HEADTEACHER", A, true],
    ["headteacher grants a teacher in their academy", held("HEADTEACHER"), "TEACHER", A, true],
    ["headteacher may not grant in another academy", held("HEADTEACHER"), "TEACHER", B, false],
    ["headteacher may not grant a trust role", held("HEADTEACHER"), "TRUST_ADMIN", null, false],
    ["academy admin may not make a headteacher", held("ACADEMY_ADMIN"), "HEADTEACHER", A, false],
    ["academy admin grants an attendance officer", held("ACADEMY_ADMIN"), "ATTENDANCE_OFFICER", A, true],
    // Roles that do not administer grant nothing, even below their rank.
    ["attendance officer may not grant a teacher", held("ATTENDANCE_OFFICER"), "TEACHER", A, false],
    ["trust attendance lead may not grant", held("TRUST_ATTENDANCE_LEAD"), "TEACHER", A, false],
    ["teacher may not grant a teacher", held("TEACHER"), "TEACHER", A, false],
    ["nobody without roles", [], "TEACHER", A, false],
  ])("%s", (_name, roles, role, academyId, expected) => {
    expect(mayGrantRole(roles, role, academyId)).toBe(expected);
  });
});

describe("foldForSearch", () => {
  it.each([
    ["Zoë", "zoe"],
    ["ZOË", "zoe"],
    ["Siân", "sian"],
    ["Chloé-Anne", "chloe-anne"],
    ["O’Brien", "o'brien"],
    ["Łukasz Wójcik", "lukasz wojcik"],
    ["Søren", "soren"],
    ["Ştefan Ţurcanu", "stefan turcanu"],
    ["plain", "plain"],
    // Outside the map: kept as it is, on both sides alike.
    ["Straße", "straße"],
  ])("%s → %s", (name, folded) => {
    expect(foldForSearch(name)).toBe(folded);
  });

  it("splits a search into folded words", () => {
    expect(searchWords("  Zoë,  Smith ")).toEqual(["zoe", "smith"]);
  });

  it("is one for one and the same map as the database's app_search_fold", () => {
    expect([...SEARCH_FOLD_FROM].length).toBe([...SEARCH_FOLD_TO].length);
    const migrations = join(import.meta.dirname, "../../../prisma/migrations");
    const sql = readdirSync(migrations)
      .filter((d) => d.endsWith("_pupil_search"))
      .map((d) => readFileSync(join(migrations, d, "migration.sql"), "utf8"))
      .join("");
    const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;
    expect(sql).toContain(`translate($1, ${quoted(SEARCH_FOLD_FROM)}, ${quoted(SEARCH_FOLD_TO)})`);
  });
});

describe("telephoneE164 (Ofcom National Telephone Numbering Plan; ITU-T E.164)", () => {
  it.each<[string, string | null]>([
    ["07700 900123", "+447700900123"],
    ["+44 (0)1632 960001", "+441632960001"],
    ["01632-960-001", "+441632960001"],
    ["+33 1 23 45 67 89", "+33123456789"],
    // Too short, too long, letters, no trunk prefix.
    ["0770090", null],
    ["077009001234", null],
    ["07700 9OO123", null],
    ["7700900123", null],
    ["+0 123 4567", null],
    ["", null],
  ])("%s → %s", (raw, e164) => {
    expect(telephoneE164(raw)).toBe(e164);
  });
});

describe("isEmailAddress (RFC 5321 §4.5.3.1.3: at most 254 characters)", () => {
  it.each<[string, boolean]>([
    ["carer@example.org", true],
    ["first.last+school@mail.example.net", true],
    ["no-at-sign.example.org", false],
    ["two@@example.org", false],
    ["spaces in@example.org", false],
    ["nodot@localhost", false],
    [`${"a".repeat(250)}@example.org`, false],
  ])("%s → %s", (raw, ok) => {
    expect(isEmailAddress(raw)).toBe(ok);
  });
});

describe("yearGroupInPhase (National Curriculum years; GIAS phases)", () => {
  it.each<[PhaseName, number, boolean]>([
    ["PRIMARY", 0, true],
    ["PRIMARY", 6, true],
    ["PRIMARY", 7, false],
    ["SECONDARY", 7, true],
    ["SECONDARY", 6, false],
    ["SIXTH_FORM", 11, false],
    ["NURSERY", -1, true],
    ["ALL_THROUGH", 13, true],
    ["MIDDLE", 3, false],
    ["SECONDARY", 7.5, false],
  ])("%s year %d → %s", (phase, year, ok) => {
    expect(yearGroupInPhase(phase, year)).toBe(ok);
  });

  it("URNs are six digits", () => {
    expect([99_999, 100_000, 999_999, 1_000_000, 100_000.5].map(isUrn)).toEqual([false, true, true, false, false]);
  });

  it("relationship codes are the CBDS ones", () => {
    expect(["PAM", "PAF", "CAR", "OTH", "pam", "XYZ"].map(isCarerRelationship)).toEqual([true, true, true, true, false, false]);
  });
});
