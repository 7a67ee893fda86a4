// pnpm bench:explain: EXPLAIN (ANALYZE, BUFFERS) of the statements the
// attendance statistics fields send (built by schema/src/statistics/sql.ts,
// exactly as the statistics DataLoader builds them), on the synthetic trust
// already loaded by `pnpm bench`. Read only: every statement runs in a
// read-only transaction, and nothing is loaded or migrated. Prints each
// question's execution times and the plan of its fastest run, so a change to
// the SQL can be judged on 11.5 million marks rather than on the demo
// (DESIGN.md §9).
import pg from "pg";
import { SESSION_OPTIONS } from "@attendance/db";
import { statisticsSql, type StatisticsQuery } from "@attendance/schema";

const URL_ = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench";
const RUNS = Number(process.env.EXPLAIN_RUNS ?? 3);
// Autumn 2 of the synthetic calendar: a half term, Monday to Friday.
const FROM = process.env.EXPLAIN_FROM ?? "2025-11-03";
const TO = process.env.EXPLAIN_TO ?? "2025-12-19";
// pnpm bench's school year (packages/bench/src/main.ts).
const YEAR_FROM = "2025-09-01";
const YEAR_TO = "2026-07-21";

// The service's own session settings (jit off, work_mem), so the plans are the ones it gets.
const client = new pg.Client({ connectionString: URL_, options: SESSION_OPTIONS });
await client.connect();
const one = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];

const [trust] = await one<{ id: string }>("SELECT id FROM trust WHERE slug = 'synthetic-trust'");
if (!trust) throw new Error("No synthetic trust in this database: run `pnpm bench` once to load it.");
const academyIds = (await one<{ id: string }>("SELECT id FROM academy WHERE trust_id = $1 ORDER BY urn", [trust.id])).map((r) => r.id);
const academy = academyIds[0]!;
const formIds = (await one<{ id: string }>("SELECT id FROM form WHERE academy_id = $1 ORDER BY year_group, name", [academy])).map((r) => r.id);
const pupilIds = (await one<{ id: string }>("SELECT id FROM pupil WHERE academy_id = $1 AND form_id IS NOT NULL ORDER BY id", [academy])).map((r) => r.id);

const lead = { academyIds, formIds: [] };
const officer = { academyIds: [academy], formIds: [] };
const questions: { name: string; q: StatisticsQuery }[] = [
  { name: "one academy's half term (a lead)", q: { kind: "ACADEMY", ids: [academy], from: FROM, to: TO, cohort: {}, by: "TOTAL", scope: lead } },
  { name: `officer view: the academy's ${formIds.length} forms`, q: { kind: "FORM", ids: formIds, from: FROM, to: TO, cohort: {}, by: "TOTAL", scope: officer } },
  { name: `officer view: their ${pupilIds.length} pupils`, q: { kind: "PUPIL", ids: pupilIds, from: FROM, to: TO, cohort: {}, by: "TOTAL", scope: officer } },
  { name: "the whole trust's half term (a lead)", q: { kind: "TRUST", ids: [trust.id], from: FROM, to: TO, cohort: {}, by: "TOTAL", scope: lead } },
  // The trust questions of pnpm bench's analytics rows, over its school year.
  { name: "trust summary (school year)", q: { kind: "TRUST", ids: [trust.id], from: YEAR_FROM, to: YEAR_TO, cohort: {}, by: "TOTAL", scope: lead } },
  { name: "league table: every academy (school year)", q: { kind: "ACADEMY", ids: academyIds, from: YEAR_FROM, to: YEAR_TO, cohort: {}, by: "TOTAL", scope: lead } },
  { name: "weekly trend (school year)", q: { kind: "TRUST", ids: [trust.id], from: YEAR_FROM, to: YEAR_TO, cohort: {}, by: "WEEK", scope: lead } },
  { name: "cohort: free school meals, Year 7 (school year)", q: { kind: "TRUST", ids: [trust.id], from: YEAR_FROM, to: YEAR_TO, cohort: { freeSchoolMeals: true, yearGroups: [7] }, by: "TOTAL", scope: lead } },
  { name: "day of the week (school year)", q: { kind: "TRUST", ids: [trust.id], from: YEAR_FROM, to: YEAR_TO, cohort: {}, by: "DAY_OF_WEEK", scope: lead } },
];

const only = process.env.EXPLAIN_ONLY;
for (const { name, q } of questions) {
  if (only && !name.includes(only)) continue;
  const { sql, params } = statisticsSql(q);
  const times: number[] = [];
  let best: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    await client.query("BEGIN READ ONLY");
    const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows.map((r: Record<string, string>) => r["QUERY PLAN"]!);
    await client.query("ROLLBACK");
    const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan.at(-1) ?? "")?.[1]);
    if (times.length === 0 || ms < Math.min(...times)) best = plan;
    times.push(ms);
  }
  console.log(`\n=== ${name}: ${times.map((t) => `${t.toFixed(0)} ms`).join(", ")} (min ${Math.min(...times).toFixed(0)} ms)`);
  if (process.env.EXPLAIN_PLANS !== "0") console.log(best.join("\n"));
}
await client.end();
