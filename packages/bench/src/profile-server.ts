// pnpm --filter @attendance/bench bench:profile: where the server's CPU goes.
// The server runs in a process of its own (profile-target.ts) and profiles
// itself with V8's sampling profiler only while the measured load runs; the
// load generator (autocannon, 10 connections) runs in this process. Prints
// requests/s, the server's CPU per request (process.cpuUsage over the measured
// window) and the profile's top entries by self time, by package and by
// function (cpu-profile.ts).
//
// DATABASE_URL (default: attendance_bench on the local server, which must hold
// the synthetic trust: `pnpm bench` or `pnpm db:synthetic` loads it);
// PROFILE_SECONDS (default 15); PROFILE_TARGET=bare profiles the bare
// graphql-yoga server instead; PROFILE_QUERY=simple|trust|form|pupil picks the
// query (throughput-queries.ts); PROFILE_DIR keeps the .cpuprofile (open it in
// Chrome's DevTools for the call tree).
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { summariseProfile, type CpuProfile } from "./cpu-profile.ts";

const seconds = Number(process.env.PROFILE_SECONDS ?? 15);
const dir = process.env.PROFILE_DIR ?? mkdtempSync(path.join(os.tmpdir(), "attendance-profile-"));
const child = fork(fileURLToPath(new URL("./profile-target.ts", import.meta.url)), {
  env: { ...process.env, PROFILE_DIR: dir },
  // As `pnpm start` runs the server (packages/server/package.json).
  execArgv: ["--max-semi-space-size=32", "--import", "tsx"],
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const next = <T>() => new Promise<T>((resolve, reject) => {
  child.once("message", (m) => resolve(m as T));
  child.once("exit", (code) => reject(new Error(`the server process exited (${code})`)));
});
const ready = await next<{ url: string; headers: Record<string, string>; requests: { method: "POST"; body: string }[] }>();
const run = (duration: number) =>
  autocannon({
    url: ready.url, headers: ready.headers, connections: 10, duration, requests: ready.requests,
    // An answer with errors (HTTP 200 or not) is a mismatch, not a fast success.
    verifyBody: (body) => String(body).startsWith('{"data":') && !String(body).includes('"errors":'),
  }) as Promise<autocannon.Result>;
await run(3); // warm-up: Prisma's query plans, V8's optimiser, the sign-in cache
const load0 = os.loadavg()[0]!;
const started = next<string>();
child.send("start");
await started;
const result = await run(seconds);
const stopped = next<{ file: string; cpuUs: number; wallMs: number }>();
child.send("stop");
const { file, cpuUs, wallMs } = await stopped;
const load1 = os.loadavg()[0]!;
const summary = summariseProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
const requests = result.requests.total;
console.log(`${process.env.PROFILE_TARGET ?? "ours"} (${process.env.PROFILE_QUERY ?? "simple"}): ${result.requests.average.toFixed(0)} requests/s over ${seconds} s; ${requests} requests, ${result.mismatches} answers with errors, ${result.non2xx} non-2xx, ${result.errors} connection errors; load average ${load0.toFixed(2)} → ${load1.toFixed(2)}`);
console.log(`server CPU: ${(cpuUs / requests).toFixed(0)} µs a request (${(cpuUs / 1000).toFixed(0)} ms in ${wallMs.toFixed(0)} ms); profile: ${(summary.busyUs / requests).toFixed(0)} µs a request sampled busy; ${file}`);
console.log(`\nself time by package (share of sampled busy time):`);
for (const g of summary.byPackage.slice(0, 15)) console.log(`  ${(100 * g.us / summary.busyUs).toFixed(1).padStart(5)}%  ${(g.us / requests).toFixed(0).padStart(4)} µs/req  ${g.name}`);
console.log(`\nself time by function (top 30):`);
for (const f of summary.byFunction.slice(0, 30)) console.log(`  ${(100 * f.us / summary.busyUs).toFixed(1).padStart(5)}%  ${f.name}  (${f.where})`);
process.exit(0);
