// The demo is a set of trusts (issue 15, item 7): each seed academy's trust
// holds it and two or three invented siblings, each under its own invented
// policy plugin, so a trust lead sees several academies and comparePolicies
// shows real differences across a trust.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff } from "./support/actors.ts";

interface Row { key: string; differs: boolean; values: { academy: { urn: number }; value: unknown }[] }
/** The trust lead's query in the README ("Demo data"), verbatim. */
const TRUST_LEAD_QUERY = `{
  trusts(first: 1) { edges { node {
    name
    attendance(from: "2025-09-04", to: "2025-10-24") { total { possibleSessions present attendanceRate persistentlyAbsent } }
    academies(first: 10) {
      edges { node { name urn attendance(from: "2025-09-04", to: "2025-10-24") {
        total { possibleSessions present attendanceRate persistentlyAbsent } } } }
    }
  } } }
}`;
const COMPARE = `query ($urns: [Int!]!) { comparePolicies(academyUrns: $urns, date: "2025-10-01") { key differs values { academy { urn } value } } }`;

describe.each(availableBackends())("demo trusts on %s", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 1, weeks: 1 } });
  });
  afterAll(() => t?.close());

  it("shows a trust lead every academy of the trust: the seed academy and its invented siblings", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const res = await t.graphql<{ academies: { totalCount: number; edges: { node: { name: string; urn: number } }[] } }>(
      `{ academies(first: 10) { totalCount edges { node { name urn } } } }`, {}, lead.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.academies.edges.map((e) => e.node.urn).sort()).toEqual([121_907, 940_501, 940_502]);
    // The SQL agrees: the trust's academies are exactly these.
    const sql = await t.db.prisma.$queryRaw<{ urn: number }[]>`
      SELECT a.urn FROM academy a JOIN trust t ON t.id = a.trust_id WHERE t.name LIKE '%Peterborough%' ORDER BY a.urn`;
    expect(sql.map((r) => r.urn)).toEqual([121_907, 940_501, 940_502]);
  });

  it("answers the README's trust-lead query: each academy's figures, which add up to the trust's", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    type Figures = { possibleSessions: number; present: number; attendanceRate: number | null; persistentlyAbsent: number };
    const res = await t.graphql<{ trusts: { edges: { node: { name: string; attendance: { total: Figures }; academies: { edges: { node: { urn: number; attendance: { total: Figures } } }[] } } }[] } }>(
      TRUST_LEAD_QUERY, {}, lead.headers);
    expect(res.errors).toBeUndefined();
    const trust = res.data!.trusts.edges[0]?.node;
    const academies = trust!.academies.edges.map((e) => e.node);
    expect(academies.map((a) => a.urn).sort()).toEqual([121_907, 940_501, 940_502]);
    for (const a of academies) expect(a.attendance.total.possibleSessions, String(a.urn)).toBeGreaterThan(0);
    const sum = (k: "possibleSessions" | "present") => academies.reduce((n, a) => n + a.attendance.total[k], 0);
    expect(trust!.attendance.total.possibleSessions).toBe(sum("possibleSessions"));
    expect(trust!.attendance.total.present).toBe(sum("present"));
  });

  it("compares the trust's academies' policies: register times, rewards and ladders differ, each from its own plugin", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const urns = [121_907, 940_501, 940_502];
    const res = await t.graphql<{ comparePolicies: Row[] }>(COMPARE, { urns }, lead.headers);
    expect(res.errors).toBeUndefined();
    const rows = new Map(res.data!.comparePolicies.map((r) => [r.key, r]));
    const valueOf = (key: string, urn: number) => rows.get(key)!.values.find((v) => v.academy.urn === urn)!.value;
    // Staverton's published times (seed 004 Appendix A1) beside the siblings' invented ones.
    expect(rows.get("registerTimes.AM")!.differs).toBe(true);
    expect(valueOf("registerTimes.AM", 121_907)).toEqual({ starts: "08:45", lateAfter: "08:50", closes: "09:20" });
    expect(valueOf("registerTimes.AM", 940_501)).toEqual({ starts: "08:40", lateAfter: "08:45", closes: "09:05" });
    expect(valueOf("registerTimes.AM", 940_502)).toEqual({ starts: "08:50", lateAfter: "08:55", closes: "09:20" });
    // PDET's group-only rewards (§8), which Thistlecombe's invented policy overrides.
    expect(rows.get("rewards.groupOnly")!.differs).toBe(true);
    expect(valueOf("rewards.groupOnly", 121_907)).toBe(true);
    expect(valueOf("rewards.groupOnly", 940_501)).toBe(false);
    expect(valueOf("rewards.groupOnly", 940_502)).toBe(true);
    for (const key of ["latenessLadder", "attendanceTarget", "absenceReporting.window", "escalation.actionDueDays"]) {
      expect(rows.get(key)?.differs, key).toBe(true);
    }
    // What all three share (the national rules and the trust's absence ladder) does not differ.
    expect(rows.get("absenceLadder")!.differs).toBe(false);
    expect(rows.get("penaltyNotice.secondAmount")!.differs).toBe(false);
  });
});
