// Throwaway databases for tests and benchmarks: a fresh in-memory PGlite, or a
// fresh database created beside the one DATABASE_URL names and dropped after.
// Each test file gets its own, so files can run in parallel and nothing needs
// cleaning between them (marks are append-only: they cannot be deleted anyway).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database, type DatabaseKind } from "./client.ts";
import { applyMigrations } from "./migrations/migrations.ts";
import type { StatementListener } from "./statement-counter.ts";

export interface ScratchDatabase extends Database {
  /** The scratch database's connection string (PostgreSQL only). */
  url: string | undefined;
}

/**
 * A database to copy instead of migrating an empty one: a PGlite data
 * directory tarball, or a PostgreSQL database nobody is connected to (copied
 * with CREATE DATABASE ... TEMPLATE, which refuses while anyone is).
 */
export type ScratchTemplate = { kind: "pglite"; dump: Blob } | { kind: "postgresql"; database: string };

/** The back ends to test on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function availableBackends(env: NodeJS.ProcessEnv = process.env): DatabaseKind[] {
  return env.DATABASE_URL ? ["pglite", "postgresql"] : ["pglite"];
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Opens a new, empty, migrated database of the given kind. Closing it (or
 * `await using`) drops a PostgreSQL scratch database.
 */
export async function openScratchDatabase(
  kind: DatabaseKind,
  options: { onStatement?: StatementListener; migrate?: boolean; template?: ScratchTemplate } = {},
): Promise<ScratchDatabase> {
  const { onStatement, template } = options;
  if (template && template.kind !== kind) throw new Error(`a ${template.kind} template for a ${kind} database`);
  // A copy of a template is already migrated (its migrations table came with it).
  const migrate = template ? false : (options.migrate ?? true);
  let db: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (kind === "pglite") {
    db = openDatabase({ onStatement, loadDataDir: template?.kind === "pglite" ? template.dump : undefined });
  } else {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) throw new Error("DATABASE_URL is not set: no PostgreSQL to test on");
    const name = `scratch_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(template?.kind === "postgresql" ? `CREATE DATABASE "${name}" TEMPLATE "${template.database}"` : `CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    url = withDatabase(serverUrl, name);
    db = openDatabase({ url, onStatement });
    drop = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    };
  }
  if (migrate) await applyMigrations(db.migrationAdapterFactory);
  const close = async () => {
    await db.close();
    await drop();
  };
  return { ...db, url, close, [Symbol.asyncDispose]: close };
}

function adminClient(): pg.Client {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("DATABASE_URL is not set: no PostgreSQL to test on");
  return new pg.Client({ connectionString: serverUrl });
}

/** Whether process `pid` is running (EPERM: it is, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The template `name` (at most 55 characters), built the first time any
 * process asks for it: a migrated database, `fill`ed, then kept as a PGlite
 * tarball in `pgliteDir` or as a PostgreSQL database beside DATABASE_URL's.
 * Concurrent test workers asking for the same name wait for one build: a
 * PostgreSQL advisory lock, or a lock directory holding the builder's pid
 * (taken over if that process died). Both are built under another name and
 * renamed into place, so a build that dies half-way is never copied.
 */
export async function scratchTemplate(
  kind: DatabaseKind,
  name: string,
  fill: (db: Database) => Promise<void>,
  pgliteDir: string,
): Promise<ScratchTemplate> {
  if (kind === "postgresql") {
    const admin = adminClient();
    await admin.connect();
    try {
      await admin.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (!rowCount) {
        const building = `${name}_build`;
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${building}"`);
        const db = openDatabase({ url: withDatabase(process.env.DATABASE_URL!, building) });
        try {
          await applyMigrations(db.migrationAdapterFactory);
          await fill(db);
        } finally {
          await db.close();
        }
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      }
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [name]).catch(() => {});
      await admin.end();
    }
    return { kind, database: name };
  }
  mkdirSync(pgliteDir, { recursive: true });
  const tarball = join(pgliteDir, `${name}.tar`);
  const lock = join(pgliteDir, `${name}.lock`);
  for (;;) {
    if (existsSync(tarball)) return { kind, dump: new Blob([readFileSync(tarball)]) };
    try {
      mkdirSync(lock);
    } catch {
      // Another process is building it; take over only if it has died.
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, "pid"), "utf8"));
      } catch {}
      if (holder && !processAlive(holder)) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    writeFileSync(join(lock, "pid"), String(process.pid));
    try {
      const db = openDatabase({});
      let dump: Blob;
      try {
        await applyMigrations(db.migrationAdapterFactory);
        await fill(db);
        dump = await db.dumpDataDir!();
      } finally {
        await db.close();
      }
      const partial = `${tarball}.${process.pid}`;
      writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
      renameSync(partial, tarball);
      return { kind, dump };
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * Drops the PostgreSQL templates whose names start with `prefix` and removes
 * `pgliteDir` (a test run's globalTeardown: templates never outlive their run).
 */
export async function dropScratchTemplates(prefix: string, pgliteDir: string | undefined): Promise<void> {
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
  if (!process.env.DATABASE_URL) return;
  const admin = adminClient();
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

