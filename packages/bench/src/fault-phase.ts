// The fault phase of pnpm bench: sustained mixed load while PostgreSQL is
// restarted under it, then every acknowledged write is looked for. Opt in
// with BENCH_FAULT=1 (off by default, issue 17 item 7).
//
// It never touches the machine's shared PostgreSQL cluster (other engineers,
// CI and the benchmark trust live there): it makes a cluster of its own with
// `initdb` in a temporary directory, starts it with `pg_ctl` on a free port,
// loads a small synthetic trust into it, restarts that cluster under load
// (`pg_ctl restart -m fast`, as `pg_ctlcluster restart` does), then stops it
// and deletes the directory. PostgreSQL's binaries: BENCH_PG_BIN, default
// /usr/lib/postgresql/15/bin. initdb refuses to run as root, so as root the
// cluster is run as the `postgres` system user (runuser).
// Run alone: pnpm --filter @attendance/bench bench:fault.
import { execFile, execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { applyMigrations, loadSyntheticTrust, openDatabase, SYNTHETIC_TRUST_SLUG } from "@attendance/db";
import { configFromEnv, createLogger, DEMO_JWT_SECRET, signStaffToken, startServer } from "@attendance/server";
import { loadRun, schoolDaysAfter } from "./load.ts";
import { loadCell, ms, p95Cell, percentile, row, samplesCell, table, type Row } from "./stats.ts";

const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface FaultOptions {
  /** Seconds of load (default 30), the restart at `atSecond` (default 8). */
  seconds: number;
  atSecond: number;
  /** The small trust loaded into the private cluster (default 2 academies × 60 pupils: the load takes 30 pupils of each). */
  academies: number;
  pupils: number;
}

/** A cluster of the bench's own: made, started, restarted and removed by it. */
export async function privateCluster() {
  const bin = process.env.BENCH_PG_BIN ?? "/usr/lib/postgresql/15/bin";
  const dir = await mkdtemp(join(tmpdir(), "attendance-bench-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const as = asRoot ? ["runuser", "-u", "postgres", "--"] : [];
  if (asRoot) {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    await chown(dir, Number(uid.stdout), Number(gid.stdout));
  }
  const pgCtl = (...args: string[]) => {
    const [cmd, ...rest] = [...as, join(bin, "pg_ctl"), "-D", data, ...args];
    return [cmd!, ...rest];
  };
  const exec = ([cmd, ...args]: string[]) => run(cmd!, args);
  await exec([...as, join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  // Its socket in its own directory and TCP on loopback only; the options are remembered by `pg_ctl restart`.
  await exec(pgCtl("-l", join(dir, "log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "-w", "start"));
  // Interrupted (Ctrl-C, a timeout): stop the cluster and remove it rather than leave a postmaster behind.
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      const [cmd, ...args] = pgCtl("-m", "immediate", "-w", "stop");
      execFileSync(cmd!, args, { stdio: "ignore" });
    } catch {}
    rmSync(dir, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/attendance_fault`,
    port,
    // -l again: without it the restarted server writes to pg_ctl's stdout, whose pipe it then holds open for ever.
    restartCommand: pgCtl("-l", join(dir, "log"), "-m", "fast", "-w", "restart"),
    async remove() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await exec(pgCtl("-m", "immediate", "-w", "stop")).catch((e) => console.error(`fault phase: stopping its cluster: ${e}`));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the phase and notes its row. */
export async function benchFault(note: (r: Row) => void, o: FaultOptions = { seconds: 30, atSecond: 8, academies: 2, pupils: 60 }): Promise<void> {
  const cluster = await privateCluster();
  console.error(`fault phase: a cluster of its own on port ${cluster.port}; loading ${o.academies} academies × ${o.pupils} pupils…`);
  try {
    const admin = openDatabase({ url: cluster.url.replace(/\/attendance_fault$/, "/postgres"), onConnectionError: () => {} });
    await admin.prisma.$executeRawUnsafe("CREATE DATABASE attendance_fault");
    await admin.close();
    const db = openDatabase({ url: cluster.url, onConnectionError: () => {} });
    try {
      await applyMigrations(db.migrationAdapterFactory);
      await loadSyntheticTrust(db.prisma, { academies: o.academies, pupilsPerAcademy: o.pupils });
      const trust = await db.prisma.trust.findUniqueOrThrow({ where: { slug: SYNTHETIC_TRUST_SLUG }, include: { academies: { orderBy: { urn: "asc" } } } });
      // The load's registers start in the synthetic trust's 2026/27 calendar (after every register it has; a register outside term is refused).
      const officer = await db.prisma.user.create({
        data: { email: "officer@synthetic-trust.example", displayName: "Synthetic Officer", roles: { create: trust.academies.map((a) => ({ role: "ATTENDANCE_OFFICER" as const, trustId: trust.id, academyId: a.id })) } },
      });
      const config = configFromEnv({ ...process.env, RESPONSE_CACHE_MS: "0", RATE_LIMIT_STAFF_PER_MINUTE: "1000000000" });
      const token = await signStaffToken(officer.id, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
      const server = await startServer({ prisma: db.prisma, logger: createLogger((process.env.BENCH_FAULT_LOG ?? "silent") as "silent"), port: 0, host: "127.0.0.1", config, webhooks: { pollMs: 3_600_000 } });
      console.error(`fault phase: ${o.seconds} s of load, PostgreSQL restarted at ${o.atSecond} s…`);
      try {
        const fault = await loadRun({
          endpoint: `${server.url}/graphql`, headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          prisma: db.prisma, academies: trust.academies, seconds: o.seconds, workers: 4, dates: await schoolDaysAfter(db.prisma, trust.id, "2026-09-01", 100, 10),
          fault: { atSecond: o.atSecond, command: cluster.restartCommand },
        });
        for (const [kind, message] of Object.entries(fault.failures.firstOf)) console.error(`fault phase: first ${kind}: ${message}`);
        note(row({
          row: `PostgreSQL restarted under load (pg_ctl restart on the bench's own cluster, port ${cluster.port}; ${trust.academies.length} academies × ${o.pupils} pupils), 4 workers, ${o.seconds} s`,
          samples: samplesCell(fault.readMs),
          "GraphQL p50 ms": ms(percentile(fault.readMs, 50)),
          "GraphQL p95 ms": p95Cell(fault.readMs),
          failures: `${fault.failures} (of ${fault.requests} requests)`,
          "load avg (1 min)": loadCell(fault.load.start, fault.load.end),
          notes: `reads; ${fault.writes} writes acknowledged (p50 ${ms(percentile(fault.writeMs, 50))} ms), lost writes ${fault.lost}, recovered in ${fault.recoverySeconds?.toFixed(1) ?? "never"} s${fault.failures.first ? `; first failure: ${fault.failures.first.slice(0, 120)}` : ""}`,
        }));
      } finally {
        await server.close();
      }
    } finally {
      await db.close();
    }
  } finally {
    await cluster.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows: Row[] = [];
  await benchFault((r) => rows.push(r), {
    seconds: Number(process.env.BENCH_FAULT_SECONDS ?? 30), atSecond: Number(process.env.BENCH_FAULT_AT_SECOND ?? 8),
    academies: Number(process.env.BENCH_FAULT_ACADEMIES ?? 2), pupils: Number(process.env.BENCH_FAULT_PUPILS ?? 60),
  });
  console.log(table(rows));
  process.exit(0);
}
