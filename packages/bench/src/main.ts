// pnpm bench: the product against the same SQL run directly and against a
// bare server, on the synthetic trust (30 academies × 1,000 pupils × a school
// year, about 11.4 million marks), then sustained load and a PostgreSQL
// restart under load. Every figure is a ratio measured in one run on this
// machine. PostgreSQL only (DATABASE_URL, default: a database
// "attendance_bench" on the local server, created and loaded if missing).
import os from "node:os";
import autocannon from "autocannon";
import pg from "pg";
import { applyMigrations, loadSyntheticTrust, openDatabase, progressBar, SESSION_OPTIONS, syntheticTrustExists, SYNTHETIC_TRUST_SLUG } from "@attendance/db";
import { statisticsSql, type StatisticsQuery } from "@attendance/schema";
import { configFromEnv, createLogger, DEMO_JWT_SECRET, signStaffToken, startServer } from "@attendance/server";
import { startBareServer } from "./bare-server.ts";
import { ms, percentile, sideBySide } from "./stats.ts";
import { loadRun, weekdayAfter } from "./load.ts";
import { benchImport } from "./import-phase.ts";
import { benchPupilList } from "./pupil-list-phase.ts";

const URL_ = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench";
const FROM = "2025-09-01";
const TO = "2026-07-21";
const FIGURES = "pupils possibleSessions present authorisedAbsence unauthorisedAbsence persistentlyAbsent severelyAbsent attendanceRate";
const rows: string[][] = [];
const note = (...cells: string[]) => {
  rows.push(cells);
  console.error(cells.join(" | "));
};

async function ensureDatabase(url: string) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
  await admin.end();
}

await ensureDatabase(URL_);
let counting = false;
const statements: string[] = [];
const db = openDatabase({ url: URL_, onStatement: (sql) => counting && statements.push(sql), onConnectionError: () => {} });
await applyMigrations(db.migrationAdapterFactory);
if (!(await syntheticTrustExists(db.prisma))) {
  console.error("Loading the synthetic trust (once; later runs reuse it)…");
  const bar = progressBar("academies");
  const loaded = await loadSyntheticTrust(db.prisma, {
    academies: Number(process.env.SYNTHETIC_ACADEMIES ?? 30),
    pupilsPerAcademy: Number(process.env.SYNTHETIC_PUPILS ?? 1_000),
    onProgress: bar.update,
  });
  bar.done();
  console.error(`Loaded ${loaded.marks.toLocaleString("en-GB")} marks in ${loaded.seconds.toFixed(0)} s.`);
}
const marks = await db.prisma.mark.count();
const trust = await db.prisma.trust.findUniqueOrThrow({ where: { slug: SYNTHETIC_TRUST_SLUG }, include: { academies: { orderBy: { urn: "asc" } } } });
const lead = await db.prisma.roleAssignment.findFirstOrThrow({ where: { trustId: trust.id, role: "TRUST_ATTENDANCE_LEAD" } });
const config = configFromEnv({});
const token = await signStaffToken(lead.userId, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
// Registers are taken by an attendance officer of every academy (the trust lead reads).
const officer = await db.prisma.user.upsert({
  where: { email: "officer@synthetic-trust.example" },
  update: {},
  create: { email: "officer@synthetic-trust.example", displayName: "Synthetic Officer", roles: { create: trust.academies.map((a) => ({ role: "ATTENDANCE_OFFICER" as const, trustId: trust.id, academyId: a.id })) } },
});
const officerToken = await signStaffToken(officer.id, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
const officerHeaders = { "content-type": "application/json", authorization: `Bearer ${officerToken}` };
// Every figure but one is taken with the response cache off, so that each
// request is executed in full; the throughput is measured with it on (the
// service's default) and off.
// One user sends every request here, far past the per-staff rate limit (600 a
// minute) that shields the service from one account: the bench measures the
// server, so the limit is lifted.
const benchEnv = { ...process.env, RATE_LIMIT_STAFF_PER_MINUTE: process.env.RATE_LIMIT_STAFF_PER_MINUTE ?? "1000000000" };
const uncached = configFromEnv({ ...benchEnv, RESPONSE_CACHE_MS: "0" });
const serve = (serverConfig: typeof config) =>
  startServer({ prisma: db.prisma, logger: createLogger("silent"), port: 0, host: "127.0.0.1", config: serverConfig, webhooks: { pollMs: 3_600_000 } });
const server = await serve(uncached);
const endpoint = `${server.url}/graphql`;
const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
const pool = new pg.Pool({ connectionString: URL_, max: 4, options: SESSION_OPTIONS }); // the same session settings as the service
pool.on("error", () => {}); // a restart under load (below) drops idle connections

async function graphql(query: string, variables: Record<string, unknown> = {}, as = headers) {
  const res = await fetch(endpoint, { method: "POST", headers: as, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { errors?: unknown[]; data?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  return body.data;
}

const academyIds = trust.academies.map((a) => a.id);
// Marks are never deleted, so each run writes its registers after the last one written.
const lastDate = ((await db.prisma.register.aggregate({ where: { academy: { trustId: trust.id } }, _max: { date: true } }))._max.date ?? new Date("2026-07-21")).toISOString().slice(0, 10);

const scope = { academyIds, formIds: [] };
const sql = (q: Omit<StatisticsQuery, "scope">, rollup?: boolean) => statisticsSql({ ...q, scope }, { rollup });

console.error(`Synthetic trust: ${trust.academies.length} academies, ${marks.toLocaleString("en-GB")} marks. Measuring…`);

// ─── 1. Analytics: the whole stack against its own SQL run directly ──────────
const analytics: { name: string; n: number; query: string; variables?: Record<string, unknown>; sql: ReturnType<typeof sql> }[] = [
  {
    name: "trust summary (school year)",
    n: 5,
    query: `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { attendance(from: $from, to: $to) { total { ${FIGURES} } } } } } }`,
    sql: sql({ kind: "TRUST", ids: [trust.id], from: FROM, to: TO, cohort: {}, by: "TOTAL" }),
  },
  {
    name: "league table: 30 academies",
    n: 5,
    query: `query ($from: Date!, $to: Date!) { academies(first: 30) { edges { node { name attendance(from: $from, to: $to) { total { ${FIGURES} } } } } } }`,
    sql: sql({ kind: "ACADEMY", ids: academyIds, from: FROM, to: TO, cohort: {}, by: "TOTAL" }),
  },
  {
    name: "weekly trend",
    n: 3,
    query: `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { attendance(from: $from, to: $to) { byWeek { key figures { ${FIGURES} } } } } } } }`,
    sql: sql({ kind: "TRUST", ids: [trust.id], from: FROM, to: TO, cohort: {}, by: "WEEK" }),
  },
  {
    name: "cohort: free school meals, Year 7",
    n: 3,
    query: `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { attendance(from: $from, to: $to, cohort: { freeSchoolMeals: true, yearGroups: [7] }) { total { ${FIGURES} } } } } } }`,
    sql: sql({ kind: "TRUST", ids: [trust.id], from: FROM, to: TO, cohort: { freeSchoolMeals: true, yearGroups: [7] }, by: "TOTAL" }),
  },
  {
    name: "day of the week (every mark)",
    n: 2,
    query: `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { attendance(from: $from, to: $to) { byDayOfWeek { key figures { ${FIGURES} } } } } } } }`,
    sql: sql({ kind: "TRUST", ids: [trust.id], from: FROM, to: TO, cohort: {}, by: "DAY_OF_WEEK" }),
  },
];
note("analytics query", "GraphQL p50 ms", "GraphQL p95 ms", "SQL p50 ms", "SQL p95 ms", "ratio p50");
for (const a of analytics) {
  const t = await sideBySide(a.n, () => graphql(a.query, { from: FROM, to: TO }), () => pool.query(a.sql.sql, a.sql.params as unknown[]), a.n > 1);
  note(a.name, ms(percentile(t.a, 50)), ms(percentile(t.a, 95)), ms(percentile(t.b, 50)), ms(percentile(t.b, 95)), `${(percentile(t.a, 50) / percentile(t.b, 50)).toFixed(2)}×`);
}

// ─── 2. The rollup against the naive aggregation over every mark ─────────────
{
  const q = { kind: "TRUST" as const, ids: [trust.id], from: FROM, to: TO, cohort: {}, by: "TOTAL" as const };
  const naive = sql(q, false);
  const rolled = sql(q, true);
  const t = await sideBySide(1, () => pool.query(naive.sql, naive.params as unknown[]), () => pool.query(rolled.sql, rolled.params as unknown[]), false);
  note("trust summary SQL: every mark vs weekly rollup", "", "", `${ms(percentile(t.a, 50))} vs ${ms(percentile(t.b, 50))}`, "", `${(percentile(t.a, 50) / percentile(t.b, 50)).toFixed(1)}× faster`);
}

// ─── 3. Throughput: a simple authorised query against a bare server ──────────
{
  const bare = await startBareServer(trust.name);
  const cached = await serve(configFromEnv(benchEnv));
  const body = JSON.stringify({ query: "{ trusts(first: 1) { edges { node { name } } } }" });
  // The load generator in a worker thread, so the server has the main one;
  // three alternating rounds, so all three see the same machine.
  const seconds = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 5);
  const run = async (url: string, h: Record<string, string>) =>
    (await autocannon({ url, method: "POST", headers: h, body, connections: 10, duration: seconds, workers: 1 })) as autocannon.Result;
  const servers = [
    { name: "response cache on (default)", url: `${cached.url}/graphql`, requests: 0, errors: 0 },
    { name: "response cache off", url: endpoint, requests: 0, errors: 0 },
  ];
  let theirs = 0;
  for (let round = 0; round < 3; round++) {
    for (const s of servers) {
      const a = await run(s.url, headers);
      s.requests += a.requests.average / 3;
      s.errors += a.errors + a.non2xx;
    }
    theirs += (await run(bare.url, { "content-type": "application/json" })).requests.average / 3;
  }
  await bare.close();
  await cached.close();
  for (const s of servers) {
    note(`simple query, requests/s: ours (${s.name}) vs bare yoga`, `${s.requests.toFixed(0)} vs ${theirs.toFixed(0)}`, `errors ${s.errors}`, "", "", `${(s.requests / theirs).toFixed(2)}×`);
  }
}

// ─── 4. A 1,000-mark register: one mutation against a raw multi-row insert ───
{
  const academy = trust.academies[0]!;
  const pupils = await db.prisma.pupil.findMany({ where: { academyId: academy.id }, select: { id: true }, orderBy: { upn: "asc" } });
  // Dates after every register the trust has (earlier runs' included): each run takes a new one.
  const dates = Array.from({ length: 24 }, (_, i) => weekdayAfter(lastDate, i + 1));
  let next = 0;
  const take = `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`;
  const gid = (id: string) => Buffer.from(`Pupil:${id}`).toString("base64");
  const t = await sideBySide(
    5,
    () => graphql(take, { input: { academyUrn: academy.urn, date: dates[next++], session: "AM", marks: pupils.map((p) => ({ pupilId: gid(p.id), code: "/" })) } }, officerHeaders),
    async () => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const date = dates[next++];
        const { rows: [register] } = await client.query("INSERT INTO register (academy_id, date, session) VALUES ($1, $2, 'AM') RETURNING id", [academy.id, date]);
        await client.query(
          `INSERT INTO mark (register_id, pupil_id, academy_id, date, session, code, category)
           SELECT $1, x.pupil_id, $2, $3, 'AM', '/', 'PRESENT' FROM jsonb_to_recordset($4::jsonb) AS x(pupil_id uuid)`,
          [register.id, academy.id, date, JSON.stringify(pupils.map((p) => ({ pupil_id: p.id })))],
        );
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    },
  );
  note("1,000-mark register: takeRegister vs raw insert", ms(percentile(t.a, 50)), ms(percentile(t.a, 95)), ms(percentile(t.b, 50)), ms(percentile(t.b, 95)), `${(percentile(t.a, 50) / percentile(t.b, 50)).toFixed(2)}×`);
}

// ─── 5. SQL statements per request for nested lists at two sizes ─────────────
{
  const count = async (n: number) => {
    statements.length = 0;
    counting = true;
    await graphql(`query ($n: Int!) { academies(first: 30) { edges { node { name pupils(first: $n) { totalCount edges { node { upn form { name } academy { name } } } } } } } }`, { n });
    counting = false;
    return statements.length;
  };
  await count(10); // warm: authentication is then remembered (AUTH_CACHE_MS), as for any dashboard
  const [small, large] = [await count(10), await count(500)];
  note("statements: 30 academies × 10 pupils vs × 500", `${small} vs ${large}`, "", "", "", small === large ? "equal" : "DIFFERENT");
}

// ─── 5b. A trust lead's working list: persistent absentees, 50 by rate ───────
// Through GraphQL (response cache off) against the same SQL with `pg`, each
// request over another period (pupil-list-phase.ts). BENCH_LISTS=0 skips it.
if (process.env.BENCH_LISTS !== "0") {
  await benchPupilList({ prisma: db.prisma, pool, endpoint, headers, trustId: trust.id, academyIds, runs: Number(process.env.BENCH_LISTS_RUNS ?? 8) }, note);
}

// ─── 6. Sustained mixed load, then a PostgreSQL restart under load ───────────
const load = await loadRun({ endpoint, headers: officerHeaders, prisma: db.prisma, academies: trust.academies, seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 60), workers: 8, firstDate: weekdayAfter(lastDate, 40) });
note("mixed load (reads + register writes), 8 workers", `${load.requests} requests, ${load.writes} writes`, `errors ${load.errors}`, "", "", `lost writes ${load.lost}`);
if (process.env.BENCH_FAULT !== "0") {
  const cluster = (process.env.BENCH_PG_CLUSTER ?? "15 main").split(" ");
  const fault = await loadRun({
    endpoint, headers: officerHeaders, prisma: db.prisma, academies: trust.academies, seconds: 30, workers: 4, firstDate: weekdayAfter(lastDate, 400),
    fault: { atSecond: 8, command: ["pg_ctlcluster", ...cluster, "restart"] },
  });
  note(
    "PostgreSQL restarted under load (pg_ctlcluster)",
    `${fault.requests} requests, ${fault.errors} failed cleanly`,
    `unclean ${fault.unclean}`,
    "",
    "",
    `recovered in ${fault.recoverySeconds?.toFixed(1) ?? "never"} s, lost writes ${fault.lost}`,
  );
}

// ─── 7. Import: 10,000 pupils, their carers and a term of marks ─────────────
// importBatch (as pnpm import --apply) against a raw multi-row insert of the
// same rows, each into a fresh database (import-phase.ts). BENCH_IMPORT=0 skips it.
if (process.env.BENCH_IMPORT !== "0") {
  await benchImport(URL_, note, { pupils: Number(process.env.BENCH_IMPORT_PUPILS ?? 10_000), days: Number(process.env.BENCH_IMPORT_DAYS ?? 60) });
}

await server.close();
await pool.end();
await db.close();

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(`\n${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL on loopback; ${trust.academies.length} academies, ${marks.toLocaleString("en-GB")} marks.\n`);
console.log(`| ${rows[0]!.join(" | ")} |`);
console.log(`|${rows[0]!.map(() => "---").join("|")}|`);
for (const r of rows.slice(1)) console.log(`| ${r.join(" | ")} |`);
process.exit(0);
