// pnpm db:migration <name>: writes a new migration from the difference between
// the committed migrations and prisma/schema.prisma. The migrations are replayed
// on a throwaway in-memory PGlite, so no database server is needed.
import { openDatabase } from "../client.ts";
import { writeMigration } from "../migrations/migrations.ts";

const name = process.argv[2];
if (!name) {
  console.error("usage: pnpm db:migration <snake_case_name>");
  process.exit(2);
}
const db = openDatabase();
try {
  const dir = await writeMigration(db.migrationAdapterFactory, name);
  console.log(dir ? `wrote ${dir}/migration.sql` : "schema.prisma matches the migrations: nothing to write");
} finally {
  await db.close();
}
// The schema engine's WebAssembly runtime leaves a timer behind.
process.exit(0);
