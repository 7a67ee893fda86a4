// The pupil-list phase of pnpm bench (issue 16, must show): the synthetic
// trust's persistent-absence list, first page of 50 by attendance rate,
// through the whole HTTP + GraphQL stack against the same SQL sent with `pg`
// (the list statement of schema/src/statistics/pupil-list.ts, then the
// page's pupils with their forms, as the GraphQL answer holds). Each request
// asks about another period (half terms, terms, the year, spans across
// holidays), and the server runs with the response cache off, so every
// answer is computed, never replayed.
// Run alone on a small synthetic trust of its own:
//   pnpm --filter @attendance/bench bench:lists
// (BENCH_LISTS_DATABASE_URL, default a database "attendance_bench_lists" on
// the local server; BENCH_LISTS_ACADEMIES and BENCH_LISTS_PUPILS size the
// trust when it is first loaded, default 3 × 200; BENCH_LISTS_RUNS samples a
// side, default 20, after BENCH_WARMUP, default 1).
import pg from "pg";
import { DEFAULT_PUPIL_LIST_ORDER } from "@attendance/core";
import type { PrismaClient } from "@attendance/db";
import { pupilListSql } from "@attendance/schema";
import { graphqlRequest } from "./request.ts";
import { openBenchTrust } from "./trust-database.ts";
import { sideBySide, table, timedRow, type Row, type SideBySideOptions } from "./stats.ts";

/** Periods of the synthetic school year (2025/26), each asked in turn: no two neighbouring requests alike. */
export const LIST_PERIODS: readonly { from: string; to: string }[] = [
  { from: "2025-09-01", to: "2026-07-21" }, // the school year
  { from: "2025-09-03", to: "2025-10-24" }, // Autumn 1
  { from: "2025-09-03", to: "2025-12-19" }, // autumn term
  { from: "2025-11-03", to: "2025-12-19" }, // Autumn 2
  { from: "2026-01-05", to: "2026-03-27" }, // spring term
  { from: "2025-10-01", to: "2026-02-11" }, // Wednesday to Wednesday across two holidays
  { from: "2026-04-13", to: "2026-07-21" }, // summer term
  { from: "2025-09-10", to: "2025-11-26" }, // part weeks at both ends
];

const QUERY = `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node {
  pupilList(from: $from, to: $to, filter: { persistentlyAbsent: true }, orderBy: { by: ATTENDANCE_RATE, direction: ASC }, first: 50) {
    totalCount edges { node { pupil { upn displayName form { name } } possibleSessions absences attendanceRate attendancePercent } } } } } } }`;

/** The page's pupils as the GraphQL answer holds them, by one statement. */
const PUPILS_SQL = `SELECT p.id, p.upn, p.preferred_forename, p.legal_forename, p.legal_surname, f.name AS form
  FROM pupil p LEFT JOIN form f ON f.id = p.form_id WHERE p.id = ANY($1::uuid[])`;

export interface ListBench {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** The server's /graphql, with the response cache off. */
  endpoint: string;
  /** A trust lead's headers. */
  headers: Record<string, string>;
  trustId: string;
  academyIds: string[];
  /** Samples, warm-up and budget (stats.ts). */
  timing: SideBySideOptions;
  /** Given the timed samples of both sides (the growth phase's table reads their p50s). */
  onSamples?: (t: { a: number[]; b: number[] }) => void;
}

/** Runs the phase and notes its row: GraphQL p50/p95 against SQL p50/p95, and the ratio of the p50s. */
export async function benchPupilList(b: ListBench, note: (row: Row) => void): Promise<void> {
  let viaGraphql = 0;
  let viaSql = 0;
  let listed = 0;
  const graphql = async () => {
    const period = LIST_PERIODS[viaGraphql++ % LIST_PERIODS.length]!;
    const data = (await graphqlRequest(b.endpoint, b.headers, QUERY, period)) as { trusts: { edges: { node: { pupilList: { totalCount: number } } }[] } };
    listed = Math.max(listed, data.trusts.edges[0]!.node.pupilList.totalCount);
  };
  const sql = async () => {
    const period = LIST_PERIODS[viaSql++ % LIST_PERIODS.length]!;
    const q = pupilListSql({
      group: { kind: "TRUST", trustId: b.trustId }, trustId: b.trustId, ...period,
      filter: { persistentlyAbsent: true }, cohort: {}, order: DEFAULT_PUPIL_LIST_ORDER,
      scope: { academyIds: b.academyIds, formIds: [] }, offset: 0, limit: 51,
    });
    const { rows } = await b.pool.query<{ pupilId: string | null }>(q.sql, q.params as unknown[]);
    await b.pool.query(PUPILS_SQL, [rows.filter((r) => r.pupilId).slice(0, 50).map((r) => r.pupilId)]);
  };
  const t = await sideBySide(graphql, sql, b.timing);
  b.onSamples?.(t);
  note(timedRow(`persistent-absence list, first 50 by rate, ${LIST_PERIODS.length} periods in turn (${listed.toLocaleString("en-GB")} pupils at most)`, t));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.BENCH_LISTS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench_lists";
  const b = await openBenchTrust(url, { academies: Number(process.env.BENCH_LISTS_ACADEMIES ?? 3), pupilsPerAcademy: Number(process.env.BENCH_LISTS_PUPILS ?? 200) });
  const rows: Row[] = [];
  await benchPupilList({
    prisma: b.db.prisma, pool: b.pool, endpoint: b.endpoint, headers: b.headers,
    trustId: b.trust.id, academyIds: b.trust.academies.map((a) => a.id),
    timing: { samples: Number(process.env.BENCH_LISTS_RUNS ?? 20), warmup: Number(process.env.BENCH_WARMUP ?? 1) },
  }, (r) => rows.push(r));
  console.log(`\n${b.trust.academies.length} academies, ${b.pupils.toLocaleString("en-GB")} pupils, about ${b.marks.toLocaleString("en-GB")} marks${b.marks < 11_000_000 ? " (small scale: not the 11.5-million-mark trust)" : " (the benchmark trust's size)"}.\n`);
  console.log(table(rows));
  await b.close();
  process.exit(0);
}
