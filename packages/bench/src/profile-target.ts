// The server that profile-server.ts profiles, in a process of its own: ours
// (response cache off, logging silent, the per-user rate limit lifted, as in
// the throughput phase) or, with PROFILE_TARGET=bare, the bare graphql-yoga
// server. Prints one JSON line (url, headers, request bodies) when ready; on
// the parent's "start" message starts the V8 profiler (node:inspector) and
// notes the process's CPU time, on "stop" writes the profile and the CPU
// used in between, and exits.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { openDatabase, SYNTHETIC_TRUST_SLUG } from "@attendance/db";
import { configFromEnv, createLogger, DEMO_JWT_SECRET, signStaffToken, startServer } from "@attendance/server";
import { startBareServer } from "./bare-server.ts";
import { throughputQueries } from "./throughput-queries.ts";

const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench";
const dir = process.env.PROFILE_DIR!;
const db = openDatabase({ url, onConnectionError: () => {} });
const trust = await db.prisma.trust.findUniqueOrThrow({ where: { slug: SYNTHETIC_TRUST_SLUG } });
const config = configFromEnv({});
const sign = (userId: string) => signStaffToken(userId, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
const queries = await throughputQueries(db.prisma, trust.id, sign);
const which = process.env.PROFILE_QUERY ?? "simple";
const query = queries.find((q) => q.key === which);
if (!query) throw new Error(`PROFILE_QUERY: one of ${queries.map((q) => q.key).join(", ")}`);

let close: () => Promise<void>;
let endpoint: string;
let headers: Record<string, string>;
if (process.env.PROFILE_TARGET === "bare") {
  if (which !== "simple") throw new Error("the bare server answers the simple query only");
  const bare = await startBareServer(trust.name);
  endpoint = bare.url;
  headers = { "content-type": "application/json" };
  close = bare.close;
} else {
  const server = await startServer({
    // PROFILE_LOG_LEVEL=info: the request log as in production, written nowhere (its cost is building the lines).
    prisma: db.prisma, logger: createLogger(process.env.PROFILE_LOG_LEVEL ?? "silent", { write() {} }), port: 0, host: "127.0.0.1",
    config: configFromEnv({ ...process.env, RESPONSE_CACHE_MS: process.env.PROFILE_CACHE_MS ?? "0", RATE_LIMIT_STAFF_PER_MINUTE: "1000000000" }),
    webhooks: { pollMs: 3_600_000 },
  });
  endpoint = `${server.url}/graphql`;
  headers = query.headers;
  close = server.close;
}
const session = new Session();
session.connect();
let cpu0 = process.cpuUsage();
let t0 = performance.now();
process.on("message", async (message: string) => {
  if (message === "start") {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    process.send!("started");
  } else if (message === "stop") {
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const { profile } = await session.post("Profiler.stop");
    const file = path.join(dir, `${process.env.PROFILE_TARGET ?? "ours"}-${which}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.send!({ file, cpuUs: cpu.user + cpu.system, wallMs });
    await close();
    await db.close();
    process.exit(0);
  }
});
process.send!({ url: endpoint, headers, requests: query.requests });
