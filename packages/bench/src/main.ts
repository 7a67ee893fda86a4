// pnpm bench: the product against the same SQL run directly and against a
// bare server, on the synthetic trust (30 academies × 1,000 pupils × a school
// year, about 11.4 million marks), then sustained load and a PostgreSQL
// restart under load (opt in: BENCH_FAULT=1, on a cluster of its own). Every
// figure is a ratio measured in one run on this machine. PostgreSQL only
// (DATABASE_URL, default: a database "attendance_bench" on the local server,
// created and loaded if missing).
//
// Every row follows the rules in stats.ts: BENCH_SAMPLES timed samples a
// side (default 20) after BENCH_WARMUP untimed ones (default 1), or fewer when
// a slow row reaches BENCH_ROW_BUDGET_S (default 600 s) and then says so;
// failed requests (GraphQL errors in HTTP 200 included) counted, never timed;
// the load average at the row's start and end. BENCH_ONLY=analytics,rollup,…
// runs only the phases named (analytics, everyday, rollup, throughput, register,
// statements, lists, load, fault, import).
import os from "node:os";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { applyMigrations, loadSyntheticTrust, openDatabase, progressBar, SESSION_OPTIONS, syntheticTrustExists, SYNTHETIC_TRUST_SLUG } from "@attendance/db";
import { statisticsSql, type StatisticsQuery } from "@attendance/schema";
import { configFromEnv, createLogger, DEMO_JWT_SECRET, signStaffToken, startServer } from "@attendance/server";
import { startBareServer } from "./bare-server.ts";
import { BenchFailure, loadCell, loadNow, ms, p95Cell, percentile, row, samplesCell, sideBySide, table, timedRow, type Row, type SideBySideOptions } from "./stats.ts";
import { loadRun, schoolDaysAfter } from "./load.ts";
import { graphqlRequest } from "./request.ts";
import { rawRegisterInsert } from "./raw-register.ts";
import { benchFault } from "./fault-phase.ts";
import { benchImport } from "./import-phase.ts";
import { benchPupilList } from "./pupil-list-phase.ts";
import { benchEveryday, questionStatements, type Statement } from "./everyday-phase.ts";
import { throughputQueries } from "./throughput-queries.ts";
import { analyticsQuestions, FROM, TO } from "./analytics-questions.ts";
import { ensureDatabase } from "./trust-database.ts";

const URL_ = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench";
const rows: Row[] = [];
const note = (r: Row) => {
  rows.push(r);
  console.error(Object.values(r).join(" | "));
};
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const phase = (name: string) => !only || only.includes(name);
const timing: SideBySideOptions = {
  samples: Number(process.env.BENCH_SAMPLES ?? 20),
  warmup: Number(process.env.BENCH_WARMUP ?? 1),
  budgetMs: Number(process.env.BENCH_ROW_BUDGET_S ?? 600) * 1000,
};

await ensureDatabase(URL_);
let counting = false;
const statements: string[] = [];
// The everyday and throughput phases capture a request's statements with
// their parameters (capture, below), to replay them through pg.
let capturing: Statement[] | null = null;
const db = openDatabase({
  url: URL_,
  onStatement: (sql, args) => {
    if (counting) statements.push(sql);
    capturing?.push({ sql, args: [...(args ?? [])] });
  },
  onConnectionError: () => {},
});
await applyMigrations(db.migrationAdapterFactory);
/** Runs `fn` and returns the statements the server sent meanwhile. */
async function capture(fn: () => Promise<unknown>): Promise<Statement[]> {
  const into: Statement[] = [];
  capturing = into;
  try {
    await fn();
  } finally {
    capturing = null;
  }
  return into;
}
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
// Registers are taken by an attendance officer of every academy (the trust
// lead reads). Made only when a writing phase runs, so that a run of the read
// phases alone leaves the database as it found it.
const officerHeaders = async () => {
  const officer = await db.prisma.user.upsert({
    where: { email: "officer@synthetic-trust.example" },
    update: {},
    create: { email: "officer@synthetic-trust.example", displayName: "Synthetic Officer", roles: { create: trust.academies.map((a) => ({ role: "ATTENDANCE_OFFICER" as const, trustId: trust.id, academyId: a.id })) } },
  });
  const officerToken = await signStaffToken(officer.id, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  return { "content-type": "application/json", authorization: `Bearer ${officerToken}` };
};
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

/** One request; a GraphQL error (HTTP 200 or not), a timeout or a dropped connection throws a BenchFailure, counted by sideBySide. */
const graphql = (query: string, variables: Record<string, unknown> = {}, as = headers) => graphqlRequest(endpoint, as, query, variables);

const academyIds = trust.academies.map((a) => a.id);
// Marks are never deleted, so each run writes its registers after the last one written.
// The register row's days (two a sample, warm-up included); the load's come after them.
// Dates after every register the trust has (earlier runs' included): each run takes new ones.
const REGISTER_DAYS = 2 * ((timing.samples ?? 20) + (timing.warmup ?? 1)) + 2;
const lastDate = ((await db.prisma.register.aggregate({ where: { academy: { trustId: trust.id } }, _max: { date: true } }))._max.date ?? new Date("2026-07-21")).toISOString().slice(0, 10);

const scope = { academyIds, formIds: [] };
const sql = (q: Omit<StatisticsQuery, "scope">, rollup?: boolean) => statisticsSql({ ...q, scope }, { rollup });

console.error(`Synthetic trust: ${trust.academies.length} academies, ${marks.toLocaleString("en-GB")} marks. Measuring…`);

// ─── 1. Analytics: the whole stack against its own SQL run directly ──────────
const analytics = analyticsQuestions(trust.id, academyIds);
if (phase("analytics")) {
  for (const a of analytics) {
    const t = await sideBySide(() => graphql(a.query, { from: FROM, to: TO }), () => pool.query(a.sql.sql, a.sql.params as unknown[]), timing);
    note(timedRow(a.name, t));
  }
}

// ─── 1b. Everyday reads: an officer's forms, a pupil's marks, a register ─────
// Each against its own statements replayed through pg (everyday-phase.ts).
if (phase("everyday")) {
  const officer = await officerHeaders();
  const upns = (await db.prisma.$queryRawUnsafe<{ upn: string }[]>(
    "SELECT upn FROM pupil WHERE trust_id = $1::uuid ORDER BY md5(id::text) LIMIT 60", trust.id,
  )).map((r) => r.upn);
  const registers = (await db.prisma.$queryRawUnsafe<{ urn: number; date: string; session: string }[]>(
    `SELECT a.urn, to_char(r.date, 'YYYY-MM-DD') AS date, r.session::text AS session FROM register r JOIN academy a ON a.id = r.academy_id
     WHERE a.trust_id = $1::uuid AND r.date BETWEEN '2025-09-01' AND '2026-07-21' ORDER BY md5(r.id::text) LIMIT 60`, trust.id,
  ));
  await benchEveryday({
    pool,
    graphql: (query, variables) => graphql(query, variables, officer),
    capture,
    academies: trust.academies,
    upns,
    registers,
    timing,
  }, note);
}

// ─── 2. The rollup against the naive aggregation over every mark ─────────────
// Both sides SQL through `pg`: the every-mark side in the GraphQL columns
// (the slower way), the rollup in the SQL ones; warm-up and samples as every row.
if (phase("rollup")) {
  const q = { kind: "TRUST" as const, ids: [trust.id], from: FROM, to: TO, cohort: {}, by: "TOTAL" as const };
  const naive = sql(q, false);
  const rolled = sql(q, true);
  const t = await sideBySide(() => pool.query(naive.sql, naive.params as unknown[]), () => pool.query(rolled.sql, rolled.params as unknown[]), timing);
  note(timedRow("trust summary SQL: every mark (GraphQL columns) vs weekly rollup (SQL columns), both through pg", t, "the ratio: how many times faster the rollup is", (a50, b50) => `${(a50 / b50).toFixed(1)}× faster`));
}

// ─── 3. Throughput: a simple authorised query against a bare server ──────────
// Then three realistic queries with varied arguments (throughput-queries.ts):
// ours uncached against the same statements sent with `pg`, and the response
// cache on its own, with its hit rate.
if (phase("throughput")) {
  // The servers measured here have a database client of their own, without the
  // statement listener the statements row uses (a Proxy on every driver call).
  const tpDb = openDatabase({ url: URL_, onConnectionError: () => {} });
  const tpServe = (serverConfig: typeof config) =>
    startServer({ prisma: tpDb.prisma, logger: createLogger("silent"), port: 0, host: "127.0.0.1", config: serverConfig, webhooks: { pollMs: 3_600_000 } });
  const bare = await startBareServer(trust.name);
  const cached = await tpServe(configFromEnv(benchEnv));
  const uncachedServer = await tpServe(uncached);
  const query = "{ trusts(first: 1) { edges { node { name } } } }";
  const body = JSON.stringify({ query });
  // Every answer is compared with the expected one (autocannon's expectBody,
  // on all three servers alike): a GraphQL error in an HTTP 200 answer is a
  // mismatch, counted as a failure, not a fast success.
  const expectBody = JSON.stringify({ data: { trusts: { edges: [{ node: { name: trust.name } }] } } });
  for (const url of [`${uncachedServer.url}/graphql`, `${cached.url}/graphql`]) {
    const res = await fetch(url, { method: "POST", headers, body });
    const text = await res.text();
    if (text !== expectBody) throw new BenchFailure("graphql-error", `throughput: ${url} answers ${text.slice(0, 300)}, expected ${expectBody}`);
  }
  // The load generator in a worker thread, so the server has the main one;
  // a warm-up run of each, then three alternating rounds, so all three see the same machine.
  const seconds = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 5);
  const warmupSeconds = Number(process.env.BENCH_THROUGHPUT_WARMUP_SECONDS ?? 2);
  // In a worker thread autocannon takes functions as the path of a file that exports one.
  const verifyBody = fileURLToPath(new URL("./verify-answer.cjs", import.meta.url)) as unknown as (body: unknown) => boolean;
  const run = async (url: string, h: Record<string, string>, duration = seconds, requests?: { method: "POST"; body: string }[]) =>
    (await autocannon({ url, method: "POST", headers: h, connections: 10, duration, workers: 1, ...(requests ? { requests, verifyBody } : { body, expectBody }) })) as autocannon.Result;
  type Tally = { requests: number; p50: number[]; p975: number[]; errors: number; timeouts: number; non2xx: number; mismatches: number; resets: number };
  const empty = (): Tally => ({ requests: 0, p50: [], p975: [], errors: 0, timeouts: 0, non2xx: 0, mismatches: 0, resets: 0 });
  const add = (t: Tally, a: autocannon.Result) => {
    t.requests += a.requests.average / 3;
    t.p50.push(a.latency.p50);
    t.p975.push(a.latency.p97_5);
    // errors: connection errors (timeouts included); resets: dropped connections.
    t.errors += a.errors - a.timeouts;
    t.timeouts += a.timeouts;
    t.non2xx += a.non2xx;
    t.mismatches += a.mismatches;
    t.resets += a.resets;
  };
  const servers = [
    { name: "response cache on (default)", url: `${cached.url}/graphql`, h: headers, t: empty() },
    { name: "response cache off", url: `${uncachedServer.url}/graphql`, h: headers, t: empty() },
    { name: "bare yoga", url: bare.url, h: { "content-type": "application/json" }, t: empty() },
  ];
  const loadStart = loadNow();
  for (const s of servers) await run(s.url, s.h, warmupSeconds);
  for (let round = 0; round < 3; round++) {
    for (const s of servers) add(s.t, await run(s.url, s.h));
  }
  const loadEnd = loadNow();
  await bare.close();
  const theirs = servers[2]!.t;
  const failures = (t: Tally) => {
    const parts = [[t.mismatches, "answers not as expected (GraphQL errors in HTTP 200 among them)"], [t.non2xx, "HTTP errors"], [t.timeouts, "timeouts"], [t.errors, "connection errors"], [t.resets, "dropped connections"]] as const;
    const named = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
    return named.length ? named.join(", ") : "none";
  };
  // The headline first: uncached.
  for (const s of [servers[1]!, servers[0]!]) {
    note(row({
      row: `simple query, requests/s: ours (${s.name}) vs bare yoga`,
      samples: `${Math.round(s.t.requests * seconds * 3).toLocaleString("en-GB")} requests (3 rounds of ${seconds} s, 10 connections)`,
      // autocannon reports no p95: its nearest, p97.5, and the median of the three rounds.
      "GraphQL p50 ms": ms(percentile(s.t.p50, 50)),
      "GraphQL p95 ms": `p97.5: ${ms(percentile(s.t.p975, 50))}`,
      "SQL p50 ms": `bare: ${ms(percentile(theirs.p50, 50))}`,
      "SQL p95 ms": `bare p97.5: ${ms(percentile(theirs.p975, 50))}`,
      "ratio p50": `${(s.t.requests / theirs.requests).toFixed(2)}× the requests/s`,
      failures: `ours: ${failures(s.t)}; bare: ${failures(theirs)}`,
      "load avg (1 min)": loadCell(loadStart, loadEnd),
      notes: `${s.t.requests.toFixed(0)} vs ${theirs.requests.toFixed(0)} requests/s; latency: median of the rounds' percentiles (autocannon has no p95)`,
    }));
  }

  // Three realistic queries, each request with other arguments. Ours with the
  // response cache off against the statements it sends, captured once per
  // request body from the server with the statement listener and replayed
  // through `pg` by 10 callers at once (each request's statements in turn on
  // one connection, as ours runs them in its transaction; the transaction's
  // own BEGIN, settings and COMMIT are the stack's, not the question's).
  const tpPool = new pg.Pool({ connectionString: URL_, max: 10, options: SESSION_OPTIONS });
  tpPool.on("error", () => {});
  const sign = (userId: string) => signStaffToken(userId, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  for (const q of (await throughputQueries(db.prisma, trust.id, sign)).filter((x) => x.key !== "simple")) {
    const replay: Statement[][] = [];
    for (const r of q.requests) {
      // Twice, keeping the second: the first may also look the caller up
      // (remembered for AUTH_CACHE_MS), which the measured requests do not.
      let statements: Statement[] = [];
      for (let i = 0; i < 2; i++) {
        let text = "";
        statements = await capture(async () => {
          const res = await fetch(endpoint, { method: "POST", headers: q.headers, body: r.body });
          text = await res.text();
        });
        if (!text.startsWith('{"data":') || text.includes('"errors":')) throw new BenchFailure("graphql-error", `throughput: ${q.name} answers ${text.slice(0, 300)}`);
      }
      replay.push(questionStatements(statements));
    }
    const statementsEach = replay[0]!.length;
    let next = 0;
    const viaPg = async (duration: number) => {
      const stopAt = performance.now() + duration * 1000;
      let done = 0;
      const latencies: number[] = [];
      let failed = 0;
      await Promise.all(Array.from({ length: 10 }, async () => {
        while (performance.now() < stopAt) {
          const statements = replay[next++ % replay.length]!;
          const t0 = performance.now();
          const client = await tpPool.connect();
          try {
            for (const st of statements) await client.query(st.sql, st.args as unknown[]);
            done++;
            latencies.push(performance.now() - t0);
          } catch {
            failed++;
          } finally {
            client.release();
          }
        }
      }));
      return { requests: done / duration, p50: percentile(latencies, 50), p975: percentile(latencies, 97.5), failed };
    };
    const ours = empty();
    const cachedT = empty();
    const sqlT = { requests: 0, p50: [] as number[], p975: [] as number[], failed: 0 };
    const load0 = loadNow();
    const lookups0 = { ...cached.responseCache };
    await run(`${uncachedServer.url}/graphql`, q.headers, warmupSeconds, q.requests);
    await viaPg(warmupSeconds);
    for (let round = 0; round < 3; round++) {
      add(ours, await run(`${uncachedServer.url}/graphql`, q.headers, seconds, q.requests));
      const p = await viaPg(seconds);
      sqlT.requests += p.requests / 3;
      sqlT.p50.push(p.p50);
      sqlT.p975.push(p.p975);
      sqlT.failed += p.failed;
      add(cachedT, await run(`${cached.url}/graphql`, q.headers, seconds, q.requests));
    }
    const load1 = loadNow();
    const lookups = cached.responseCache.lookups - lookups0.lookups;
    const hits = cached.responseCache.hits - lookups0.hits;
    note(row({
      row: `${q.name}, requests/s: ours (response cache off) vs the same SQL through pg`,
      samples: `${Math.round(ours.requests * seconds * 3).toLocaleString("en-GB")} vs ${Math.round(sqlT.requests * seconds * 3).toLocaleString("en-GB")} requests (3 rounds of ${seconds} s, 10 callers); ${q.requests.length} distinct requests, ${statementsEach} statements each`,
      "GraphQL p50 ms": ms(percentile(ours.p50, 50)),
      "GraphQL p95 ms": `p97.5: ${ms(percentile(ours.p975, 50))}`,
      "SQL p50 ms": ms(percentile(sqlT.p50, 50)),
      "SQL p95 ms": `p97.5: ${ms(percentile(sqlT.p975, 50))}`,
      "ratio p50": `${(ours.requests / sqlT.requests).toFixed(2)}× the requests/s`,
      failures: `ours: ${failures(ours)}; pg: ${sqlT.failed || "none"}`,
      "load avg (1 min)": loadCell(load0, load1),
      notes: `${ours.requests.toFixed(0)} vs ${sqlT.requests.toFixed(0)} requests/s; latency: median of the rounds' percentiles`,
    }));
    note(row({
      row: `${q.name}, requests/s: response cache on (RESPONSE_CACHE_MS ${config.RESPONSE_CACHE_MS}) vs off`,
      samples: `${Math.round(cachedT.requests * seconds * 3).toLocaleString("en-GB")} requests (3 rounds of ${seconds} s, 10 connections)`,
      "GraphQL p50 ms": ms(percentile(cachedT.p50, 50)),
      "GraphQL p95 ms": `p97.5: ${ms(percentile(cachedT.p975, 50))}`,
      "ratio p50": `${(cachedT.requests / ours.requests).toFixed(2)}× the uncached requests/s`,
      failures: `cached: ${failures(cachedT)}`,
      "load avg (1 min)": loadCell(load0, load1),
      notes: `hit rate ${lookups ? ((100 * hits) / lookups).toFixed(1) : "—"}% (${hits.toLocaleString("en-GB")} of ${lookups.toLocaleString("en-GB")} lookups) over ${q.requests.length} distinct requests in turn`,
    }));
  }
  await tpPool.end();
  await cached.close();
  await uncachedServer.close();
  await tpDb.close();
}

// ─── 4. A 1,000-mark register: one mutation against a raw multi-row insert ───
/**
 * The school days a writing phase takes, after the last register written; or
 * null when the calendar runs into days still to come (takeRegister refuses
 * those), and its row then says it was skipped and why.
 */
async function writeDays(rowName: string, n: number, atLeast = n): Promise<string[] | null> {
  try {
    return await schoolDaysAfter(db.prisma, trust.id, lastDate, n, atLeast);
  } catch (e) {
    note(row({ row: rowName, samples: "0", notes: `skipped: ${(e as Error).message}` }));
    return null;
  }
}

const registerDates = phase("register") ? await writeDays("1,000-mark register: takeRegister vs raw insert", REGISTER_DAYS) : null;
if (registerDates) {
  const dates = registerDates;
  const officer = await officerHeaders();
  const academy = trust.academies[0]!;
  const pupils = await db.prisma.pupil.findMany({ where: { academyId: academy.id }, select: { id: true }, orderBy: { upn: "asc" } });
  let next = 0;
  const take = `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`;
  const gid = (id: string) => Buffer.from(`Pupil:${id}`).toString("base64");
  const t = await sideBySide(
    () => graphql(take, { input: { academyUrn: academy.urn, date: dates[next++], session: "AM", marks: pupils.map((p) => ({ pupilId: gid(p.id), code: "/" })) } }, officer),
    () => rawRegisterInsert(pool, academy.id, dates[next++]!, pupils.map((p) => p.id)),
    timing,
  );
  note(timedRow("1,000-mark register: takeRegister vs raw insert", t));
}

// ─── 5. SQL statements per request for nested lists at two sizes ─────────────
// A count, not a timing: one request each, after one warm-up request.
if (phase("statements")) {
  const loadStart = loadNow();
  const count = async (n: number) => {
    statements.length = 0;
    counting = true;
    await graphql(`query ($n: Int!) { academies(first: 30) { edges { node { name pupils(first: $n) { totalCount edges { node { upn form { name } academy { name } } } } } } } }`, { n });
    counting = false;
    return statements.length;
  };
  await count(10); // warm: authentication is then remembered (AUTH_CACHE_MS), as for any dashboard
  // 400, not 500: 30 × 500 is over the operation cost limit (150,000), and the
  // old bench counted the statements of that refused request (it did not read the errors).
  const [small, large] = [await count(10), await count(400)];
  note(row({ row: "statements: 30 academies × 10 pupils vs × 400", samples: "1 each (a count)", failures: "none (a failure stops the bench)", "load avg (1 min)": loadCell(loadStart, loadNow()), notes: `${small} vs ${large} statements: ${small === large ? "equal" : "DIFFERENT"}` }));
}

// ─── 5b. A trust lead's working list: persistent absentees, 50 by rate ───────
// Through GraphQL (response cache off) against the same SQL with `pg`, each
// request over another period (pupil-list-phase.ts). BENCH_LISTS=0 skips it.
if (phase("lists") && process.env.BENCH_LISTS !== "0") {
  await benchPupilList({ prisma: db.prisma, pool, endpoint, headers, trustId: trust.id, academyIds, timing: { ...timing, samples: Number(process.env.BENCH_LISTS_RUNS ?? timing.samples) } }, note);
}

// ─── 6. Sustained mixed load; then (opt in) a PostgreSQL restart under load ──
// The load's days come after the register row's, when that row runs too.
const registerTakes = phase("register") ? REGISTER_DAYS : 0;
const loadDates = phase("load") ? await writeDays("mixed load (reads + register writes), 8 workers", registerTakes + 60, registerTakes + 5) : null;
if (loadDates) {
  const load = await loadRun({ endpoint, headers: await officerHeaders(), prisma: db.prisma, academies: trust.academies, seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 60), workers: 8, dates: loadDates.slice(registerTakes) });
  note(row({
    row: "mixed load (reads + register writes), 8 workers",
    samples: samplesCell(load.readMs),
    "GraphQL p50 ms": ms(percentile(load.readMs, 50)),
    "GraphQL p95 ms": p95Cell(load.readMs),
    failures: `${load.failures} (of ${load.requests} requests)`,
    "load avg (1 min)": loadCell(load.load.start, load.load.end),
    notes: `reads; ${load.writes} writes acknowledged (p50 ${ms(percentile(load.writeMs, 50))} ms, p95 ${p95Cell(load.writeMs)} ms), lost writes ${load.lost}${load.outOfDays ? `; writes stopped when the ${loadDates.length - registerTakes} school days given ran out, reads after` : ""}${load.failures.first ? `; first failure: ${load.failures.first.slice(0, 120)}` : ""}`,
  }));
}
// The restart runs on a cluster the bench makes for itself (fault-phase.ts),
// never the machine's shared one, and only when asked for: BENCH_FAULT=1.
if (phase("fault") && process.env.BENCH_FAULT === "1") {
  await benchFault(note, {
    seconds: Number(process.env.BENCH_FAULT_SECONDS ?? 30), atSecond: Number(process.env.BENCH_FAULT_AT_SECOND ?? 8),
    academies: Number(process.env.BENCH_FAULT_ACADEMIES ?? 2), pupils: Number(process.env.BENCH_FAULT_PUPILS ?? 60),
  });
} else {
  note(row({ row: "PostgreSQL restarted under load", samples: "0", notes: "skipped: opt in with BENCH_FAULT=1 (runs on a cluster of its own)" }));
}

// ─── 7. Import: 10,000 pupils, their carers and a term of marks ─────────────
// importBatch (as pnpm import --apply) against a raw multi-row insert of the
// same rows, each into a fresh database (import-phase.ts). BENCH_IMPORT=0 skips it.
if (phase("import") && process.env.BENCH_IMPORT !== "0") {
  await benchImport(URL_, note, { pupils: Number(process.env.BENCH_IMPORT_PUPILS ?? 10_000), days: Number(process.env.BENCH_IMPORT_DAYS ?? 60) });
}

await server.close();
await pool.end();
await db.close();

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(`\n${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL on loopback; ${trust.academies.length} academies, ${marks.toLocaleString("en-GB")} marks.\n`);
console.log(table(rows));
process.exit(0);
