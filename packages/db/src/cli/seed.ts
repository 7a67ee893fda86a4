// pnpm db:seed: migrates DATABASE_URL (or the PGlite data directory that
// `pnpm start` uses) and loads the demo trusts if the database is empty.
import { databaseOptionsFromEnv, openDatabase } from "../client.ts";
import { applyMigrations } from "../migrations/migrations.ts";
import { defaultDataDir } from "../paths.ts";
import { isDatabaseEmpty, seedDemo, terminalProgress } from "../demo/load.ts";

const db = openDatabase(databaseOptionsFromEnv(process.env.PGLITE_DIR ?? defaultDataDir));
try {
  await applyMigrations(db.migrationAdapterFactory);
  if (await isDatabaseEmpty(db.prisma)) {
    const started = performance.now();
    const counts = await seedDemo(db.prisma, {}, terminalProgress());
    console.log(`${db.kind}: loaded the demo in ${Math.round(performance.now() - started)} ms:`, counts);
  } else {
    console.log(`${db.kind}: the database already has data; nothing loaded`);
  }
} finally {
  await db.close();
}
// The schema engine's WebAssembly runtime leaves a timer behind.
process.exit(0);
