// What a refusal names as missing (issue 16, item 7): the roles that hold a
// capability and the fewest API scopes that grant it. The grants themselves
// are the README's Access table (roles.ts: ROLE_CAPABILITIES, API_SCOPES,
// CAPABILITY_NEEDS); these cases pin that a refusal repeats them faithfully.
import { describe, expect, it } from "vitest";
import { rolesGranting, scopesGranting, type ApiScope, type Capability, type Role, type TrustCapability } from "../src/index.ts";

describe("rolesGranting", () => {
  it.each<[string, { capability?: Capability; trustCapability?: TrustCapability }, Role[]]>([
    // Safeguarding flags: the roles that act on them, not teachers (roles.ts header; DESIGN.md §5).
    ["readSensitive", { capability: "readSensitive" }, ["TRUST_ADMIN", "TRUST_ATTENDANCE_LEAD", "HEADTEACHER", "ACADEMY_ADMIN", "ATTENDANCE_OFFICER"]],
    // Registers are taken in the academy: not by trust roles (ROLE_CAPABILITIES).
    ["takeRegister", { capability: "takeRegister" }, ["HEADTEACHER", "ACADEMY_ADMIN", "ATTENDANCE_OFFICER", "TEACHER"]],
    // Leave is decided by the headteacher (or academy admin): seed policies name the headteacher.
    ["decideLeave", { capability: "decideLeave" }, ["HEADTEACHER", "ACADEMY_ADMIN"]],
    // API clients are a trust admin's to manage.
    ["manageApiClients", { trustCapability: "manageApiClients" }, ["TRUST_ADMIN"]],
    ["setTrustDefaults", { trustCapability: "setTrustDefaults" }, ["TRUST_ADMIN", "TRUST_ATTENDANCE_LEAD"]],
  ])("%s is held by the roles that carry it, highest first", (_name, need, roles) => {
    expect(rolesGranting(need)).toEqual(roles);
  });
});

describe("scopesGranting", () => {
  it.each<[Capability, ApiScope[]]>([
    ["read", ["read:attendance"]],
    // read:sensitive alone grants nothing: it needs read (CAPABILITY_NEEDS, issue 13's "refusal that commits").
    ["readSensitive", ["read:attendance", "read:sensitive"]],
    ["takeRegister", ["read:attendance", "write:registers"]],
    ["amendRegister", ["read:attendance", "write:registers"]],
    // Staff only: no scope grants case work, configuration, leave decisions or administration.
    ["workCases", []],
    ["configureAcademy", []],
    ["decideLeave", []],
    ["administer", []],
  ])("%s: %j", (capability, scopes) => {
    expect(scopesGranting(capability)).toEqual(scopes);
  });
});
