// pnpm --filter @attendance/bench bench:officer: where the officer's everyday
// read goes (issue 17, item 1): an academy's forms, each with 30 pupils and
// their figures for a period, the query of everyday-phase.ts. Starts the
// server in this process (response cache off, logging silent), sends the
// request PROBE_RUNS times (default 40) after three untimed ones, and prints
// the wall times, this process's CPU a request (client and server together)
// and V8's garbage-collection pauses a request; then one more request with
// its statements captured at the driver adapter, each with its offset from
// the request's start, and each question statement's EXPLAIN (ANALYZE,
// BUFFERS) inside a rolled-back transaction as the application role with the
// trust set, so under row-level security as the server runs it (replaying as
// the owner, as the bench's SQL side does, gives other plans). Read only.
//
// Needs the synthetic trust and the bench's officer (made by a run of
// `BENCH_ONLY=everyday pnpm bench`). FROM and TO set the period (default:
// Autumn 2); PROBE_PLANS=full prints whole plans, PROBE_PLANS=0 none;
// PROBE_PROFILE=file.cpuprofile also profiles the timed requests and prints
// the self time by package and function. Run it as `pnpm bench` runs the
// server (tsx --max-semi-space-size=32) to see the service's GC.
import { writeFileSync } from "node:fs";
import os from "node:os";
import { Session } from "node:inspector/promises";
import { PerformanceObserver } from "node:perf_hooks";
import pg from "pg";
import { openDatabase, SESSION_OPTIONS, SYNTHETIC_TRUST_SLUG } from "@attendance/db";
import { configFromEnv, createLogger, DEMO_JWT_SECRET, signStaffToken, startServer } from "@attendance/server";
import { summariseProfile, type CpuProfile } from "./cpu-profile.ts";
import { FORMS, questionStatements } from "./everyday-phase.ts";
import { graphqlRequest } from "./request.ts";
import { percentile } from "./stats.ts";

const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench";
const runs = Number(process.env.PROBE_RUNS ?? 40);
const plans = process.env.PROBE_PLANS ?? "summary";
let capturing: { sql: string; args: unknown[]; at: number }[] | null = null;
const db = openDatabase({
  url,
  onStatement: (sql, args) => capturing?.push({ sql, args: [...(args ?? [])], at: performance.now() }),
  onConnectionError: () => {},
});
const trust = await db.prisma.trust.findUniqueOrThrow({ where: { slug: SYNTHETIC_TRUST_SLUG }, include: { academies: { orderBy: { urn: "asc" } } } });
const officer = await db.prisma.user.findUnique({ where: { email: "officer@synthetic-trust.example" }, include: { roles: true } });
if (!officer) throw new Error("No bench officer yet: run `BENCH_ONLY=everyday pnpm bench` once against this database.");
const config = configFromEnv({});
const token = await signStaffToken(officer.id, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
const server = await startServer({
  prisma: db.prisma,
  logger: createLogger("silent"),
  port: 0,
  host: "127.0.0.1",
  config: configFromEnv({ ...process.env, RESPONSE_CACHE_MS: "0", RATE_LIMIT_STAFF_PER_MINUTE: "1000000000" }),
  webhooks: { pollMs: 3_600_000 },
});
const endpoint = `${server.url}/graphql`;
const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
const variables = { urn: trust.academies[0]!.urn, from: process.env.FROM ?? "2025-11-03", to: process.env.TO ?? "2025-12-19" };
const ask = () => graphqlRequest(endpoint, headers, FORMS, variables);
for (let i = 0; i < 3; i++) await ask();

const gc = { pauses: 0, ms: 0 };
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.pauses++;
    gc.ms += e.duration;
  }
});
observer.observe({ entryTypes: ["gc"] });
const profiler = process.env.PROBE_PROFILE ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}
const times: number[] = [];
const cpu = process.cpuUsage();
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  await ask();
  times.push(performance.now() - started);
}
const used = process.cpuUsage(cpu);
await new Promise((resolve) => setTimeout(resolve, 50)); // the last pauses' entries
observer.disconnect();
console.log(`${runs} requests, ${variables.from} to ${variables.to}: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms; ` +
  `CPU ${((used.user + used.system) / 1000 / runs).toFixed(1)} ms a request (client and server); ` +
  `GC ${(gc.pauses / runs).toFixed(1)} pauses, ${(gc.ms / runs).toFixed(1)} ms a request; load average ${os.loadavg()[0]!.toFixed(2)}`);
if (profiler) {
  const { profile } = await profiler.post("Profiler.stop");
  writeFileSync(process.env.PROBE_PROFILE!, JSON.stringify(profile));
  const summary = summariseProfile(profile as unknown as CpuProfile);
  const each = (us: number) => (us / 1000 / runs).toFixed(2).padStart(7);
  for (const p of summary.byPackage.slice(0, 12)) console.log(`${each(p.us)} ms  ${p.name}`);
  for (const f of summary.byFunction.slice(0, 25)) console.log(`${each(f.us)} ms  ${f.name} (${f.where})`);
}

capturing = [];
const started = performance.now();
await ask();
const statements = capturing;
capturing = null;
console.log(`\nOne request, ${(performance.now() - started).toFixed(0)} ms, ${statements.length} statements:`);
const pool = new pg.Pool({ connectionString: url, options: SESSION_OPTIONS });
// Replayed in order in one rolled-back transaction, as the request ran them:
// its SET LOCALs (academy-sized questions run without parallel workers,
// schema/src/statistics/sql.ts) applied, its questions explained.
const replay = new Set(plans === "0" ? [] : questionStatements(statements));
const client = await pool.connect();
try {
  await client.query("BEGIN");
  await client.query("SELECT set_config('role', 'attendance_app', true), set_config('app.trust_id', $1, true)", [trust.id]);
  for (const s of statements) {
    console.log(`\n+${(s.at - started).toFixed(1)} ms  ${plans === "full" ? s.sql : s.sql.replace(/\s+/g, " ").trim().slice(0, 160)}`);
    if (!replay.has(s) || /^\s*BEGIN/.test(s.sql)) continue;
    if (/^\s*SET /i.test(s.sql)) {
      await client.query(s.sql);
      continue;
    }
    const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.args)).rows.map((r: Record<string, string>) => r["QUERY PLAN"]!);
    console.log(plans === "full" ? plan.join("\n") : plan.filter((line) => /Planning Time|Execution Time/.test(line)).join("; "));
  }
} finally {
  await client.query("ROLLBACK").catch(() => {});
  client.release();
}
await pool.end();
await server.close();
await db.close();
