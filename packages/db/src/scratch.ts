// Throwaway databases for tests and benchmarks: a fresh in-memory PGlite, or a
// fresh database created beside the one DATABASE_URL names and dropped after.
// Each test file gets its own, so files can run in parallel and nothing needs
// cleaning between them (marks are append-only: they cannot be deleted anyway).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database, type DatabaseKind } from "./client.ts";
import { applyMigrations } from "./migrations/migrations.ts";
import type { StatementListener } from "./statement-counter.ts";

export interface ScratchDatabase extends Database {
  /** The scratch database's connection string (PostgreSQL only). */
  url: string | undefined;
}

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
  options: { onStatement?: StatementListener; migrate?: boolean } = {},
): Promise<ScratchDatabase> {
  const { onStatement, migrate = true } = options;
  let db: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (kind === "pglite") {
    db = openDatabase({ onStatement });
  } else {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) throw new Error("DATABASE_URL is not set: no PostgreSQL to test on");
    const name = `scratch_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
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
