// The tenant boundary for lookups by identifier (issue 13, item 6 and the Low
// items on uncoded errors): another trust's pupils, academies and objects are
// answered exactly as unknown ones are; UPNs are unique per trust, so a child
// moving between trusts can be admitted; a race on one UPN, NUL characters and
// malformed global IDs each get a coded error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse<unknown>) => (res.errors ?? []).map((e) => e.extensions?.code);
const UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000";
const ADMIT = `mutation ($input: AdmitPupilInput!) { admitPupil(input: $input) { id upn academy { urn } } }`;

describe.each(availableBackends())("tenancy on %s", (kind) => {
  let t: TestServer;
  let officer: Credentials;
  let head: Credentials;
  let stanborough: { id: string; urn: number; trustId: string };
  let woolwich: { id: string; urn: number; trustId: string };
  let foreignPupil: { id: string; upn: string };
  let admission: (upn: string, extra?: Record<string, unknown>) => { input: Record<string, unknown> };

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 3, weeks: 1 } });
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Stanborough" });
    head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Stanborough" });
    stanborough = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Stanborough" } } });
    woolwich = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Woolwich" } } });
    foreignPupil = await t.db.prisma.pupil.findFirstOrThrow({ where: { academyId: woolwich.id }, orderBy: { upn: "asc" } });
    admission = (upn, extra = {}) => ({
      input: {
        academyUrn: stanborough.urn, upn, legalForename: "Robin", legalSurname: "Example", dateOfBirth: "2011-05-01",
        gender: "OTHER", yearGroup: 9, onRollFrom: "2025-11-17", ...extra,
      },
    });
  });
  afterAll(() => t?.close());

  it("answers another trust's pupil, academy and objects exactly as unknown ones", async () => {
    const foreignMark = await t.db.prisma.mark.findFirstOrThrow({ where: { academyId: woolwich.id } });
    const lookups = `query ($upn: String!, $urn: Int!, $id: ID!, $ids: [ID!]!) {
      pupil(upn: $upn) { upn } academy(urn: $urn) { name } node(id: $id) { id } nodes(ids: $ids) { id } }`;
    const foreign = await t.graphql(lookups, {
      upn: foreignPupil.upn, urn: woolwich.urn, id: gid("Pupil", foreignPupil.id),
      ids: [gid("Academy", woolwich.id), gid("Trust", woolwich.trustId), gid("Mark", foreignMark.id), gid("Pupil", foreignPupil.id)],
    }, officer.headers);
    const unknown = await t.graphql(lookups, {
      upn: "Z00000000000Z", urn: 999_999, id: gid("Pupil", UNKNOWN_UUID),
      ids: [gid("Academy", UNKNOWN_UUID), gid("Trust", UNKNOWN_UUID), gid("Mark", UNKNOWN_UUID), gid("Pupil", UNKNOWN_UUID)],
    }, officer.headers);
    expect(foreign).toEqual({ data: { pupil: null, academy: null, node: null, nodes: [null, null, null, null] } });
    expect(foreign).toEqual(unknown);
  });

  it("still finds the caller's own, and still says FORBIDDEN within the trust", async () => {
    const own = await t.db.prisma.pupil.findFirstOrThrow({ where: { academyId: stanborough.id }, orderBy: { upn: "asc" } });
    const found = await t.graphql<{ pupil: { upn: string }; academy: { urn: number }; node: { id: string } }>(
      `query ($upn: String!, $urn: Int!, $id: ID!) { pupil(upn: $upn) { upn } academy(urn: $urn) { urn } node(id: $id) { id } }`,
      { upn: own.upn, urn: stanborough.urn, id: gid("Trust", stanborough.trustId) },
      officer.headers,
    );
    expect(found.errors).toBeUndefined();
    expect(found.data).toMatchObject({ pupil: { upn: own.upn }, academy: { urn: stanborough.urn }, node: { id: gid("Trust", stanborough.trustId) } });
    // A tutor may not see a pupil of another form in their own academy: that is FORBIDDEN, as the README's Access table says.
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Stanborough" });
    const forms = await t.db.prisma.formTutor.findMany({ where: { userId: teacher.userId } });
    const notTheirs = await t.db.prisma.pupil.findFirstOrThrow({ where: { academyId: stanborough.id, formId: { notIn: forms.map((f) => f.formId) } } });
    const refused = await t.graphql(`query ($upn: String!) { pupil(upn: $upn) { upn } }`, { upn: notTheirs.upn }, teacher.headers);
    expect(refused.data).toEqual({ pupil: null });
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
  });

  it("admits a child moving from another trust under the same UPN, and refuses a second record in the same trust", async () => {
    const admitted = await t.graphql<{ admitPupil: { upn: string; academy: { urn: number } } }>(ADMIT, admission(foreignPupil.upn), head.headers);
    expect(admitted.errors).toBeUndefined();
    expect(admitted.data!.admitPupil).toEqual(expect.objectContaining({ upn: foreignPupil.upn, academy: { urn: stanborough.urn } }));
    const records = await t.db.prisma.pupil.findMany({ where: { upn: foreignPupil.upn }, select: { trustId: true } });
    expect(new Set(records.map((r) => r.trustId))).toEqual(new Set([woolwich.trustId, stanborough.trustId]));
    const again = await t.graphql(ADMIT, admission(foreignPupil.upn), head.headers);
    expect(codes(again)).toEqual(["BAD_USER_INPUT"]);
    // The same academy again: already on its record (a move from another academy of the trust is transferPupil).
    expect(JSON.stringify(again)).toContain("ALREADY_ADMITTED");
  });

  it("answers concurrent admissions of one UPN with one pupil and coded refusals", async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.graphql(ADMIT, admission("Q12345678901A"), head.headers)));
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    for (const a of answers.filter((a) => a.errors)) {
      expect(["CONFLICT", "BAD_USER_INPUT"]).toContain(codes(a)[0]);
      expect(a.errors![0]!.message).not.toBe("Unexpected error.");
    }
    expect(await t.db.prisma.pupil.count({ where: { upn: "Q12345678901A" } })).toBe(1);
  });

  it("keeps a pupil's trust its academy's in the database itself", async () => {
    await expect(
      t.db.prisma.$executeRaw`INSERT INTO pupil (academy_id, trust_id, upn, legal_forename, legal_surname, date_of_birth, gender, year_group)
        VALUES (${stanborough.id}::uuid, ${woolwich.trustId}::uuid, 'Q99999999999A', 'A', 'B', '2011-01-01', 'OTHER', 9)`,
    ).rejects.toThrow();
  });

  it("refuses malformed global IDs and NUL characters with BAD_USER_INPUT, changing nothing", async () => {
    const pupils = await t.db.prisma.pupil.count();
    const cases: [string, string, Record<string, unknown>][] = [
      ["a non-UUID id", `query ($id: ID!) { node(id: $id) { id } }`, { id: gid("Pupil", "not-a-uuid") }],
      ["a numeric id", `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [gid("Pupil", "1")] }],
      ["an id that is not base64", `query ($id: ID!) { node(id: $id) { id } }`, { id: "%%%" }],
      ["a non-UUID id inline", `{ node(id: "${gid("Academy", "1 OR 1=1")}") { id } }`, {}],
      ["a NUL in a variable", ADMIT, admission("Q22222222222A", { legalForename: "Ro\u0000bin" })],
      ["a NUL in a nested variable", `query ($upn: String!) { pupil(upn: $upn) { upn } }`, { upn: "Z0000000000\u00000" }],
      ["a NUL escaped in a literal", `{ pupil(upn: "Z0000000000\\u00000") { upn } }`, {}],
    ];
    for (const [name, query, variables] of cases) {
      const res = await t.graphql(query, variables, head.headers);
      expect(codes(res), `${name}: ${JSON.stringify(res)}`).toContain("BAD_USER_INPUT");
      expect(res.errors!.every((e) => e.message !== "Unexpected error."), name).toBe(true);
    }
    expect(await t.db.prisma.pupil.count()).toBe(pupils);
  });
});
