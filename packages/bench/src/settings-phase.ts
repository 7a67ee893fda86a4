// pnpm bench:settings (issue 17, item 6): the statistics statements of
// bench:explain (statistics-questions.ts) under PostgreSQL settings a session
// can change, each variant against the service's own (SESSION_OPTIONS: jit
// off, work_mem 32MB), measured in one run: every round runs each question
// once under every variant, in an order that rotates from round to round, so
// all variants share the machine's load. Read only (each run is a READ ONLY
// transaction rolled back; the settings are SET LOCAL). Prints the median
// per question and variant, its ratio to the service's settings, and the
// server-wide settings the run had (shared_buffers needs a restart: run this
// once per value and compare the tables; README "PostgreSQL settings").
// SETTINGS_RUNS rounds (default 7) after one warm-up round; SETTINGS_ONLY
// (a substring of the question's name) picks questions.
import os from "node:os";
import pg from "pg";
import { SESSION_OPTIONS } from "@attendance/db";
import { statisticsSql } from "@attendance/schema";
import { ms, percentile } from "./stats.ts";
import { statisticsQuestions } from "./statistics-questions.ts";

const URL_ = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench";
const RUNS = Number(process.env.SETTINGS_RUNS ?? 7);

/** The variants: SET LOCAL statements on top of the service's session options. */
const VARIANTS: { name: string; set: string[] }[] = [
  { name: "service (jit off, work_mem 32MB)", set: [] },
  // Data on SSD and mostly in the OS cache (24 GiB here, 7 GB of data): random reads cost about what sequential ones do.
  { name: "random_page_cost 1.1, effective_cache_size 16GB", set: ["SET LOCAL random_page_cost = 1.1", "SET LOCAL effective_cache_size = '16GB'"] },
  { name: "work_mem 128MB", set: ["SET LOCAL work_mem = '128MB'"] },
  { name: "no parallel workers", set: ["SET LOCAL max_parallel_workers_per_gather = 0"] },
  // Parallel workers only where the planner expects them to pay for their start (default 1000).
  { name: "parallel_setup_cost 10000", set: ["SET LOCAL parallel_setup_cost = 10000"] },
  { name: "jit on (PostgreSQL's default)", set: ["SET LOCAL jit = on"] },
];

const client = new pg.Client({ connectionString: URL_, options: SESSION_OPTIONS });
await client.connect();
const one = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
const only = process.env.SETTINGS_ONLY;
const questions = (await statisticsQuestions(one)).filter((q) => !only || q.name.includes(only));
const server = await one<{ name: string; setting: string; unit: string | null }>(
  `SELECT name, setting, unit FROM pg_settings WHERE name IN ('server_version', 'shared_buffers', 'effective_cache_size', 'random_page_cost', 'max_parallel_workers_per_gather', 'work_mem', 'jit') ORDER BY name`,
);

async function timed(sql: string, params: unknown[], set: string[]): Promise<number> {
  await client.query("BEGIN READ ONLY");
  try {
    for (const s of set) await client.query(s);
    const started = performance.now();
    await client.query(sql, params);
    return performance.now() - started;
  } finally {
    await client.query("ROLLBACK");
  }
}

const times = questions.map(() => VARIANTS.map(() => [] as number[]));
const loadStart = os.loadavg()[0]!;
for (let round = -1; round < RUNS; round++) {
  for (const [qi, { q }] of questions.entries()) {
    const { sql, params } = statisticsSql(q);
    for (let k = 0; k < VARIANTS.length; k++) {
      const vi = (k + Math.max(round, 0)) % VARIANTS.length;
      const t = await timed(sql, params, VARIANTS[vi]!.set);
      if (round >= 0) times[qi]![vi]!.push(t);
    }
  }
  console.error(`round ${round + 1} of ${RUNS} (load ${os.loadavg()[0]!.toFixed(2)})`);
}
const loadEnd = os.loadavg()[0]!;
await client.end();

console.log(`\nServer: ${server.map((s) => `${s.name} ${s.setting}${s.unit ? ` ×${s.unit}` : ""}`).join(", ")}; session options "${SESSION_OPTIONS}".`);
console.log(`Median of ${RUNS} rounds (one warm-up round first); load average ${loadStart.toFixed(2)} → ${loadEnd.toFixed(2)}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}.\n`);
console.log(`| question | ${VARIANTS.map((v) => v.name).join(" | ")} |`);
console.log(`|---|${VARIANTS.map(() => "---").join("|")}|`);
for (const [qi, { name }] of questions.entries()) {
  const base = percentile(times[qi]![0]!, 50);
  const cells = VARIANTS.map((_, vi) => {
    const m = percentile(times[qi]![vi]!, 50);
    return vi === 0 ? `${ms(m)} ms` : `${ms(m)} ms (${(m / base).toFixed(2)}×)`;
  });
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}
process.exit(0);
