// Who may do what (DESIGN.md §5; issue 4): table-driven over roles and scopes.
import { describe, expect, it } from "vitest";
import { academiesWhere, accessFingerprint, apiClientActor, boundedByCreator, can, canForForm, canInTrust, ROLE_CAPABILITIES, userActor, withPrerequisites, type Capability, type Role } from "../src/index.ts";

const TRUST = "trust-1";
const A = "academy-a";
const B = "academy-b";
const FORM_A1 = "form-a1";
const FORM_A2 = "form-a2";

function actorFor(role: Role) {
  const academyId = role.startsWith("TRUST") ? null : A;
  return userActor("user-1", [{ role, trustId: TRUST, academyId }], [A, B], new Map([[A, [FORM_A1]]]));
}

describe("roles", () => {
  it.each<[Role, Capability, string, boolean]>([
    // Trust roles see every academy of their trust.
    ["TRUST_ADMIN", "read", A, true],
    ["TRUST_ADMIN", "read", B, true],
    ["TRUST_ADMIN", "takeRegister", A, false],
    ["TRUST_ATTENDANCE_LEAD", "readSensitive", B, true],
    ["TRUST_ATTENDANCE_LEAD", "configureAcademy", A, false],
    // Academy roles: their own academy only.
    ["HEADTEACHER", "configureAcademy", A, true],
    ["HEADTEACHER", "decideLeave", A, true],
    ["HEADTEACHER", "read", B, false],
    ["ACADEMY_ADMIN", "decideLeave", A, true],
    ["ATTENDANCE_OFFICER", "amendRegister", A, true],
    ["ATTENDANCE_OFFICER", "configureAcademy", A, false],
    ["ATTENDANCE_OFFICER", "read", B, false],
    // Teachers: registers and pupils of their own forms, no sensitive flags.
    ["TEACHER", "takeRegister", A, true],
    ["TEACHER", "readSensitive", A, false],
    ["TEACHER", "amendRegister", A, false],
  ])("%s: %s in %s → %s", (role, capability, academy, expected) => {
    expect(can(actorFor(role), capability, academy)).toBe(expected);
  });

  it("limits a teacher to the forms they tutor", () => {
    const teacher = actorFor("TEACHER");
    expect(canForForm(teacher, "read", A, FORM_A1)).toBe(true);
    expect(canForForm(teacher, "read", A, FORM_A2)).toBe(false);
    expect(canForForm(teacher, "read", A, null)).toBe(false);
    expect(canForForm(actorFor("ATTENDANCE_OFFICER"), "read", A, FORM_A2)).toBe(true);
  });

  it("gives trust capabilities in the actor's own trust only", () => {
    expect(canInTrust(actorFor("TRUST_ADMIN"), "manageApiClients", TRUST)).toBe(true);
    expect(canInTrust(actorFor("TRUST_ADMIN"), "manageApiClients", "other-trust")).toBe(false);
    expect(canInTrust(actorFor("TRUST_ATTENDANCE_LEAD"), "manageApiClients", TRUST)).toBe(false);
    expect(canInTrust(actorFor("HEADTEACHER"), "setTrustDefaults", TRUST)).toBe(false);
  });

  it("combines a user's roles", () => {
    const both = userActor("u", [
      { role: "TEACHER", trustId: TRUST, academyId: A },
      { role: "ATTENDANCE_OFFICER", trustId: TRUST, academyId: A },
    ], [A, B], new Map([[A, [FORM_A1]]]));
    // The officer role covers every form, so the teacher's limit no longer applies.
    expect(canForForm(both, "read", A, FORM_A2)).toBe(true);
    expect(academiesWhere(both, "amendRegister")).toEqual([A]);
  });

  it("refuses a user with roles in two trusts, or none", () => {
    expect(() => userActor("u", [
      { role: "HEADTEACHER", trustId: TRUST, academyId: A },
      { role: "HEADTEACHER", trustId: "other", academyId: "x" },
    ], [A, B])).toThrow(/more than one trust/);
    expect(() => userActor("u", [], [])).toThrow(/no role/);
  });

  it("gives no access without an actor", () => {
    expect(can(null, "read", A)).toBe(false);
    expect(academiesWhere(undefined, "read")).toEqual([]);
  });
});

describe("API client scopes", () => {
  const client = apiClientActor("client-1", TRUST, ["read:attendance"], [A]);
  it.each<[Capability, string, boolean]>([
    ["read", A, true],
    ["read", B, false],
    ["readSensitive", A, false],
    ["takeRegister", A, false],
  ])("read:attendance in [A]: %s in %s → %s", (capability, academy, expected) => {
    expect(can(client, capability, academy)).toBe(expected);
  });

  it("write:registers with read:attendance lets it take and amend registers, in its academies only", () => {
    const writer = apiClientActor("c", TRUST, ["read:attendance", "write:registers"], [B]);
    expect(can(writer, "takeRegister", B)).toBe(true);
    expect(can(writer, "amendRegister", B)).toBe(true);
    expect(can(writer, "takeRegister", A)).toBe(false);
  });

  // Issue 13: a write it could not read back was committed, then refused.
  it("write:registers without read:attendance grants nothing: a capability is dropped without its prerequisites", () => {
    const writer = apiClientActor("c", TRUST, ["write:registers"], [B]);
    expect(can(writer, "takeRegister", B)).toBe(false);
    expect(can(writer, "amendRegister", B)).toBe(false);
    expect(can(writer, "read", B)).toBe(false);
    expect(can(apiClientActor("c", TRUST, ["read:sensitive"], [B]), "readSensitive", B)).toBe(false);
  });

  it("withPrerequisites keeps every role's capabilities whole", () => {
    for (const caps of Object.values(ROLE_CAPABILITIES)) expect([...withPrerequisites(caps)].sort()).toEqual([...caps].sort());
    expect([...withPrerequisites(["workCases", "read"])]).toEqual(["read"]);
  });

  it("a key is bounded by what its creator holds now, in whole academies of the same trust", () => {
    const key = apiClientActor("c", TRUST, ["read:attendance", "read:sensitive", "write:registers"], [A, B]);
    const admin = userActor("u", [{ role: "TRUST_ADMIN", trustId: TRUST, academyId: null }, { role: "HEADTEACHER", trustId: TRUST, academyId: A }], [A, B]);
    const bounded = boundedByCreator(key, admin);
    expect(can(bounded, "amendRegister", A)).toBe(true);
    expect(can(bounded, "amendRegister", B)).toBe(false);
    expect(can(bounded, "readSensitive", B)).toBe(true);
    const tutor = userActor("u", [{ role: "TEACHER", trustId: TRUST, academyId: A }], [A, B], new Map([[A, [FORM_A1]]]));
    expect(can(boundedByCreator(key, tutor), "read", A)).toBe(false);
    expect(can(boundedByCreator(key, userActor("u", [{ role: "TRUST_ADMIN", trustId: "other", academyId: null }], [A])), "read", A)).toBe(false);
    expect(can(boundedByCreator(key, null), "read", A)).toBe(false);
  });

  it("ignores unknown scopes", () => {
    expect(can(apiClientActor("c", TRUST, ["admin:everything"], [A]), "read", A)).toBe(false);
  });
});

// The response cache's key: answers are shared only between identical access.
describe("access fingerprints", () => {
  const officerA = (academies = [A, B]) => userActor("user-1", [{ role: "ATTENDANCE_OFFICER", trustId: TRUST, academyId: A }], academies);
  it.each<[string, () => ReturnType<typeof userActor>, () => ReturnType<typeof userActor>, boolean]>([
    ["the same roles, looked up twice", () => officerA(), () => officerA([B, A]), true],
    ["another user with the same roles", () => officerA(), () => userActor("user-2", [{ role: "ATTENDANCE_OFFICER", trustId: TRUST, academyId: A }], [A, B]), false],
    ["an extra role", () => officerA(), () => userActor("user-1", [{ role: "ATTENDANCE_OFFICER", trustId: TRUST, academyId: A }, { role: "HEADTEACHER", trustId: TRUST, academyId: A }], [A, B]), false],
    ["a teacher given another form", () => userActor("user-1", [{ role: "TEACHER", trustId: TRUST, academyId: A }], [A], new Map([[A, [FORM_A1]]])), () => userActor("user-1", [{ role: "TEACHER", trustId: TRUST, academyId: A }], [A], new Map([[A, [FORM_A1, FORM_A2]]])), false],
    ["a trust role once the trust has another academy", () => actorFor("TRUST_ATTENDANCE_LEAD"), () => userActor("user-1", [{ role: "TRUST_ATTENDANCE_LEAD", trustId: TRUST, academyId: null }], [A, B, "academy-c"]), false],
    ["an API client and a user with the same id", () => apiClientActor("user-1", TRUST, ["read:attendance"], [A]), () => officerA(), false],
  ])("%s: same key %s", (_case, a, b, same) => {
    expect(accessFingerprint(a()) === accessFingerprint(b())).toBe(same);
  });
});
