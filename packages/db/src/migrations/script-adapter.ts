// Driver adapters for the schema engine that run a migration script as one
// multi-statement call, in one implicit transaction.
//
// Why: @prisma/adapter-pg's executeScript splits the script on every ";",
// which breaks PL/pgSQL bodies and comments containing a semicolon, and
// pglite-prisma-adapter's does not await PGlite's exec, so a failing migration
// would be recorded as applied. Both drivers accept a whole script as one
// simple-protocol query, which is what `psql -f` does too.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

type RunScript = (script: string) => Promise<unknown>;

function withScriptRunner(adapter: SqlDriverAdapter, run: RunScript, onDispose?: () => Promise<void>): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === "executeScript") {
        return async (script: string) => {
          await run(script);
        };
      }
      if (prop === "dispose" && onDispose) {
        return async () => {
          await target.dispose();
          await onDispose();
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** For PGlite: the main database, and an in-memory PGlite as the shadow database. */
export function pgliteMigrationFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const base = new PrismaPGlite(pglite);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => withScriptRunner(await base.connect(), (s) => pglite.exec(s)),
    connectToShadowDb: async () => {
      const shadow = new PGlite();
      const adapter = await new PrismaPGlite(shadow).connect();
      return withScriptRunner(adapter, (s) => shadow.exec(s), () => shadow.close());
    },
  };
}

type PgAdapter = SqlDriverAdapter & { underlyingDriver(): { query(sql: string): Promise<unknown> } };

/** For PostgreSQL: PrismaPg's own connections, with whole-script execution. */
export function pgMigrationFactory(base: PrismaPg): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter) => {
    const pool = (adapter as PgAdapter).underlyingDriver();
    return withScriptRunner(adapter, (s) => pool.query(s));
  };
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => wrap(await base.connect()),
    connectToShadowDb: async () => wrap(await base.connectToShadowDb()),
  };
}
