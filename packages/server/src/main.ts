// `pnpm start`: migrate, load the demo data into an empty database, serve.
// The start script runs it with --max-semi-space-size=32 (V8's young
// generation, 16 MB a half by default): an officer's forms with a thousand
// pupils' figures allocate about 28 MB a request, much of it still alive at
// each scavenge, which came three times a request; with 32 MB once, and the
// request's CPU fell from about 64 ms to 50 ms (issue 17, item 1; README,
// Benchmarks, "The officer's forms"). Start it the same way in production.
import { applyMigrations, defaultDataDir, openDatabase } from "@attendance/db";
import { isDatabaseEmpty, seedDemo, terminalProgress } from "@attendance/db/demo";
import { configFromEnv } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

const config = configFromEnv();
const logger = createLogger(config.LOG_LEVEL);
const db = openDatabase(
  config.DATABASE_URL
    ? { url: config.DATABASE_URL, onConnectionError: (err) => logger.warn({ err }, "a database connection was lost; the pool reconnects") }
    : { dataDir: config.PGLITE_DIR ?? defaultDataDir },
);
logger.info({ database: db.kind }, "database opened");

// On PGlite this includes opening the database (the first statement starts it; initdb in a new directory).
const migrating = performance.now();
const applied = await applyMigrations(db.migrationAdapterFactory);
logger.info({ applied, ms: Math.round(performance.now() - migrating) }, applied.length ? "migrations applied" : "migrations up to date");

if (config.DEMO_DATA === "auto" && (await isDatabaseEmpty(db.prisma))) {
  const started = performance.now();
  logger.info("empty database: loading the demo trusts");
  await seedDemo(db.prisma, { setBasedMarks: config.DEMO_MARKS === "set-based" }, terminalProgress());
  logger.info({ ms: Math.round(performance.now() - started) }, "demo data loaded");
}

// Operations log in as the application role itself where a connection string for it is given.
const appDb = config.DATABASE_APP_URL
  ? openDatabase({ url: config.DATABASE_APP_URL, onConnectionError: (err) => logger.warn({ err }, "a database connection was lost; the pool reconnects") })
  : undefined;
if (appDb && !config.DATABASE_URL) throw new Error("DATABASE_APP_URL needs DATABASE_URL: PGlite has one connection, the owner's.");
const running = await startServer({ prisma: db.prisma, operationPrisma: appDb?.prisma, logger, port: config.PORT, host: config.HOST, config });
logger.info({ url: `${running.url}/graphql` }, "serving GraphQL (GraphiQL in a browser at the same address)");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  // Give requests in flight a little while, then go regardless.
  const force = setTimeout(() => {
    logger.warn("requests still open after 10 s: exiting");
    process.exit(1);
  }, 10_000);
  force.unref();
  await running.close();
  await appDb?.close();
  await db.close();
  logger.info("stopped");
  // The schema engine's WebAssembly runtime leaves a timer behind.
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
