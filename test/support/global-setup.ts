// The e2e project's globalSetup: names this run's demo templates
// (test/support/demo-template.ts) after the vitest process, and drops them at
// the end. Templates left by a run that died (its process gone) are dropped too,
// so they never pile up; a live run's are left alone.
import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { dropScratchTemplates, processAlive } from "@attendance/db";
import { pgliteTemplateDir, TEMPLATE_RUN_ENV, templatePrefix } from "./demo-template.ts";

async function dropDeadRuns(): Promise<void> {
  for (const entry of readdirSync(tmpdir())) {
    const pid = /^attendance-demo-(\d+)$/.exec(entry)?.[1];
    if (pid && !processAlive(Number(pid))) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  if (!process.env.DATABASE_URL) return;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, 'tpl_demo_')");
    for (const { datname } of rows) {
      const pid = /^tpl_demo_(\d+)_/.exec(datname)?.[1];
      if (pid && !processAlive(Number(pid))) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  const run = String(process.pid);
  await dropDeadRuns();
  process.env[TEMPLATE_RUN_ENV] = run;
  return async () => {
    await dropScratchTemplates(templatePrefix(run), pgliteTemplateDir(run));
  };
}
