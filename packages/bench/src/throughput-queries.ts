// The queries the throughput phase (main.ts) and the profiler
// (profile-server.ts) send: the simple one, and three a front end sends all
// day, each with arguments that vary from one request to the next (so a
// response cache sees what it would in use, not one answer replayed):
// - a trust lead's trust summary, over another period each time;
// - an attendance officer's form: 30 pupils with their figures, another form
//   and period each time;
// - a pupil's marks for a term, another pupil and term each time.
// The synthetic trust has one account, its trust lead. The two academy
// questions are asked by the lead working in the academy (the x-academy-urn
// header, as the front end sends it), which narrows the lead to that academy
// as an officer is; a read-only run then leaves the database as it found it.
import type { PrismaClient } from "@attendance/db";

export const FIGURES = "pupils possibleSessions present authorisedAbsence unauthorisedAbsence persistentlyAbsent severelyAbsent attendanceRate";

/** Periods of the synthetic school year (2025/26): half terms, single weeks and spans across holidays. */
export const PERIODS: readonly { from: string; to: string }[] = [
  { from: "2025-09-03", to: "2025-10-24" }, // Autumn 1
  { from: "2025-11-03", to: "2025-12-19" }, // Autumn 2
  { from: "2026-01-05", to: "2026-02-13" }, // Spring 1
  { from: "2026-02-23", to: "2026-03-27" }, // Spring 2
  { from: "2025-09-15", to: "2025-09-19" }, // a week
  { from: "2025-11-10", to: "2025-11-14" }, // a week
  { from: "2026-03-02", to: "2026-03-06" }, // a week
  { from: "2025-10-01", to: "2026-02-11" }, // Wednesday to Wednesday across two holidays
];

/** Terms, for a pupil's marks. */
export const TERMS: readonly { from: string; to: string }[] = [
  { from: "2025-09-03", to: "2025-12-19" },
  { from: "2026-01-05", to: "2026-03-27" },
  { from: "2026-04-13", to: "2026-07-21" },
];

export interface ThroughputQuery {
  key: "simple" | "trust" | "form" | "pupil";
  name: string;
  headers: Record<string, string>;
  /** The request bodies, sent in turn. */
  requests: { method: "POST"; body: string }[];
}

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

export async function throughputQueries(prisma: PrismaClient, trustId: string, sign: (userId: string) => Promise<string>): Promise<ThroughputQuery[]> {
  const lead = await prisma.roleAssignment.findFirstOrThrow({ where: { trustId, role: "TRUST_ATTENDANCE_LEAD" } });
  const headers = { "content-type": "application/json", authorization: `Bearer ${await sign(lead.userId)}` };
  const academy = await prisma.academy.findFirstOrThrow({ where: { trustId }, orderBy: { urn: "asc" } });
  const inAcademy = { ...headers, "x-academy-urn": String(academy.urn) };
  const forms = await prisma.form.findMany({ where: { academyId: academy.id }, orderBy: { name: "asc" }, take: 8, select: { id: true } });
  const pupils = await prisma.pupil.findMany({ where: { academyId: academy.id }, orderBy: { upn: "asc" }, take: 24, select: { upn: true } });
  const body = (query: string, variables: Record<string, unknown> = {}) => ({ method: "POST" as const, body: JSON.stringify({ query, variables }) });
  const trustSummary = `query TrustSummary($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { name attendance(from: $from, to: $to) { total { ${FIGURES} } } } } } }`;
  const form = `query FormFigures($id: ID!, $from: Date!, $to: Date!) { node(id: $id) { ... on Form { name pupils(first: 30) { edges { node { upn displayName attendance(from: $from, to: $to) { total { ${FIGURES} } } } } } } } }`;
  const marks = `query PupilMarks($upn: String!, $from: Date!, $to: Date!) { pupil(upn: $upn) { displayName marks(from: $from, to: $to, first: 200) { totalCount edges { node { date session code category } } } } }`;
  return [
    { key: "simple", name: "simple query", headers, requests: [body("{ trusts(first: 1) { edges { node { name } } } }")] },
    { key: "trust", name: `trust summary, ${PERIODS.length} periods in turn`, headers, requests: PERIODS.map((p) => body(trustSummary, p)) },
    {
      key: "form",
      name: `a form's 30 pupils with figures, ${forms.length} forms × ${PERIODS.length} periods in turn`,
      headers: inAcademy,
      // Every form with every period, each form's periods in another order.
      requests: forms.flatMap((f, i) => PERIODS.map((_, j) => body(form, { id: gid("Form", f.id), ...PERIODS[(i + j) % PERIODS.length]! }))),
    },
    {
      key: "pupil",
      name: `a pupil's marks for a term, ${pupils.length} pupils × ${TERMS.length} terms in turn`,
      headers: inAcademy,
      requests: pupils.flatMap((p, i) => TERMS.map((_, j) => body(marks, { upn: p.upn, ...TERMS[(i + j) % TERMS.length]! }))),
    },
  ];
}
