// pnpm bench:start [--runs N] [--compare]: the time from `pnpm start` on an
// empty PGlite directory to serving GraphQL (issue 17, item 8), over several
// runs, with the phases main.ts logs: migrations (PGlite's start and initdb
// included: it starts on the first statement), the demo load, and the rest
// (Node, tsx and module loading, the server's start).
//
// Each run is a child process as a user starts it (node --import tsx
// packages/server/src/main.ts) in a new temporary directory, stopped with
// SIGTERM once it serves. --compare alternates runs with the demo's marks
// written through the triggers (DEMO_MARKS=triggers, the loader before the
// set-based writer), so both are measured under the same load: this machine
// is shared, and the 1-minute load average before and after each run is
// reported beside its time. Min and median, no timing assertion (timed tests
// are flaky here; test/start.test.ts checks that start works).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { percentile } from "./stats.ts";

const main = fileURLToPath(new URL("../../server/src/main.ts", import.meta.url));

interface Run {
  mode: "set-based" | "triggers";
  readyMs: number;
  /** CPU time the process had used when it served (all its threads): less at the mercy of the machine's load than readyMs. */
  cpuMs: number;
  migrationsMs: number;
  demoMs: number;
  loadBefore: number;
  loadAfter: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** User and system CPU time of a process so far, from /proc (Linux; NaN elsewhere), in ms. */
function cpuMsOf(pid: number): number {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** One `pnpm start` into a new directory: resolves when it logs its address, then stops it. */
function startOnce(mode: Run["mode"]): Promise<Run> {
  const dataDir = mkdtempSync(join(os.tmpdir(), "attendance-bench-start-"));
  const loadBefore = os.loadavg()[0]!;
  const started = performance.now();
  // PGlite: no DATABASE_URL, whatever the shell has.
  const { DATABASE_URL: _url, DATABASE_APP_URL: _appUrl, ...env } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    env: { ...env, PGLITE_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", DEMO_MARKS: mode },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise<Run>((resolve, reject) => {
    let migrationsMs = Number.NaN;
    let demoMs = Number.NaN;
    let served = false;
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg?: string; ms?: number; url?: string };
      if (entry.msg === "migrations applied") migrationsMs = entry.ms ?? Number.NaN;
      if (entry.msg === "demo data loaded") demoMs = entry.ms ?? Number.NaN;
      if (typeof entry.url === "string" && entry.url.endsWith("/graphql")) {
        served = true;
        const readyMs = performance.now() - started;
        const cpuMs = cpuMsOf(child.pid!);
        child.kill("SIGTERM");
        void exited.then(() => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve({ mode, readyMs, cpuMs, migrationsMs, demoMs, loadBefore, loadAfter: os.loadavg()[0]! });
        });
      }
    });
    void exited.then((code) => {
      if (served) return;
      rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`main.ts exited with ${code} before serving:\n${stderr}`));
    });
  });
}

const runs = Number(arg("--runs") ?? 3);
const modes: Run["mode"][] = process.argv.includes("--compare") ? ["triggers", "set-based"] : ["set-based"];
const results: Run[] = [];
const ms = (n: number) => `${Math.round(n).toLocaleString("en-GB")} ms`;
console.log(`pnpm start on an empty PGlite, ${runs} run(s) each of ${modes.join(" and ")}, ${os.cpus().length} CPUs`);
for (let i = 0; i < runs; i++) {
  for (const mode of modes) {
    const run = await startOnce(mode);
    results.push(run);
    console.log(
      `  ${mode.padEnd(9)} ready ${ms(run.readyMs)}, cpu ${ms(run.cpuMs)} (migrations ${ms(run.migrationsMs)}, demo ${ms(run.demoMs)}, ` +
        `the rest ${ms(run.readyMs - run.migrationsMs - run.demoMs)}), load average ${run.loadBefore.toFixed(2)} → ${run.loadAfter.toFixed(2)}`,
    );
  }
}
for (const mode of modes) {
  const mine = results.filter((r) => r.mode === mode);
  type Key = "readyMs" | "cpuMs" | "migrationsMs" | "demoMs";
  const of = (key: Key) => mine.map((r) => r[key]);
  const line = (key: Key) => `min ${ms(Math.min(...of(key)))}, median ${ms(percentile(of(key), 50))}`;
  console.log(`${mode}: ready ${line("readyMs")}; cpu ${line("cpuMs")}; migrations ${line("migrationsMs")}; demo ${line("demoMs")}`);
}
