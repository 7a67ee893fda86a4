// pnpm bench:growth (issue 17, item 5): how each trust question's time grows
// with the trust. Synthetic trusts of 10, 30 and 60 academies (1,000 pupils
// each, a school year of marks), each in a database of its own, loaded on
// the first run and reused after: attendance_bench_10, attendance_bench
// (the main bench's 30) and attendance_bench_60 on the local server
// (BENCH_GROWTH_SIZES=10,30,60; BENCH_GROWTH_SERVER, default
// postgresql://postgres@127.0.0.1:5432). Each question is asked of every
// size through GraphQL (response cache off) and as the same SQL through
// `pg`, side by side (stats.ts: BENCH_SAMPLES samples a side after
// BENCH_WARMUP, BENCH_ROW_BUDGET_S a row), then a table gives each p50 per
// size and the growth from 30 to 60 academies beside the growth in marks.
// Loading 60 academies takes about half an hour and 14 GB on this machine.
import { analyticsQuestions, FROM, TO } from "./analytics-questions.ts";
import { benchPupilList } from "./pupil-list-phase.ts";
import { graphqlRequest } from "./request.ts";
import { loadNow, ms, percentile, sideBySide, table, timedRow, type Row, type SideBySideOptions } from "./stats.ts";
import { openBenchTrust, type BenchTrust } from "./trust-database.ts";

const server = process.env.BENCH_GROWTH_SERVER ?? "postgresql://postgres@127.0.0.1:5432";
const sizes = (process.env.BENCH_GROWTH_SIZES ?? "10,30,60").split(",").map(Number).sort((a, b) => a - b);
/** The main bench's database holds the 30-academy trust; the others are named for their size. */
const databaseFor = (academies: number) => `${server}/${academies === 30 ? "attendance_bench" : `attendance_bench_${academies}`}`;
const timing: SideBySideOptions = {
  samples: Number(process.env.BENCH_SAMPLES ?? 20),
  warmup: Number(process.env.BENCH_WARMUP ?? 1),
  budgetMs: Number(process.env.BENCH_ROW_BUDGET_S ?? 300) * 1000,
};

const trusts: { academies: number; b: BenchTrust }[] = [];
// BENCH_GROWTH_PUPILS (default 1,000 an academy) makes a small trial run possible.
for (const academies of sizes) trusts.push({ academies, b: await openBenchTrust(databaseFor(academies), { academies, pupilsPerAcademy: Number(process.env.BENCH_GROWTH_PUPILS ?? 1_000) }) });
for (const { academies, b } of trusts) {
  if (b.trust.academies.length !== academies) throw new Error(`${databaseFor(academies)} holds ${b.trust.academies.length} academies, not ${academies}: load it again into an empty database.`);
}

const rows: Row[] = [];
/** p50s by question and size (GraphQL and SQL), for the growth table. */
const p50 = new Map<string, Map<number, { graphql: number; sql: number }>>();
const note = (question: string, academies: number, r: Row, t: { a: number[]; b: number[] }) => {
  rows.push(r);
  console.error(Object.values(r).join(" | "));
  if (!p50.has(question)) p50.set(question, new Map());
  p50.get(question)!.set(academies, { graphql: percentile(t.a, 50), sql: percentile(t.b, 50) });
};

// Each trust's questions (the league table names its own number of academies).
const asked = trusts.map(({ b }) => analyticsQuestions(b.trust.id, b.trust.academies.map((a) => a.id)));
for (const i of asked[0]!.keys()) {
  const name = asked[0]![i]!.name.replace(/: \d+ academies$/, ": every academy");
  for (const [k, { academies, b }] of trusts.entries()) {
    const q = asked[k]![i]!;
    const t = await sideBySide(() => graphqlRequest(b.endpoint, b.headers, q.query, { from: FROM, to: TO }), () => b.pool.query(q.sql.sql, q.sql.params as unknown[]), timing);
    note(name, academies, timedRow(`${academies} academies: ${q.name}`, t), t);
  }
}
// The lead's working list (pupil-list-phase.ts): eight periods in turn.
for (const { academies, b } of trusts) {
  let t: { a: number[]; b: number[] } = { a: [], b: [] };
  await benchPupilList(
    { prisma: b.db.prisma, pool: b.pool, endpoint: b.endpoint, headers: b.headers, trustId: b.trust.id, academyIds: b.trust.academies.map((a) => a.id), timing, onSamples: (s) => (t = s) },
    (r) => note("persistent-absence list, first 50 by rate", academies, { ...r, row: `${academies} academies: ${r.row}` }, t),
  );
}

const marksOf = new Map(trusts.map(({ academies, b }) => [academies, b.marks]));
const growthColumns = ["question", ...sizes.map((n) => `${n} academies p50 ms (SQL)`), ...(sizes.includes(30) && sizes.includes(60) ? ["60 ÷ 30 (GraphQL)", "60 ÷ 30 (SQL)"] : [])];
const growthRows = [...p50.entries()].map(([question, bySize]) => {
  const cell = (n: number) => {
    const v = bySize.get(n);
    return v ? `${ms(v.graphql)} (${ms(v.sql)})` : "—";
  };
  const ratio = (side: "graphql" | "sql") => {
    const [a, b] = [bySize.get(60)?.[side], bySize.get(30)?.[side]];
    return a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : "—";
  };
  return [question, ...sizes.map(cell), ...(growthColumns.length > sizes.length + 1 ? [ratio("graphql"), ratio("sql")] : [])];
});
const marksRow = ["marks (planner's estimate)", ...sizes.map((n) => (marksOf.get(n) ?? 0).toLocaleString("en-GB")), ...(growthColumns.length > sizes.length + 1 ? [`${((marksOf.get(60) ?? 0) / (marksOf.get(30) ?? 1)).toFixed(2)}× marks`, ""] : [])];

console.log(`\nGrowth with the trust (issue 17, item 5), load average now ${loadNow().toFixed(2)}:\n`);
console.log([`| ${growthColumns.join(" | ")} |`, `|${growthColumns.map(() => "---").join("|")}|`, ...[marksRow, ...growthRows].map((r) => `| ${r.join(" | ")} |`)].join("\n"));
console.log("\nEvery row:\n");
console.log(table(rows));
for (const { b } of trusts) await b.close();
process.exit(0);
