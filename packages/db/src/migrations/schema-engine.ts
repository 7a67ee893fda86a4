// Prisma's schema engine compiled to WebAssembly, driven through a driver adapter.
//
// Why by hand: the Prisma CLI's `migrate` and `db` commands download a native
// schema engine, which this network cannot reach. The WebAssembly build ships in
// an npm package and talks to the database through the same driver adapter as
// the client, so migrations work identically on PGlite and on PostgreSQL
// (DESIGN.md §6, step 3).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

let instantiated: Promise<void> | undefined;

/** Instantiates the WebAssembly module once per process. */
function instantiate(): Promise<void> {
  instantiated ??= (async () => {
    // The package does not export the .wasm file; it sits beside its entry point.
    const entry = require.resolve("@prisma/schema-engine-wasm");
    const wasmPath = join(dirname(entry), "schema_engine_bg.wasm");
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return instantiated;
}

export type { SchemaEngine };

/**
 * Opens a schema engine on the database behind `adapterFactory`, with the Prisma
 * schema text as its datamodel. Free it with `engine.free()`.
 */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
): Promise<SchemaEngine> {
  await instantiate();
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  return engine as unknown as SchemaEngine;
}
