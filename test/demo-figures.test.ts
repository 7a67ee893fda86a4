// The demo's statistics and penalty-notice candidates before and after the
// register-validity rules (issue 14, "Must show": unchanged for the existing
// demo data wherever it was already valid). test/fixtures/demo-figures.json
// was taken from main before the rules landed (UPDATE_DEMO_FIGURES=1 writes it
// again); the rules only refuse new writes, so every figure must be the same.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeProblem, type SessionTimes } from "@attendance/core";
import { availableBackends } from "@attendance/db";
import { DEMO_SEED_ACADEMIES } from "@attendance/db/demo";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff } from "./support/actors.ts";

const FIXTURE = new URL("./fixtures/demo-figures.json", import.meta.url);
const FIGURES = "pupils possibleSessions present approvedActivity authorisedAbsence unauthorisedAbsence lateBeforeClose lateAfterClose attendanceRate persistentlyAbsent severelyAbsent";
const QUERY = `query ($urn: Int!) { academy(urn: $urn) { name
  attendance(from: "2025-09-01", to: "2026-08-31") { total { ${FIGURES} } byDayOfWeek { key figures { ${FIGURES} } } byWeek { key figures { possibleSessions present unauthorisedAbsence } } }
  penaltyNoticeCandidates(asOf: "2026-07-21") { pupil { upn } threshold { reached from to schoolWeeks sessions { date session code } } parents { nth offered amountWithin21Days } }
} }`;

describe.each(availableBackends())("demo figures on %s", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
  });
  afterAll(() => t?.close());

  it("statistics and penalty-notice candidates for the 2025/26 demo equal those taken before the register-validity rules", async () => {
    const academies = await t.db.prisma.academy.findMany({ select: { urn: true, name: true, trust: { select: { name: true } } }, orderBy: { urn: "asc" } });
    const figures: Record<string, unknown> = {};
    for (const academy of academies) {
      const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: academy.trust.name }).catch(() => undefined);
      if (!lead) continue;
      const res = await t.graphql(QUERY, { urn: academy.urn }, lead.headers);
      expect(res.errors).toBeUndefined();
      // The candidates' order is not part of the answer's contract (it differs between back ends).
      const data = res.data as { academy: { penaltyNoticeCandidates: { pupil: { upn: string } }[] | null } };
      data.academy.penaltyNoticeCandidates?.sort((a, b) => a.pupil.upn.localeCompare(b.pupil.upn));
      figures[academy.name] = data;
    }
    expect(Object.keys(figures).length).toBeGreaterThan(0);
    // The fixture holds the five seed academies' figures; the invented
    // siblings added to their trusts (issue 15) must leave those unchanged,
    // and are answered too (above), but are not part of the fixture.
    const seeds = new Set(DEMO_SEED_ACADEMIES.map((a) => a.name));
    const seedFigures = Object.fromEntries(Object.entries(figures).filter(([name]) => seeds.has(name)));
    expect(Object.keys(seedFigures).length).toBe(5);
    if (process.env.UPDATE_DEMO_FIGURES) writeFileSync(FIXTURE, `${JSON.stringify(seedFigures, null, 1)}\n`);
    expect(seedFigures).toEqual(JSON.parse(readFileSync(FIXTURE, "utf8")));
  }, 120_000);

  it("holds no mark the register rules refuse: every mark on a session its academy meets, for a pupil on roll, with a code that agrees with its arrival", async () => {
    // Arrival times against each academy's register times in force (table 1: L before the close, U after).
    const academies = await t.db.prisma.academy.findMany({ select: { id: true, urn: true, timezone: true, trust: { select: { name: true } } } });
    // The demo's registers are all in Autumn 1 2025, under one policy: one
    // request per academy, all first (a slow statement between two requests
    // can meet the server closing the kept-alive socket).
    type Times = { AM: { value: SessionTimes } | null; PM: { value: SessionTimes } | null };
    const policies = new Map<string, Times>();
    for (const academy of academies) {
      const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: academy.trust.name }).catch(() => undefined);
      if (!lead) continue;
      const res = await t.graphql<{ policy: Times }>(
        `query ($urn: Int!) { policy: effectivePolicy(academyUrn: $urn, date: "2025-10-01") { AM: setting(key: "registerTimes.AM") { value } PM: setting(key: "registerTimes.PM") { value } } }`,
        { urn: academy.urn }, lead.headers,
      );
      expect(res.errors).toBeUndefined();
      policies.set(academy.id, res.data!.policy);
    }
    // The calendar and the roll (SI 2024/208, regs 8, 9 and 10(1)), in SQL over every mark.
    const [offSession] = await t.db.prisma.$queryRawUnsafe<{ weekend: number; outside: number; closed: number; offRoll: number; wrongPresent: number }[]>(`
      SELECT count(*) FILTER (WHERE extract(isodow FROM m.date) > 5)::int AS weekend,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM school_term t WHERE t.academy_id = m.academy_id AND m.date BETWEEN t.start_date AND t.end_date))::int AS outside,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM school_closure c WHERE c.academy_id = m.academy_id AND m.date BETWEEN c.start_date AND c.end_date
                                             AND (c.session IS NULL OR c.session = m.session)))::int AS closed,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = m.pupil_id AND e.academy_id = m.academy_id
                                                 AND m.date >= e.on_roll_from AND (e.on_roll_to IS NULL OR m.date <= e.on_roll_to)))::int AS "offRoll",
             count(*) FILTER (WHERE (m.code = '/' AND m.session = 'PM') OR (m.code = '\\' AND m.session = 'AM'))::int AS "wrongPresent"
      FROM mark m`);
    expect(offSession).toEqual({ weekend: 0, outside: 0, closed: 0, offRoll: 0, wrongPresent: 0 });
    // Arrival times against each academy's register times in force (table 1: L before the close, U after).
    let checked = 0;
    for (const academy of academies) {
      const policy = policies.get(academy.id);
      if (!policy) continue;
      const marks = await t.db.prisma.mark.findMany({ where: { academyId: academy.id, arrivedAt: { not: null } }, select: { date: true, session: true, code: true, arrivedAt: true } });
      expect(marks.every((m) => m.date >= new Date("2025-09-01") && m.date <= new Date("2025-10-24"))).toBe(true);
      for (const mark of marks) {
        const key = `${mark.date.toISOString().slice(0, 10)}/${mark.session}`;
        const arrival = new Intl.DateTimeFormat("en-GB", { timeZone: academy.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(mark.arrivedAt!);
        expect(codeProblem(mark.code, mark.session, arrival, policy[mark.session]?.value), `${key} ${mark.code} at ${arrival}`).toBeUndefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  }, 120_000);
});
