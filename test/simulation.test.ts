// Policy what-if (issue 16, item 6), end to end on both back ends: with no
// changes the simulation reproduces what the system recorded (lates, U marks,
// the case actions the ladders raised, the penalty-notice candidates); with a
// later late time it yields fewer lates, by a count computed here from the
// marks' arrival times; and nothing in the database changes.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, type PrismaClient } from "@attendance/db";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const ACADEMY = "Woolwich Polytechnic";
// Woolwich Polytechnic's published morning times (seed 000, its plugin): registration 8.40, closing 30 minutes later.
const IN_FORCE = { starts: "08:40", lateAfter: "08:40", closes: "09:10" };

/** Every table's rows, digested (md5 of the rows in a fixed order): any write at all changes one. */
async function digests(prisma: PrismaClient): Promise<Record<string, string>> {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_entry') ORDER BY table_name`;
  const out: Record<string, string> = {};
  for (const { table_name: t } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ d: string | null }[]>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS d FROM "${t}" x`);
    out[t] = row?.d ?? "empty";
  }
  return out;
}

/** hh:mm on the academy's wall clock (Europe/London), computed here without the server's code. */
const londonClock = (at: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hour12: false }).format(at);

const SIMULATE = /* GraphQL */ `
  query Simulate($urn: Int!, $changes: JSON!, $from: Date!, $to: Date!) {
    simulatePolicy(academyUrn: $urn, changes: $changes, from: $from, to: $to) {
      current { lates afterClose ladderSteps latenessSteps absenceSteps penaltyCandidates rewarded }
      draft { lates afterClose ladderSteps latenessSteps absenceSteps penaltyCandidates rewarded }
      pupils(first: 500) {
        totalCount
        edges { node {
          pupil { id upn }
          changed
          current { lates afterClose ladderSteps { source triggerKey } penaltyCandidate rewarded }
          draft { lates afterClose ladderSteps { source triggerKey } penaltyCandidate rewarded }
          reclassifiedMarks { date session from to }
        } }
      }
    }
  }`;

/** The README's example ("Policy what-if"): its query and variables, as written there. */
function readmeExample(): { query: string; variables: Record<string, unknown> } {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("### Policy what-if"));
  const query = /```graphql\n([\s\S]*?)```/.exec(section)![1]!;
  const variables = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!) as Record<string, unknown>;
  return { query, variables };
}

type Totals = Record<"lates" | "afterClose" | "ladderSteps" | "latenessSteps" | "absenceSteps" | "penaltyCandidates" | "rewarded", number>;
interface Row {
  pupil: { id: string; upn: string };
  changed: boolean;
  current: { lates: number; afterClose: number; ladderSteps: { source: string; triggerKey: string }[]; penaltyCandidate: boolean; rewarded: boolean };
  draft: Row["current"];
  reclassifiedMarks: { date: string; session: string; from: string; to: string }[];
}
interface Simulation { current: Totals; draft: Totals; pupils: { totalCount: number; edges: { node: Row }[] } }

describe.each(availableBackends())("simulatePolicy on %s", (kind) => {
  let t: TestServer;
  let head: Credentials;
  let urn: number;
  let academyId: string;
  let from: string;
  let to: string;
  let before: Record<string, string>;

  const simulate = async (changes: unknown, who: Credentials = head, period = { from, to }) =>
    t.graphql<{ simulatePolicy: Simulation }>(SIMULATE, { urn, changes, ...period }, who.headers);

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 4, weeks: 3 } });
    const { prisma } = t.db;
    const academy = await prisma.academy.findFirstOrThrow({ where: { name: { contains: ACADEMY } } });
    urn = academy.urn;
    academyId = academy.id;
    head = await staff(prisma, "HEADTEACHER", { academyName: ACADEMY });
    const days = await prisma.register.findMany({ where: { academyId }, select: { date: true }, distinct: ["date"], orderBy: { date: "asc" } });
    from = days[0]!.date.toISOString().slice(0, 10);
    to = days.at(-1)!.date.toISOString().slice(0, 10);
    // A small demo has few lates: a stricter ladder, saved as the academy's own
    // settings from the period's first day, so that the lateness ladder raises
    // case actions to compare with.
    const saved = await t.graphql(
      `mutation($input: SetAcademyPolicyInput!) { setAcademyPolicy(input: $input) { date } }`,
      { input: { academyUrn: urn, effectiveFrom: from, reason: "Test: a stricter ladder", settings: { latenessLadder: [
        { lates: 1, per: "WEEK", action: "Tutor conversation" }, { lates: 2, per: "HALF_TERM", action: "1 hour detention" },
      ] } } },
      head.headers,
    );
    expect(saved.errors).toBeUndefined();
    // What the system records: the ladders evaluated on every school day of the period, as after each register.
    for (const name of [ACADEMY, "Staverton"]) {
      const academy = await prisma.academy.findFirstOrThrow({ where: { name: { contains: name } } });
      const who = await staff(prisma, "HEADTEACHER", { academyName: name });
      for (const { date } of days) {
        const run = await t.graphql(`mutation($urn: Int!, $d: Date!) { evaluateEscalations(academyUrn: $urn, asOf: $d) { created { id } } }`, { urn: academy.urn, d: date.toISOString().slice(0, 10) }, who.headers);
        expect(run.errors).toBeUndefined();
      }
    }
    before = await digests(prisma);
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each(["Woolwich Polytechnic", "Staverton"])("%s: with no changes reproduces the recorded lates, U marks, case actions and penalty-notice candidates exactly", async (name) => {
    const { prisma } = t.db;
    const academy = await prisma.academy.findFirstOrThrow({ where: { name: { contains: name } } });
    const who = await staff(prisma, "HEADTEACHER", { academyName: name });
    const response = await t.graphql<{ simulatePolicy: Simulation }>(SIMULATE, { urn: academy.urn, changes: {}, from, to }, who.headers);
    expect(response.errors).toBeUndefined();
    const sim = response.data!.simulatePolicy;
    expect(sim.draft).toEqual(sim.current);
    expect(sim.pupils.edges.every((e) => !e.node.changed)).toBe(true);

    const period = { academyId: academy.id, date: { gte: new Date(from), lte: new Date(to) } };
    expect(sim.current.lates).toBe(await prisma.currentMark.count({ where: { ...period, code: "L" } }));
    expect(sim.current.afterClose).toBe(await prisma.currentMark.count({ where: { ...period, code: "U" } }));
    expect(sim.current.lates).toBeGreaterThan(0);

    const recorded = await prisma.caseAction.findMany({ where: { academyId: academy.id, source: { in: ["LATENESS_LADDER", "ABSENCE_LADDER"] } }, select: { pupilId: true, triggerKey: true } });
    const simulated = sim.pupils.edges.flatMap((e) => e.node.current.ladderSteps.map((s) => ({ pupilId: Buffer.from(e.node.pupil.id, "base64").toString().split(":")[1]!, triggerKey: s.triggerKey })));
    const key = (a: { pupilId: string; triggerKey: string }) => `${a.pupilId}/${a.triggerKey}`;
    expect(simulated.map(key).sort()).toEqual(recorded.map(key).sort());
    expect(recorded.length).toBeGreaterThan(0);

    const candidates = await t.graphql<{ trusts: { edges: { node: { academies: { edges: { node: { urn: number; penaltyNoticeCandidates: { pupil: { upn: string } }[] } }[] } } }[] } }>(
      `query($d: Date!) { trusts { edges { node { academies(first: 50) { edges { node { urn penaltyNoticeCandidates(asOf: $d) { pupil { upn } } } } } } } } }`,
      { d: to }, who.headers,
    );
    expect(candidates.errors).toBeUndefined();
    const ours = candidates.data!.trusts.edges[0]!.node.academies.edges.find((e) => e.node.urn === academy.urn)!.node.penaltyNoticeCandidates.map((c) => c.pupil.upn).sort();
    expect(sim.pupils.edges.filter((e) => e.node.current.penaltyCandidate).map((e) => e.node.pupil.upn).sort()).toEqual(ours);
    expect(sim.current.penaltyCandidates).toBe(ours.length);
  });

  it("the times in force, given as a draft, classify every recorded arrival as it was recorded", async () => {
    const response = await simulate({ "registerTimes.AM": IN_FORCE });
    expect(response.errors).toBeUndefined();
    const sim = response.data!.simulatePolicy;
    expect(sim.draft).toEqual(sim.current);
    expect(sim.pupils.edges.flatMap((e) => e.node.reclassifiedMarks)).toEqual([]);
  });

  it("a later late time yields fewer lates, by the count of L marks whose arrival falls by it", async () => {
    const lateAfter = "08:50";
    const response = await simulate({ "registerTimes.AM": { ...IN_FORCE, lateAfter } });
    expect(response.errors).toBeUndefined();
    const sim = response.data!.simulatePolicy;
    // Independently: every L mark of the period with its recorded arrival, in the academy's time zone.
    const marks = await t.db.prisma.currentMark.findMany({
      where: { academyId, code: "L", date: { gte: new Date(from), lte: new Date(to) } },
      select: { session: true, mark: { select: { arrivedAt: true } } },
    });
    const onTimeNow = marks.filter((m) => m.session === "AM" && londonClock(m.mark.arrivedAt!) <= lateAfter).length;
    expect(onTimeNow).toBeGreaterThan(0);
    expect(sim.current.lates - sim.draft.lates).toBe(onTimeNow);
    expect(sim.draft.afterClose).toBe(sim.current.afterClose);
    expect(sim.draft.latenessSteps).toBeLessThan(sim.current.latenessSteps);
    expect(sim.pupils.edges.flatMap((e) => e.node.reclassifiedMarks).filter((m) => m.from === "L" && m.to === "/")).toHaveLength(onTimeNow);
  });

  it.each([
    { name: "times out of order", changes: { "registerTimes.AM": { starts: "09:00", lateAfter: "08:50", closes: "09:30" } }, field: "changes.registerTimes.AM" },
    { name: "a setting the simulation does not work out", changes: { attendanceTarget: 0.96 }, field: "changes.attendanceTarget" },
    { name: "an unknown setting", changes: { "registerTimes.XM": {} }, field: "changes.registerTimes.XM" },
    { name: "a ladder step of 0 lates", changes: { latenessLadder: [{ lates: 0, per: "WEEK", action: "Detention" }] }, field: "changes.latenessLadder.0.lates" },
  ])("a bad change ($name) is BAD_USER_INPUT naming the setting", async ({ changes, field }) => {
    const response = await simulate(changes);
    expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((response.errors?.[0]?.extensions?.problems as { field: string }[]).map((p) => p.field)).toContain(field);
    expect(response.errors?.[0]?.message).toContain(field.replace(/^changes\./, "").split(".")[0]);
  });

  it("the period is at most one school year, within it", async () => {
    const response = await simulate({}, head, { from: "2025-08-01", to: "2025-09-19" });
    expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("a teacher, another academy's headteacher and another trust's attendance lead get FORBIDDEN", async () => {
    const { prisma } = t.db;
    for (const who of [
      await staff(prisma, "TEACHER", { academyName: ACADEMY }),
      await staff(prisma, "HEADTEACHER", { academyName: "St James" }),
      await staff(prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale Academy Trust" }),
    ]) {
      const response = await simulate({}, who);
      expect(response.data?.simulatePolicy ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
  });

  it("a trust lead runs the draft over every academy of the trust, each under its own policy, in as many statements as for one", async () => {
    const { prisma } = t.db;
    const lead = await staff(prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Woolwich Polytechnic" });
    const trustAcademies = await prisma.academy.findMany({ where: { trust: { name: { contains: "Woolwich Polytechnic" } } }, select: { urn: true } });
    const query = `query($urns: [Int!], $changes: JSON!, $from: Date!, $to: Date!) {
      simulateTrustPolicy(academyUrns: $urns, changes: $changes, from: $from, to: $to) {
        current { lates afterClose latenessSteps } draft { lates afterClose latenessSteps }
        academies { academy { urn } current { lates } draft { lates } }
      } }`;
    const changes = { "registerTimes.AM": { ...IN_FORCE, lateAfter: "08:50" } };
    t.resetStatements();
    const one = await t.graphql<{ simulateTrustPolicy: { current: Totals; draft: Totals; academies: { academy: { urn: number }; current: Totals; draft: Totals }[] } }>(query, { urns: [urn], changes, from, to }, lead.headers);
    const oneStatements = t.statements.length;
    t.resetStatements();
    const all = await t.graphql<typeof one.data & object>(query, { changes, from, to }, lead.headers);
    const allStatements = t.statements.length;
    expect(one.errors).toBeUndefined();
    expect(all.errors).toBeUndefined();
    const run = all.data!.simulateTrustPolicy;
    expect(run.academies.map((a) => a.academy.urn).sort()).toEqual(trustAcademies.map((a) => a.urn).sort());
    expect(run.academies.length).toBeGreaterThan(1);
    expect(run.current.lates).toBe(run.academies.reduce((s, a) => s + a.current.lates, 0));
    expect(run.draft.lates).toBe(run.academies.reduce((s, a) => s + a.draft.lates, 0));
    // The same statements whatever the number of academies (one Academy lookup per academy row answered aside).
    expect(allStatements - oneStatements).toBeLessThanOrEqual(run.academies.length - 1);
    // Another trust's academy named: FORBIDDEN, nothing simulated.
    const stJames = await prisma.academy.findFirstOrThrow({ where: { name: { contains: "St James" } } });
    const refused = await t.graphql<{ simulateTrustPolicy: unknown }>(query, { urns: [urn, stJames.urn], changes, from, to }, lead.headers);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
  it("the README's example runs as written: fewer lates with lateness beginning at 08:50", async () => {
    const { query, variables } = readmeExample();
    expect(query).toContain(`academyUrn: ${urn}`);
    expect(query).toContain(`from: "${from}", to: "${to}"`);
    const response = await t.graphql<{ simulatePolicy: Simulation }>(query, variables, head.headers);
    expect(response.errors).toBeUndefined();
    const sim = response.data!.simulatePolicy;
    expect(sim.draft.lates).toBeLessThan(sim.current.lates);
    expect(sim.pupils.totalCount).toBeGreaterThan(0);
  });

  // Last, after every simulation above (vitest runs a file's tests in order).
  it("nothing in the database changed: every table's digest is as before the first simulation", async () => {
    expect(await digests(t.db.prisma)).toEqual(before);
  });
});
