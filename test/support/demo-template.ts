// The demo seeded once per back end and test run, and copied for each test
// server (issue 19, item 5): seeding it took 30–45 s on PGlite and several
// seconds on PostgreSQL for every file that started a server, most of the
// suite's time. A copy is a PostgreSQL CREATE DATABASE ... TEMPLATE or a PGlite
// loaded from the seeded one's data directory tarball: the same rows,
// sequences, queued jobs and outbox as seeding it there, and each server's own,
// so a test sees only its own writes.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scratchTemplate, type DatabaseKind, type ScratchTemplate } from "@attendance/db";
import { seedDemo, type DemoOptions } from "@attendance/db/demo";

/** Set by the e2e project's globalSetup (test/support/global-setup.ts): the run's templates' prefix. */
export const TEMPLATE_RUN_ENV = "ATTENDANCE_TEMPLATE_RUN";

const root = join(import.meta.dirname, "..", "..");

/** Where the PGlite templates of the run `run` are kept (removed at globalTeardown). */
export function pgliteTemplateDir(run: string): string {
  return join(tmpdir(), `attendance-demo-${run}`);
}

/** The prefix of the run `run`'s PostgreSQL templates: `tpl_demo_<pid>_`. */
export function templatePrefix(run: string): string {
  return `tpl_demo_${run}_`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The template's key: the demo's options, the migrations and the sources that
 * write the demo (its generator and the import writer it goes through), so
 * any change to what seeding would produce makes another template.
 */
function templateKey(options: DemoOptions): string {
  const sorted = JSON.stringify(Object.fromEntries(Object.entries(options).sort(([a], [b]) => a.localeCompare(b))));
  // The sources cannot change during a run: read and hashed once per options, not per server.
  let key = keys.get(sorted);
  if (key === undefined) keys.set(sorted, (key = hashSources(sorted)));
  return key;
}
const keys = new Map<string, string>();

function hashSources(sortedOptions: string): string {
  const hash = createHash("sha256");
  hash.update(sortedOptions);
  for (const dir of ["prisma/migrations", "packages/db/src/demo", "packages/db/src/import"]) {
    for (const file of filesUnder(join(root, dir))) {
      hash.update(file.slice(root.length)).update(readFileSync(file));
    }
  }
  return hash.digest("hex").slice(0, 16);
}

const templates = new Map<string, Promise<ScratchTemplate>>();

/**
 * The seeded demo to copy for `kind` and `options`, or undefined outside a
 * run with templates (then the caller seeds its own, as before).
 */
export function demoTemplate(kind: DatabaseKind, options: DemoOptions): Promise<ScratchTemplate> | undefined {
  const run = process.env[TEMPLATE_RUN_ENV];
  if (!run) return undefined;
  const name = `${templatePrefix(run)}${templateKey(options)}`;
  const memo = `${kind}:${name}`;
  let template = templates.get(memo);
  if (!template) {
    template = scratchTemplate(kind, name, async (db) => {
      await seedDemo(db.prisma, options);
    }, pgliteTemplateDir(run));
    // A failed build is retried by the next server rather than remembered.
    template.catch(() => templates.delete(memo));
    templates.set(memo, template);
  }
  return template;
}
