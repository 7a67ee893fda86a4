// pnpm db:migrate: applies the committed migrations to DATABASE_URL, or to the
// PGlite data directory that `pnpm start` uses.
import { databaseOptionsFromEnv, openDatabase } from "../client.ts";
import { applyMigrations } from "../migrations/migrations.ts";
import { defaultDataDir } from "../paths.ts";

const db = openDatabase(databaseOptionsFromEnv(process.env.PGLITE_DIR ?? defaultDataDir));
try {
  const applied = await applyMigrations(db.migrationAdapterFactory);
  console.log(`${db.kind}: ${applied.length === 0 ? "already up to date" : `applied ${applied.join(", ")}`}`);
} finally {
  await db.close();
}
// The schema engine's WebAssembly runtime leaves a timer behind.
process.exit(0);
