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

  describe("reads of safeguarding flags and contact details", () => {
    const READ = `query Family($upn: String!) { pupil(upn: $upn) { upn lookedAfter hasSocialWorker carers { forename addressLines } } }`;
    let upn: string;
    const readRows = () => t.db.prisma.auditEntry.findMany({ where: { operation: { startsWith: "read " } }, orderBy: { at: "asc" } });

    beforeAll(async () => {
      const carer = await t.db.prisma.carer.findFirstOrThrow({ where: { academyId }, include: { pupil: true }, orderBy: { id: "asc" } });
      upn = carer.pupil.upn;
    });

    it("writes one audit row per request, naming the fields, and never serves them from the response cache", async () => {
      const before = (await readRows()).length;
      for (let i = 0; i < 2; i++) {
        t.resetStatements();
        const res = await t.graphql<{ pupil: { carers: { addressLines: string[] }[] } }>(READ, { upn }, officer.headers);
        expect(res.errors).toBeUndefined();
        expect(res.data!.pupil.carers.length).toBeGreaterThan(0);
        // Run again, not answered from memory: the carers were read from the database.
        expect(t.statements.some((sql) => /FROM "public"\."carer"/.test(sql))).toBe(true);
      }
      const rows = (await readRows()).slice(before);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        actorKind: "user", outcome: "OK", variables: { upn },
        operation: "read Family: Carer.addressLines, Carer.forename, Pupil.hasSocialWorker, Pupil.lookedAfter",
      });
    });

    it("records a refused attempt too, and nothing for reads without such fields", async () => {
      const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Staverton" });
      const before = (await readRows()).length;
      const refused = await t.graphql(READ, { upn }, teacher.headers);
      expect(codes(refused)).toContain("FORBIDDEN");
      await t.graphql(`query Plain($upn: String!) { pupil(upn: $upn) { upn displayName } }`, { upn }, officer.headers);
      const rows = (await readRows()).slice(before);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.outcome).toContain("FORBIDDEN");
    });
  });
});
