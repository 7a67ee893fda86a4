// Administration rules (issue 15): who may grant which role, and how names are
// folded for search, table-tested.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { foldForSearch, mayGrantRole, searchWords, SEARCH_FOLD_FROM, SEARCH_FOLD_TO, type Role } from "../src/index.ts";

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
