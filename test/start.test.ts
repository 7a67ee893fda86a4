// `pnpm start` as a user runs it: a child process that migrates, loads the demo
// into an empty database, serves, and stops cleanly on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { availableBackends, openScratchDatabase, type ScratchDatabase } from "@attendance/db";
import { demoUser, DEMO_ACADEMIES, DEMO_TRUSTS } from "@attendance/db/demo";
import { tokenFor } from "./support/actors.ts";

const main = fileURLToPath(new URL("../packages/server/src/main.ts", import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Every child started, so that a failed test still stops them. */
const children: ChildProcess[] = [];

/** Starts main.ts and resolves once it logs the address it serves on. */
function start(env: Record<string, string | undefined>): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (typeof entry.url === "string" && entry.url.endsWith("/graphql")) {
        resolve({ child, url: entry.url, logs, exited });
      }
    });
    void exited.then((code) => reject(new Error(`main.ts exited with ${code} before serving:\n${stderr}`)));
  });
}

/**
 * Every academy the demo trusts' attendance leads can see between them, asked
 * with tokens made as `pnpm demo:token` makes them (the child process holds
 * the database, so the users come from the demo built in memory).
 */
async function academyNames(url: string): Promise<string[]> {
  const names: string[] = [];
  for (const trust of DEMO_TRUSTS) {
    const token = await tokenFor(demoUser("TRUST_ATTENDANCE_LEAD", { trustSlug: trust.slug }).id);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ academies(first: 50) { edges { node { name } } } }" }),
    });
    const body = (await response.json()) as { data: { academies: { edges: { node: { name: string } }[] } } };
    names.push(...body.data.academies.edges.map((e) => e.node.name));
  }
  return names;
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill("SIGTERM");
  return started.exited;
}

describe.each(availableBackends())("pnpm start on %s", (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), "attendance-start-"));
  let scratch: ScratchDatabase | undefined;
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    await scratch?.close();
  });

  it("migrates, loads the demo, serves every demo academy (16: five seed academies and their siblings) and stops on SIGTERM; a restart keeps the data", async () => {
    let env: Record<string, string | undefined>;
    if (kind === "pglite") {
      env = { DATABASE_URL: undefined, PGLITE_DIR: dataDir };
    } else {
      scratch = await openScratchDatabase(kind, { migrate: false });
      env = { DATABASE_URL: scratch.url };
    }
    const first = await start(env);
    expect(await academyNames(first.url)).toHaveLength(DEMO_ACADEMIES.length);
    expect(first.logs.some((l) => l.msg === "demo data loaded")).toBe(true);
    expect(await stop(first)).toBe(0);
    expect(first.logs.some((l) => l.msg === "stopped")).toBe(true);
    // Requests were logged, and the bearer tokens in them were not.
    const requests = first.logs.filter((l) => l.msg === "request completed");
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) expect((r as { req: { headers: Record<string, string> } }).req.headers.authorization).toBe("[redacted]");

    const second = await start(env);
    expect(await academyNames(second.url)).toHaveLength(DEMO_ACADEMIES.length);
    expect(second.logs.some((l) => l.msg === "migrations up to date")).toBe(true);
    expect(second.logs.some((l) => l.msg === "demo data loaded")).toBe(false);
    expect(await stop(second)).toBe(0);
    // Two starts, the first loading the demo: 45–70 s for that one on PGlite
    // at load average 4–9 on this 2-core machine (README, Demo data), and it
    // ran out of the e2e project's 120 s in CI at load 8. Making the start
    // itself faster is issue 17, item 8.
  }, 300_000);
});
