// Personal data: the audit log survives hostile text, reads of safeguarding
// flags and contact details are audited, and the trust's data-protection
// officer can export, and the retention job anonymise, what is held about a
// pupil (UK GDPR Art. 15 and 17; School Attendance (Pupil Registration)
// (England) Regulations 2024, reg. 14).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";
import { sanitiseForAudit } from "../packages/server/src/plugins/audit.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

describe("the audit sanitiser", () => {
  it("replaces NUL and lone surrogates, in values and keys, and leaves other text alone", () => {
    expect(sanitiseForAudit({ reason: "a\u0000b", "k\u0000": ["\ud800", "ok 😀"], n: 3, x: null })).toEqual({
      reason: "a\uFFFDb", "k\uFFFD": ["\uFFFD", "ok 😀"], n: 3, x: null,
    });
  });
});

describe.each(availableBackends())("personal data on %s", (kind) => {
  let t: TestServer;
  let officer: Credentials;
  let academyId: string;

  beforeAll(async () => {
    t = await startTestServer(kind);
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    academyId = (await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } })).id;
  });
  afterAll(() => t?.close());

  it("writes the audit row for a mutation whose variables hold a NUL byte", async () => {
    const mark = await t.db.prisma.currentMark.findFirstOrThrow({ where: { academyId }, orderBy: [{ date: "desc" }, { pupilId: "asc" }] });
    const before = await t.db.prisma.auditEntry.count();
    const res = await t.graphql(
      `mutation AmendNul($input: AmendMarkInput!) { amendMark(input: $input) { id } }`,
      { input: { markId: gid("Mark", mark.markId), code: "/", reason: "phoned\u0000in", note: "x\u0000" } },
      officer.headers,
    );
    // Refused or not, never "Unexpected error." for the audit's sake, and the row is there.
    expect(await t.db.prisma.auditEntry.count()).toBe(before + 1);
    const [entry] = await t.db.prisma.auditEntry.findMany({ orderBy: { at: "desc" }, take: 1 });
    expect(entry!.operation).toContain("amendMark");
    expect(JSON.stringify(entry!.variables)).toContain("phoned\uFFFDin");
    expect(entry!.outcome === "OK").toBe(!res.errors?.length);
  });
});
