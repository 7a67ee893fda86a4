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
import { statisticsSql } from "@attendance/schema";
import { HALF_TERM, statisticsQuestions } from "./statistics-questions.ts";

const URL_ = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench";
const RUNS = Number(process.env.EXPLAIN_RUNS ?? 3);
// Autumn 2 of the synthetic calendar by default: a half term, Monday to Friday.
const FROM = process.env.EXPLAIN_FROM ?? HALF_TERM.from;
const TO = process.env.EXPLAIN_TO ?? HALF_TERM.to;

// The service's own session settings (jit off, work_mem), so the plans are the ones it gets.
const client = new pg.Client({ connectionString: URL_, options: SESSION_OPTIONS });
await client.connect();
const one = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];

const questions = await statisticsQuestions(one, { from: FROM, to: TO });

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
