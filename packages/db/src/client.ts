// One factory for the database: embedded PGlite by default, PostgreSQL when a URL
// is given (DATABASE_URL). Both go through a Prisma driver adapter, so the same
// client, migrations and raw SQL run on either.
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlDriverAdapterFactory, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/prisma/client.ts";
import { pgMigrationFactory, pgliteMigrationFactory } from "./migrations/script-adapter.ts";
import { countingAdapterFactory, type StatementListener } from "./statement-counter.ts";

export type DatabaseKind = "pglite" | "postgresql";

export interface DatabaseOptions {
  /** A PostgreSQL connection string. Without one, PGlite is used. */
  url?: string | undefined;
  /**
   * PGlite only: a data directory to keep the database in between runs.
   * Without one, the database lives in memory and is gone on close.
   */
  dataDir?: string | undefined;
  /**
   * PGlite only: start from this data directory tarball (a `dumpDataDir()`),
   * e.g. a seeded template copied for each test file (test/support/demo-template.ts).
   */
  loadDataDir?: Blob | undefined;
  /** Called with every SQL statement sent, for tests and benchmarks. */
  onStatement?: StatementListener | undefined;
  /** An idle PostgreSQL connection was lost (logged by the server; the pool recovers by itself). */
  onConnectionError?: ((error: Error) => void) | undefined;
}

export interface Database extends AsyncDisposable {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** The adapter factory for the schema engine (migrations). */
  migrationAdapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** PGlite only: its whole data directory as a tarball, for `loadDataDir`. */
  dumpDataDir?: (() => Promise<Blob>) | undefined;
  /** Disconnects the client and closes PGlite or the connection pool. */
  close(): Promise<void>;
}

/**
 * Settings for the service's own sessions, measured on the benchmark trust
 * (pnpm bench): JIT compilation costs about a second per statistics query and
 * saves nothing at this size; 32 MB lets a trust's per-pupil sums aggregate in
 * memory instead of sorting on disk. DATABASE_SESSION_OPTIONS replaces them.
 */
export const SESSION_OPTIONS = process.env.DATABASE_SESSION_OPTIONS ?? "-c jit=off -c work_mem=32MB";

/**
 * Transaction-local settings waiting for the next BEGIN on this async path
 * (withTenant, tenant.ts). On PostgreSQL the pool's connections send them in
 * the BEGIN's own round trip (`BEGIN; SELECT set_config(…, true)`, one
 * simple-protocol message) and mark them taken; where nothing takes them
 * (PGlite) withTenant sends them itself, as the transaction's first statement.
 */
export interface PendingSettings {
  settings: Record<string, string>;
  taken: boolean;
}
export const settingsForNextBegin = new AsyncLocalStorage<PendingSettings>();

/**
 * Makes a pooled connection send pending settings with the BEGIN that
 * @prisma/adapter-pg sends (with no parameters, so pg uses the simple query
 * protocol, which allows several statements in one message): one round trip
 * and one Prisma operation fewer per GraphQL operation. The settings are taken
 * once, by the first BEGIN, so work started from inside the transaction (a
 * timer, the webhook dispatcher woken) never inherits them; values are quoted
 * by pg's escapeLiteral.
 */
function sendSettingsWithBegin(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((config: unknown, ...rest: unknown[]) => {
    const pending = settingsForNextBegin.getStore();
    if (pending && !pending.taken && typeof config === "object" && config !== null && (config as { text?: unknown }).text === "BEGIN" && !(config as { values?: unknown[] }).values?.length) {
      pending.taken = true;
      const sets = Object.entries(pending.settings).map(([name, value]) => `set_config(${pg.escapeLiteral(name)}, ${pg.escapeLiteral(value)}, true)`);
      config = { ...config, text: `BEGIN; SELECT ${sets.join(", ")}` };
    }
    return query(config, ...rest);
  }) as typeof client.query;
}

export function openDatabase(options: DatabaseOptions = {}): Database {
  const { url, dataDir, loadDataDir, onStatement } = options;
  let dumpDataDir: (() => Promise<Blob>) | undefined;
  let kind: DatabaseKind;
  let baseFactory: SqlDriverAdapterFactory;
  let migrationAdapterFactory: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void>;
  if (url) {
    kind = "postgresql";
    // Our own pool, so that close() ends it even when only the schema engine
    // used it (an idle pool would keep the process alive).
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), options: SESSION_OPTIONS });
    // An idle connection dropped by the server (PostgreSQL restarted, a
    // network blip) is an 'error' event: unhandled, it would end the process.
    // The pool discards that client and connects afresh on the next query.
    pool.on("error", (error) => options.onConnectionError?.(error));
    pool.on("connect", sendSettingsWithBegin);
    const pgFactory = new PrismaPg(pool);
    baseFactory = pgFactory;
    migrationAdapterFactory = pgMigrationFactory(pgFactory);
    closeDriver = () => pool.end();
  } else {
    kind = "pglite";
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    // (PGlite(dataDir, options) ignores options when dataDir is undefined.)
    const pglite = new PGlite({ dataDir, loadDataDir });
    // Uncompressed: gzip costs more time than the memory it saves for a test's copy.
    dumpDataDir = () => pglite.dumpDataDir("none");
    baseFactory = new PrismaPGlite(pglite);
    migrationAdapterFactory = pgliteMigrationFactory(pglite);
    // PGlite keeps the process alive until it is closed (DESIGN.md §6).
    closeDriver = () => pglite.close();
  }
  const adapterFactory = onStatement ? countingAdapterFactory(baseFactory, onStatement) : baseFactory;
  const prisma = new PrismaClient({ adapter: adapterFactory });
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= prisma.$disconnect().then(closeDriver);
    return closed;
  };
  return { kind, prisma, migrationAdapterFactory, dumpDataDir, close, [Symbol.asyncDispose]: close };
}

/** Options from the environment: DATABASE_URL, else PGlite (in `dataDir` if given). */
export function databaseOptionsFromEnv(dataDir?: string): DatabaseOptions {
  const url = process.env.DATABASE_URL;
  return url ? { url } : { dataDir };
}
