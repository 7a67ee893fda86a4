// The demo's statistics and penalty-notice candidates before and after the
// register-validity rules (issue 14, "Must show": unchanged for the existing
// demo data wherever it was already valid). test/fixtures/demo-figures.json
// was taken from main before the rules landed (UPDATE_DEMO_FIGURES=1 writes it
// again); the rules only refuse new writes, so every figure must be the same.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
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
    if (process.env.UPDATE_DEMO_FIGURES) writeFileSync(FIXTURE, `${JSON.stringify(figures, null, 1)}\n`);
    expect(figures).toEqual(JSON.parse(readFileSync(FIXTURE, "utf8")));
  }, 120_000);
});
