// Applying, writing and checking migrations with the WebAssembly schema engine.
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { openSchemaEngine } from "./schema-engine.ts";
import { migrationsDir, schemaPath } from "../paths.ts";

const noFilters = { externalTables: [], externalEnums: [] };

/** Reads the committed migrations folder in the shape the engine wants. */
export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const lockPath = join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    // Directory names relative to the migrations folder (DESIGN.md §6).
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok" as const, value: await readFile(join(dir, name, "migration.sql"), "utf8") },
        },
      })),
    ),
  };
}

async function readSchema() {
  return { path: schemaPath, content: await readFile(schemaPath, "utf8") };
}

/**
 * Applies every committed migration not yet applied, recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` would.
 * Returns the names of the migrations it applied.
 */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await openSchemaEngine(adapterFactory, await readSchema());
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrations(),
      filters: noFilters,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that would take a database built by the committed migrations to the
 * Prisma schema. Empty when they agree (no drift). Replays the migrations on a
 * shadow database from `adapterFactory`.
 */
export async function diffMigrationsToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const schema = await readSchema();
  const engine = await openSchemaEngine(adapterFactory, schema);
  try {
    const migrations = await readMigrations();
    const from = migrations.migrationDirectories.length > 0
      ? ({ tag: "migrations", ...migrations } as const)
      : ({ tag: "empty" } as const);
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return emptyIfNoChange(result.stdout ?? "");
  } finally {
    engine.free();
  }
}

/** The engine answers "-- This is an empty migration." when nothing changed. */
function emptyIfNoChange(sql: string): string {
  const meaningful = sql
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("--"));
  return meaningful.length === 0 ? "" : sql;
}

/**
 * Writes `prisma/migrations/<timestamp>_<name>/migration.sql` with the SQL that
 * takes the committed migrations to the current schema. Returns its folder, or
 * undefined if the schema has not changed.
 */
export async function writeMigration(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  name: string,
  now = new Date(),
): Promise<string | undefined> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Migration name must be snake_case: ${name}`);
  const sql = await diffMigrationsToSchema(adapterFactory);
  if (sql === "") return undefined;
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "migration.sql"), sql);
  const lock = join(migrationsDir, "migration_lock.toml");
  if (!existsSync(lock)) {
    await writeFile(lock, '# Written by pnpm db:migration. Do not edit.\nprovider = "postgresql"\n');
  }
  return dir;
}
