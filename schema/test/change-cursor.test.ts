// The change feed's cursors and reading rules (schema/src/modules/changes.ts),
// without a database: a cursor is accepted only as the API spells it, and the
// feed's scope is the one each object type has (README "Access").
import { describe, expect, it } from "vitest";
import { userActor, apiClientActor } from "@attendance/core";
import { decodeChangeCursor, encodeChangeCursor, feedScope } from "../src/modules/changes.ts";

describe("change feed cursors", () => {
  it.each([
    ["0", "0"],
    ["799", "1124"],
    ["18446744073709551615", "9223372036854775807"],
  ])("round-trips (xid %s, seq %s)", (xid, seq) => {
    expect(decodeChangeCursor(encodeChangeCursor(xid, seq))).toEqual({ xid, seq });
  });

  it.each([
    ["not base64 of a cursor", "nonsense"],
    ["a seq that is not a number", Buffer.from("change:1:x").toString("base64url")],
    ["an xid beyond 64 bits (xid8)", Buffer.from("change:18446744073709551616:1").toString("base64url")],
    ["a seq beyond bigint", Buffer.from("change:1:9223372036854775808").toString("base64url")],
    ["a stray character (Node decodes base64 leniently)", `${encodeChangeCursor("799", "1124")}x`],
    ["padding this API never writes", `${encodeChangeCursor("1", "1")}=`],
    ["another type's ID", Buffer.from("Pupil:00000000-0000-0000-0000-000000000000").toString("base64")],
    ["anything long", "x".repeat(5_000)],
  ])("refuses %s with BAD_USER_INPUT", (_why, cursor) => {
    expect(() => decodeChangeCursor(cursor)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }));
  });
});

describe("change feed scope", () => {
  const trust = "t1";
  const a = "a1";
  const b = "a2";
  it.each([
    // Trust admins read every academy, but do not work cases (CaseAction's rule).
    ["a trust admin", userActor("u", [{ role: "TRUST_ADMIN", trustId: trust, academyId: null }], [a, b]), { fullAcademyIds: [a, b], formAcademyIds: [], formIds: [], caseAcademyIds: [] }],
    ["a trust attendance lead", userActor("u", [{ role: "TRUST_ATTENDANCE_LEAD", trustId: trust, academyId: null }], [a, b]), { fullAcademyIds: [a, b], formAcademyIds: [], formIds: [], caseAcademyIds: [a, b] }],
    ["an attendance officer", userActor("u", [{ role: "ATTENDANCE_OFFICER", trustId: trust, academyId: a }], [a, b]), { fullAcademyIds: [a], formAcademyIds: [], formIds: [], caseAcademyIds: [a] }],
    // A tutor: the pupils of their own forms only.
    ["a teacher", userActor("u", [{ role: "TEACHER", trustId: trust, academyId: a }], [a, b], new Map([[a, ["f1"]]])), { fullAcademyIds: [], formAcademyIds: [a], formIds: ["f1"], caseAcademyIds: [] }],
    ["an API key with read:attendance", apiClientActor("k", trust, ["read:attendance"], [a]), { fullAcademyIds: [a], formAcademyIds: [], formIds: [], caseAcademyIds: [] }],
    ["an API key with write:registers only (no read: nothing)", apiClientActor("k", trust, ["write:registers"], [a]), { fullAcademyIds: [], formAcademyIds: [], formIds: [], caseAcademyIds: [] }],
    ["no one", null, { fullAcademyIds: [], formAcademyIds: [], formIds: [], caseAcademyIds: [] }],
  ])("%s", (_who, actor, expected) => {
    expect(feedScope(actor)).toEqual(expected);
  });

  it("narrows to one academy when asked", () => {
    const admin = userActor("u", [{ role: "TRUST_ADMIN", trustId: trust, academyId: null }], [a, b]);
    expect(feedScope(admin, b).fullAcademyIds).toEqual([b]);
  });
});
