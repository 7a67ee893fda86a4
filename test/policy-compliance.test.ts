// Law and guidance kept apart, through the HTTP API (issue 14, item 7). Each
// seed academy's published register times apply as written; where they depart
// from statutory guidance ("Working together to improve school attendance",
// DfE, August 2024: a register open no longer than 30 minutes, the same every
// session) the API reports a compliance finding instead of changing them. The
// School Attendance (Pupil Registration) (England) Regulations 2024, reg.
// 10(2), table 1, leave the close of the register to the school.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff } from "./support/actors.ts";

interface Finding {
  academy: { name: string };
  rule: string;
  setting: string;
  basis: string;
  source: string;
  guidanceValue: unknown;
  academyValue: unknown;
  academySource: { layer: string; plugin: string; basis: string } | null;
  date: string;
  message: string;
}
const FINDING = `academy { name } rule setting basis source guidanceValue academyValue academySource { layer plugin basis } date message`;
const ACADEMY = `query ($urn: Int!, $date: Date) { academy(urn: $urn) { policyCompliance(date: $date) { ${FINDING} } } }`;
const TRUST = `query ($date: Date) { trusts(first: 1) { edges { node { name policyCompliance(date: $date) { ${FINDING} } } } } }`;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const GUIDANCE = /^Working together to improve school attendance \(DfE, August 2024\), recording attendance, code L/;

describe.each(availableBackends())("policy compliance on %s", (kind) => {
  let t: TestServer;
  const urns: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestServer(kind);
    for (const a of await t.db.prisma.academy.findMany()) urns[a.name.split(" ")[0]!] = a.urn;
  });
  afterAll(() => t?.close());

  async function academyFindings(headers: Record<string, string>, urn: number, date: string): Promise<Finding[]> {
    const res = await t.graphql<{ academy: { policyCompliance: Finding[] } }>(ACADEMY, { urn, date }, headers);
    expect(res.errors).toBeUndefined();
    return res.data!.academy.policyCompliance;
  }

  it("applies each seed academy's published register times as written, with their basis", async () => {
    const expected: [string, string, string, Record<string, string>][] = [
      ["Woolwich", "Woolwich", "registerTimes.AM", { starts: "08:40", lateAfter: "08:40", closes: "09:10" }],
      ["Vale", "St", "registerTimes.AM", { starts: "08:45", lateAfter: "09:00", closes: "09:30" }],
      ["Stanborough", "Stanborough", "registerTimes.AM", { starts: "08:35", lateAfter: "08:35", closes: "09:00" }],
      ["Academies Transformation", "ATT", "registerTimes.AM", { starts: "08:20", lateAfter: "08:20", closes: "08:40" }],
      ["Academies Transformation", "ATT", "registerTimes.PM", { starts: "12:00", lateAfter: "12:00", closes: "13:05" }],
      ["Peterborough", "Staverton", "registerTimes.AM", { starts: "08:45", lateAfter: "08:50", closes: "09:20" }],
      ["Peterborough", "Staverton", "registerTimes.PM", { starts: "13:00", lateAfter: "13:00", closes: "13:30" }],
    ];
    for (const [trustName, academy, key, times] of expected) {
      const urn = urns[academy] ?? Object.entries(urns).find(([n]) => n.startsWith(academy))?.[1];
      expect(urn, academy).toBeDefined();
      const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName });
      const res = await t.graphql<{ effectivePolicy: { setting: { value: unknown; source: { layer: string; basis: string; statutory: boolean }; replaced: unknown[] } } }>(
        `query ($urn: Int!, $key: String!) { effectivePolicy(academyUrn: $urn, date: "2025-11-03") { setting(key: $key) { value source { layer basis statutory } replaced { value } } } }`,
        { urn, key }, lead.headers,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.effectivePolicy.setting, `${academy} ${key}`).toEqual({ value: times, source: { layer: "ACADEMY", basis: "POLICY", statutory: false }, replaced: [] });
    }
  });

  it("says what each national value rests on: the amounts on regulation, the threshold on guidance", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const res = await t.graphql<{ effectivePolicy: { settings: { key: string; source: { layer: string; basis: string; passage: string; document: string } }[] } }>(
      `query ($urn: Int!) { effectivePolicy(academyUrn: $urn, date: "2025-11-03") { settings { key source { layer basis passage document } } } }`,
      { urn: urns.St }, lead.headers,
    );
    expect(res.errors).toBeUndefined();
    const byKey = new Map(res.data!.effectivePolicy.settings.map((s) => [s.key, s.source]));
    expect(byKey.get("penaltyNotice.firstAmountWithin21Days")).toMatchObject({ layer: "NATIONAL", basis: "REGULATION", passage: expect.stringMatching(/SI 2024\/210/) });
    expect(byKey.get("penaltyNotice.thresholdSessions")).toMatchObject({ layer: "NATIONAL", basis: "GUIDANCE", passage: expect.stringMatching(/^Working together to improve school attendance \(DfE, August 2024\)/) });
    expect(byKey.get("attendanceTarget")).toMatchObject({ layer: "TRUST", basis: "POLICY" });
    // No answer cites the project's internal notes.
    expect(JSON.stringify(res.data)).not.toMatch(/DESIGN/);
  });

  it("reports St James' 9.30 close as a departure from guidance, and a 9.20 arrival is late (L), not after the close", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const findings = await academyFindings(lead.headers, urns.St!, "2025-11-03");
    expect(findings).toEqual([
      {
        academy: { name: "St James CE Primary School" },
        rule: "registerTimes.openAtMost30Minutes",
        setting: "registerTimes.AM",
        basis: "GUIDANCE",
        source: expect.stringMatching(GUIDANCE),
        guidanceValue: { maxMinutesOpen: 30, closesBy: "09:15" },
        academyValue: { starts: "08:45", closes: "09:30", minutesOpen: 45 },
        academySource: { layer: "ACADEMY", plugin: "academy-st-james", basis: "POLICY" },
        date: "2025-11-03",
        message: expect.stringMatching(/^The morning register closes at 09:30, 45 minutes after it starts at 08:45; guidance expects no longer than 30 minutes \(by 09:15\)\. The academy's published time applies/),
      },
    ]);
    // Nothing to report before the 2024 rules came into force.
    expect(await academyFindings(lead.headers, urns.St!, "2024-03-04")).toEqual([]);

    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
    const pupil = await t.db.prisma.pupil.findFirstOrThrow({ where: { academy: { urn: urns.St } }, orderBy: { upn: "asc" } });
    const take = await t.graphql<{ takeRegister: { arrivals: { code: string; reason: string }[] } }>(
      `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { arrivals { code reason } } }`,
      { input: { academyUrn: urns.St, date: "2025-11-04", session: "AM", marks: [{ pupilId: gid("Pupil", pupil.id), arrivedAt: "09:20" }] } },
      officer.headers,
    );
    expect(take.errors).toBeUndefined();
    expect(take.data!.takeRegister.arrivals[0]).toMatchObject({ code: "L", reason: "arrived after 09:00, before the register closed at 09:30" });
  });

  it("lists every academy's findings for the trust in one query, with a bounded number of SQL statements, and only academies the reader may read", async () => {
    const pdet = await t.db.prisma.trust.findFirstOrThrow({ where: { name: { contains: "Peterborough" } }, include: { academies: true } });
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const trustFindings = async (date: string) => {
      t.resetStatements();
      const res = await t.graphql<{ trusts: { edges: { node: { policyCompliance: Finding[] } }[] } }>(TRUST, { date }, lead.headers);
      expect(res.errors).toBeUndefined();
      return { findings: res.data!.trusts.edges[0]!.node.policyCompliance, statements: t.statements.length };
    };
    // Staverton alone: its 9.20 close (35 minutes) and 35 against 30 minutes in the afternoon.
    const one = await trustFindings("2025-11-03");
    expect(one.findings.map((f) => [f.academy.name.split(" ")[0], f.rule, f.setting])).toEqual([
      ["Staverton", "registerTimes.openAtMost30Minutes", "registerTimes.AM"],
      ["Staverton", "registerTimes.sameEverySession", "registerTimes.PM"],
    ]);
    expect(one.findings[1]!.academyValue).toEqual({ AM: 35, PM: 30 });

    // Three more academies in the trust, under ATT's template (20 and 65 minutes): two findings each.
    for (const n of [1, 2, 3]) {
      await t.db.prisma.academy.create({
        data: { trustId: pdet.id, localAuthorityId: pdet.academies[0]!.localAuthorityId, urn: 999_700 + n, name: `Added Academy ${n} (test)`, phase: "SECONDARY", policyPlugin: "academy-att-template" },
      });
    }
    const four = await trustFindings("2025-11-04");
    expect(four.findings.map((f) => f.academy.name.split(" (")[0])).toEqual([
      "Added Academy 1", "Added Academy 1", "Added Academy 2", "Added Academy 2", "Added Academy 3", "Added Academy 3",
      expect.stringMatching(/^Staverton/), expect.stringMatching(/^Staverton/),
    ]);
    expect(four.findings[0]).toMatchObject({ rule: "registerTimes.openAtMost30Minutes", setting: "registerTimes.PM", academyValue: { starts: "12:00", closes: "13:05", minutesOpen: 65 } });
    // The same statements for four academies as for one: one policy load for them all.
    expect(four.statements).toBe(one.statements);

    // Staverton's own attendance officer sees Staverton's findings only.
    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const res = await t.graphql<{ trusts: { edges: { node: { policyCompliance: Finding[] } }[] } }>(TRUST, { date: "2025-11-05" }, officer.headers);
    expect(res.errors).toBeUndefined();
    expect(new Set(res.data!.trusts.edges[0]!.node.policyCompliance.map((f) => f.academy.name.split(" ")[0]))).toEqual(new Set(["Staverton"]));
  });

  it("answers another trust's academy as an unknown one", async () => {
    const outsider = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Woolwich" });
    const res = await t.graphql<{ academy: unknown }>(ACADEMY, { urn: urns.St, date: "2025-11-03" }, outsider.headers);
    expect(res.data?.academy ?? null).toBeNull();
    expect(JSON.stringify(res)).not.toMatch(/registerTimes/);
    if (res.errors) expect(codes(res).every((c) => c === "NOT_FOUND" || c === "FORBIDDEN")).toBe(true);
  });

  it("applies an academy's own later close saved through the API as it stands, and reports it", async () => {
    const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Stanborough" });
    expect(await academyFindings(head.headers, urns.Stanborough!, "2026-01-05")).toEqual([]);
    const saved = await t.graphql(
      `mutation ($input: SetAcademyPolicyInput!) { setAcademyPolicy(input: $input) { date } }`,
      { input: { academyUrn: urns.Stanborough, effectiveFrom: "2026-01-05", reason: "Governors moved the close to 9.20 for the bus timetable", settings: { "registerTimes.AM": { starts: "08:35", lateAfter: "08:35", closes: "09:20" } } } },
      head.headers,
    );
    expect(saved.errors).toBeUndefined();
    const findings = await academyFindings(head.headers, urns.Stanborough!, "2026-01-06");
    expect(findings).toEqual([
      expect.objectContaining({
        rule: "registerTimes.openAtMost30Minutes",
        academyValue: { starts: "08:35", closes: "09:20", minutesOpen: 45 },
        academySource: { layer: "OVERRIDE", plugin: "academy settings", basis: "POLICY" },
      }),
    ]);
  });
});
