// The policy in force, with provenance, and an academy's own overrides through
// the HTTP API (issue 6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

interface Source { layer: string; plugin: string; document: string; passage: string; statutory: boolean }
interface Setting { key: string; value: unknown; source: Source; replaced: { value: unknown; source: Source }[] }
const SETTING = `key value source { layer plugin document passage statutory effectiveFrom } replaced { value source { layer plugin document } }`;
const EFFECTIVE = `query ($urn: Int!, $date: Date) { effectivePolicy(academyUrn: $urn, date: $date) { date settings { ${SETTING} } } }`;
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

describe.each(availableBackends())("policy on %s", (kind) => {
  let t: TestServer;
  const urns: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestServer(kind);
    for (const a of await t.db.prisma.academy.findMany()) urns[a.name.split(" ")[0]!] = a.urn;
  });
  afterAll(() => t?.close());

  async function effective(who: Credentials, urn: number, date: string): Promise<Map<string, Setting>> {
    const res = await t.graphql<{ effectivePolicy: { settings: Setting[] } }>(EFFECTIVE, { urn, date }, who.headers);
    expect(res.errors).toBeUndefined();
    return new Map(res.data!.effectivePolicy.settings.map((s) => [s.key, s]));
  }

  it("answers Woolwich's 8.40 registration from the academy layer and Greenwich's thresholds from the local authority, with sources", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Woolwich" });
    const policy = await effective(lead, urns.Woolwich!, "2025-09-15");
    const am = policy.get("registerTimes.AM")!;
    expect(am.value).toEqual({ starts: "08:40", lateAfter: "08:40", closes: "09:10" });
    expect(am.source).toMatchObject({ layer: "ACADEMY", plugin: "academy-woolwich-polytechnic" });
    expect(am.source.document).toMatch(/seed 000/);
    expect(am.source.passage).toMatch(/registration at 8\.40am/);
    const threshold = policy.get("penaltyNotice.thresholdSessions")!;
    expect(threshold).toMatchObject({ value: 10, source: { layer: "LOCAL_AUTHORITY", plugin: "la-greenwich" } });
    expect(threshold.source.passage).toMatch(/10 sessions of unauthorised absence or lateness in any 10-week period/);
    expect(policy.get("penaltyNotice.countsLateness")).toMatchObject({ value: true, source: { plugin: "la-greenwich" } });
    // The national framework's own value is shown as the one Greenwich restates.
    expect(threshold.replaced.map((r) => r.source.layer)).toEqual(["NATIONAL"]);
  });

  it("shows St James Oxfordshire's £60/£120 and the national £80/£160, and which applies on a date", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    // Before 19 August 2024 the national framework was not in force: Oxfordshire's amounts apply.
    const before = await effective(lead, urns.St!, "2024-03-04");
    expect(before.get("penaltyNotice.firstAmountWithin21Days")).toMatchObject({ value: 60, source: { layer: "LOCAL_AUTHORITY", plugin: "la-oxfordshire" } });
    expect(before.get("penaltyNotice.firstAmountWithin28Days")!.value).toBe(120);
    // From then the national amounts are statutory, and Oxfordshire's are shown as replaced.
    const after = await effective(lead, urns.St!, "2025-09-15");
    const first = after.get("penaltyNotice.firstAmountWithin21Days")!;
    expect(first).toMatchObject({ value: 80, source: { layer: "NATIONAL", statutory: true } });
    expect(first.replaced).toEqual([{ value: 60, source: expect.objectContaining({ layer: "LOCAL_AUTHORITY", plugin: "la-oxfordshire" }) }]);
    expect(after.get("penaltyNotice.firstAmountWithin28Days")).toMatchObject({ value: 160, replaced: [{ value: 120 }] });
    // The trust layer: Vale Academy Trust's 96% target.
    expect(after.get("attendanceTarget")).toMatchObject({ value: 0.96, source: { layer: "TRUST", plugin: "trust-vale-academy-trust" } });
  });

  it("applies an academy's override to registers from its effective date, not before; refuses an invalid one with the zod message", async () => {
    const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Staverton" });
    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const SET = `mutation ($input: SetAcademyPolicyInput!) { setAcademyPolicy(input: $input) { date settings { ${SETTING} } } }`;

    const before = await t.db.prisma.policySettings.count();
    const invalid = await t.graphql(SET, {
      input: { academyUrn: urns.Staverton, effectiveFrom: "2025-11-17", reason: "Earlier close", settings: { "registerTimes.AM": { starts: "08:45", lateAfter: "08:50", closes: "08:30" } } },
    }, head.headers);
    expect(codes(invalid)).toEqual(["BAD_USER_INPUT"]);
    expect(JSON.stringify(invalid.errors![0]!.extensions!.problems)).toContain("times must run starts ≤ lateAfter ≤ closes");
    const unknown = await t.graphql(SET, { input: { academyUrn: urns.Staverton, effectiveFrom: "2025-11-17", reason: "x", settings: { "registerTimes.XM": 1 } } }, head.headers);
    expect(codes(unknown)).toEqual(["BAD_USER_INPUT"]);
    // An attendance officer may not configure the academy.
    const refused = await t.graphql(SET, {
      input: { academyUrn: urns.Staverton, effectiveFrom: "2025-11-17", reason: "x", settings: { "registerTimes.AM": { starts: "08:45", lateAfter: "08:50", closes: "09:05" } } },
    }, officer.headers);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    expect(await t.db.prisma.policySettings.count()).toBe(before);

    const saved = await t.graphql<{ setAcademyPolicy: { settings: Setting[] } }>(SET, {
      input: { academyUrn: urns.Staverton, effectiveFrom: "2025-11-17", reason: "Governors moved the close to 9.05", settings: { "registerTimes.AM": { starts: "08:45", lateAfter: "08:50", closes: "09:05" } } },
    }, head.headers);
    expect(saved.errors).toBeUndefined();
    const am = saved.data!.setAcademyPolicy.settings.find((s) => s.key === "registerTimes.AM")!;
    expect(am).toMatchObject({ value: { closes: "09:05" }, source: { layer: "OVERRIDE", passage: "Governors moved the close to 9.05" } });
    expect(am.replaced.map((r) => r.source.plugin)).toEqual(["academy-staverton"]);

    // The same arrival at 9.10, a week apart: late before the override, after the close from it.
    const pupil = await t.db.prisma.pupil.findFirstOrThrow({ where: { academy: { urn: urns.Staverton } }, orderBy: { upn: "asc" } });
    const take = (date: string) =>
      t.graphql<{ takeRegister: { arrivals: { code: string }[] } }>(
        `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { arrivals { code } } }`,
        { input: { academyUrn: urns.Staverton, date, session: "AM", marks: [{ pupilId: gid("Pupil", pupil.id), arrivedAt: "09:10" }] } },
        officer.headers,
      );
    expect((await take("2025-11-14")).data!.takeRegister.arrivals[0]!.code).toBe("L");
    expect((await take("2025-11-17")).data!.takeRegister.arrivals[0]!.code).toBe("U");
  });

  it("puts a Woolwich pupil with three lates in a week on the ladder's first step, with the reason", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Woolwich" });
    const [found] = await t.db.prisma.$queryRaw<{ pupil_id: string; last: Date }[]>`
      SELECT cm.pupil_id, max(cm.date) AS last FROM current_mark cm JOIN academy a ON a.id = cm.academy_id
      WHERE a.urn = ${urns.Woolwich} AND cm.code IN ('L', 'U')
      GROUP BY cm.pupil_id, date_trunc('week', cm.date) HAVING count(*) >= 3 ORDER BY 1, 2 LIMIT 1`;
    expect(found).toBeDefined();
    const pupil = await t.db.prisma.pupil.findUniqueOrThrow({ where: { id: found!.pupil_id } });
    const res = await t.graphql<{ pupil: { latenessLadder: { action: string; reached: boolean; count: number; reason: string }[] } }>(
      `query ($upn: String!, $asOf: Date!) { pupil(upn: $upn) { latenessLadder(asOf: $asOf) { lates per action count reached reason from to } } }`,
      { upn: pupil.upn, asOf: found!.last.toISOString().slice(0, 10) },
      lead.headers,
    );
    expect(res.errors).toBeUndefined();
    const [week] = res.data!.pupil.latenessLadder;
    expect(week).toMatchObject({ action: "1 hour detention", reached: true });
    expect(week!.count).toBeGreaterThanOrEqual(3);
    expect(week!.reason).toMatch(/lates in the week of .*3 lead to: 1 hour detention/);
  });

  it("compares academies' policies side by side for a trust lead, and refuses another trust's academy", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const COMPARE = `query ($urns: [Int!]!) { comparePolicies(academyUrns: $urns, date: "2025-09-15") { key differs values { academy { name } value source { layer } } } }`;
    const own = await t.graphql<{ comparePolicies: { key: string; differs: boolean; values: { value: unknown }[] }[] }>(COMPARE, { urns: [urns.St, urns.St] }, lead.headers);
    expect(own.errors).toBeUndefined();
    const target = own.data!.comparePolicies.find((r) => r.key === "attendanceTarget")!;
    expect(target).toMatchObject({ differs: false, values: [{ value: 0.96 }, { value: 0.96 }] });
    const other = await t.graphql(COMPARE, { urns: [urns.St, urns.Woolwich] }, lead.headers);
    expect(codes(other)).toEqual(["FORBIDDEN"]);
    expect(other.data ?? null).toBeNull();
  });

  it("gives Staverton group rewards only and the 96% escalation from its trust, and ATT its 98% expectation", async () => {
    const pdet = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const staverton = await effective(pdet, urns.Staverton!, "2025-09-15");
    // Seed 004 §8: "the expectation is that there will not be individual rewards."
    expect(staverton.get("rewards.groupOnly")).toMatchObject({ value: true, source: { layer: "TRUST", plugin: "trust-peterborough-diocese" } });
    expect((staverton.get("absenceLadder")!.value as { below: number }[]).map((s) => s.below)).toEqual([0.96, 0.9]);
    const attLead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Academies Transformation" });
    const att = await effective(attLead, urns.ATT!, "2025-09-15");
    expect(att.get("rewards.individualExpectation")).toMatchObject({ value: 0.98, source: { plugin: "trust-academies-transformation-trust" } });
    // Thurrock's 2021 amounts are replaced by the national ones from August 2024.
    expect(att.get("penaltyNotice.firstAmountWithin21Days")).toMatchObject({ value: 80, replaced: [{ value: 60 }] });
  });

  it("tells Stanborough's office what follows a late arrival: lunchtime detention, and after 9.00 a one-hour detention too", async () => {
    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Stanborough" });
    const [p1, p2] = await t.db.prisma.pupil.findMany({ where: { academy: { urn: urns.Stanborough } }, orderBy: { upn: "asc" }, take: 2 });
    const res = await t.graphql<{ takeRegister: { arrivals: { code: string; actions: string[] }[] } }>(
      `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { arrivals { code actions } } }`,
      { input: { academyUrn: urns.Stanborough, date: "2025-11-03", session: "AM", marks: [
        { pupilId: gid("Pupil", p1!.id), arrivedAt: "08:40" },
        { pupilId: gid("Pupil", p2!.id), arrivedAt: "09:05" },
      ] } },
      officer.headers,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.takeRegister.arrivals).toEqual([
      { code: "L", actions: ["Late slip for a lunchtime detention (if late without an adequate reason)"] },
      { code: "U", actions: ["Late slip for a lunchtime detention and a one-hour detention"] },
    ]);
  });

  it("rewards no individual at Staverton (group rewards only) and ATT's pupils at 98% or more", async () => {
    const REWARDS = `query ($urn: Int!) { academy(urn: $urn) { rewards(from: "2025-09-01", to: "2025-10-24") {
      groupOnly pupils { attendanceRate reason pupil { upn } } bestForms { attendanceRate form { name } } } } }`;
    type Rewards = { academy: { rewards: { groupOnly: boolean; pupils: { attendanceRate: number; reason: string }[]; bestForms: { attendanceRate: number; form: { name: string } }[] } } };
    const pdet = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const staverton = await t.graphql<Rewards>(REWARDS, { urn: urns.Staverton }, pdet.headers);
    expect(staverton.errors).toBeUndefined();
    expect(staverton.data!.academy.rewards).toMatchObject({ groupOnly: true, pupils: [] });
    expect(staverton.data!.academy.rewards.bestForms.length).toBeGreaterThan(0);

    const attLead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Academies Transformation" });
    const att = await t.graphql<Rewards>(REWARDS, { urn: urns.ATT }, attLead.headers);
    expect(att.errors).toBeUndefined();
    const rewarded = att.data!.academy.rewards.pupils;
    expect(rewarded.length).toBeGreaterThan(0);
    for (const p of rewarded) expect(p.attendanceRate).toBeGreaterThanOrEqual(0.98);
    expect(rewarded[0]!.reason).toMatch(/meets the expectation of 98%/);
    // Everyone at 98% or more is there: compare with the academy's own pupil figures.
    const all = await t.graphql<{ academy: { pupils: { edges: { node: { attendance: { total: { attendanceRate: number | null } } } }[] } } }>(
      `query ($urn: Int!) { academy(urn: $urn) { pupils(first: 500) { edges { node { attendance(from: "2025-09-01", to: "2025-10-24") { total { attendanceRate } } } } } } }`,
      { urn: urns.ATT }, attLead.headers,
    );
    const expected = all.data!.academy.pupils.edges.filter((e) => (e.node.attendance.total.attendanceRate ?? 0) >= 0.98).length;
    expect(rewarded.length).toBe(expected);
  });

  it("puts a Staverton pupil below 90% on both steps of the PDET absence ladder (seed 004 Appendix B1)", async () => {
    const pdet = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const [low] = await t.db.prisma.$queryRaw<{ upn: string }[]>`
      SELECT p.upn FROM current_mark cm JOIN pupil p ON p.id = cm.pupil_id JOIN academy a ON a.id = cm.academy_id
      WHERE a.urn = ${urns.Staverton} AND cm.category <> 'NOT_POSSIBLE'
      GROUP BY p.upn HAVING avg(CASE WHEN cm.category IN ('PRESENT', 'APPROVED_ACTIVITY') THEN 1.0 ELSE 0 END) < 0.9
      ORDER BY p.upn LIMIT 1`;
    const res = await t.graphql<{ pupil: { absenceLadder: { below: number; reached: boolean; reason: string }[] } }>(
      `query ($upn: String!) { pupil(upn: $upn) { absenceLadder(asOf: "2025-10-24") { below actions reached reason } } }`,
      { upn: low!.upn }, pdet.headers,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.pupil.absenceLadder.map((s) => [s.below, s.reached])).toEqual([[0.96, true], [0.9, true]]);
    expect(res.data!.pupil.absenceLadder[1]!.reason).toMatch(/is below 90%/);
  });

  it("evaluates each academy of a trust under its own plugins in one trust-wide request, and lists saved changes", async () => {
    // Give Vale another academy with another academy's policy (beside its invented demo siblings).
    const vale = await t.db.prisma.trust.findFirstOrThrow({ where: { name: { contains: "Vale" } }, include: { academies: true } });
    await t.db.prisma.academy.create({
      data: { trustId: vale.id, localAuthorityId: vale.academies[0]!.localAuthorityId, urn: 999_777, name: "Second Vale Academy (test)", phase: "SECONDARY", policyPlugin: "academy-stanborough" },
    });
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const res = await t.graphql<{ trusts: { edges: { node: { academies: { edges: { node: { name: string; policy: { setting: { value: { starts: string }; source: { plugin: string } } } } }[] } } }[] } }>(
      `{ trusts(first: 1) { edges { node { academies(first: 10) { edges { node { name
          policy(date: "2025-09-15") { setting(key: "registerTimes.AM") { value source { plugin } } } } } } } } } }`,
      {}, lead.headers,
    );
    expect(res.errors).toBeUndefined();
    const byName = Object.fromEntries(res.data!.trusts.edges[0]!.node.academies.edges.map((e) => [e.node.name, e.node.policy.setting]));
    // St James' own published 9.30 close applies (see below).
    expect(byName["St James CE Primary School"]).toMatchObject({ value: { starts: "08:45", closes: "09:30" }, source: { plugin: "academy-st-james" } });
    expect(byName["Second Vale Academy (test)"]).toMatchObject({ value: { starts: "08:35" }, source: { plugin: "academy-stanborough" } });

    const changes = await t.graphql<{ academy: { policyChanges: { reason: string; createdBy: string; effectiveFrom: string }[] } }>(
      `query ($urn: Int!) { academy(urn: $urn) { policyChanges { effectiveFrom settings reason createdBy createdAt } } }`,
      { urn: urns.Staverton }, (await staff(t.db.prisma, "HEADTEACHER", { academyName: "Staverton" })).headers,
    );
    expect(changes.errors).toBeUndefined();
    expect(changes.data!.academy.policyChanges).toEqual([
      expect.objectContaining({ effectiveFrom: "2025-11-17", reason: "Governors moved the close to 9.05", createdBy: expect.any(String) }),
    ]);
  });

  it("applies St James' published 9.30 close from August 2024 too (guidance's 30 minutes is a finding, not a change); 9.20 is late", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const am = (await effective(lead, urns.St!, "2025-11-03")).get("registerTimes.AM")!;
    expect(am).toMatchObject({ value: { starts: "08:45", lateAfter: "09:00", closes: "09:30" }, source: { layer: "ACADEMY", plugin: "academy-st-james", statutory: false } });
    expect(am.replaced).toEqual([]);

    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
    const pupil = await t.db.prisma.pupil.findFirstOrThrow({ where: { academy: { urn: urns.St } }, orderBy: { upn: "asc" } });
    const res = await t.graphql<{ takeRegister: { arrivals: { code: string; reason: string }[] } }>(
      `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { arrivals { code reason } } }`,
      { input: { academyUrn: urns.St, date: "2025-11-03", session: "AM", marks: [{ pupilId: gid("Pupil", pupil.id), arrivedAt: "09:20" }] } },
      officer.headers,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.takeRegister.arrivals[0]).toMatchObject({ code: "L", reason: "arrived after 09:00, before the register closed at 09:30" });
  });

  it("saves a trust's defaults for all its academies, below each academy's own policy; only that trust's leads and admins may", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const trust = await t.db.prisma.trust.findFirstOrThrow({ where: { name: { contains: "Vale" } } });
    const SET = `mutation ($input: SetTrustPolicyInput!) { setTrustPolicy(input: $input) { name policyChanges { settings reason effectiveFrom } } }`;
    const input = { trustSlug: trust.slug, effectiveFrom: "2025-10-01", settings: { attendanceTarget: 0.97, "leave.unlikelyBelowAttendance": 0.99 }, reason: "Trust board raised the target" };
    // Refused: another trust's lead, an academy's headteacher, and a bad value (nothing saved).
    const other = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    expect(codes(await t.graphql(SET, { input }, other.headers))).toEqual(["FORBIDDEN"]);
    const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "St James" });
    expect(codes(await t.graphql(SET, { input }, head.headers))).toEqual(["FORBIDDEN"]);
    const bad = await t.graphql(SET, { input: { ...input, settings: { attendanceTarget: 9.6 } } }, lead.headers);
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(JSON.stringify(bad.errors)).toContain("settings.attendanceTarget");
    expect(await t.db.prisma.policySettings.count({ where: { layer: "TRUST" } })).toBe(0);

    const saved = await t.graphql<{ setTrustPolicy: { policyChanges: unknown[] } }>(SET, { input }, lead.headers);
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.setTrustPolicy.policyChanges).toHaveLength(1);
    const after = await effective(lead, urns.St!, "2025-10-01");
    // The trust's saved default replaces its document's 96%…
    expect(after.get("attendanceTarget")).toMatchObject({ value: 0.97, source: { layer: "TRUST_SETTINGS", plugin: "trust settings", passage: input.reason } });
    expect(after.get("attendanceTarget")!.replaced.map((r) => r.source.layer)).toEqual(["TRUST"]);
    // …but St James's own Appendix (96% for leave) still wins over a trust default.
    expect(after.get("leave.unlikelyBelowAttendance")).toMatchObject({ value: 0.96, source: { layer: "ACADEMY" } });
    // Before its effective date, nothing changes.
    expect((await effective(lead, urns.St!, "2025-09-30")).get("attendanceTarget")!.value).toBe(0.96);
  });

  it("costs the same number of SQL statements for ladders of 5 pupils and of 60 (one policy load per request)", async () => {
    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const Q = `query ($urn: Int!, $n: Int!) { academy(urn: $urn) { pupils(first: $n) { edges { node { upn absenceLadder(asOf: "2025-10-17") { reached } latenessLadder(asOf: "2025-10-17") { reached } } } } } }`;
    const count = async (n: number) => {
      t.resetStatements();
      const res = await t.graphql<{ academy: { pupils: { edges: unknown[] } } }>(Q, { urn: urns.Staverton!, n }, officer.headers);
      expect(res.errors).toBeUndefined();
      expect(res.data!.academy.pupils.edges).toHaveLength(n);
      return t.statements.length;
    };
    const small = await count(5);
    expect(await count(60)).toBe(small);
  });
});
