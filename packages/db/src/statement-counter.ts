// Sees every SQL statement the Prisma client sends, at the driver-adapter level,
// so tests and benchmarks can assert how many statements a request costs
// (STYLE.md §7). It wraps the adapter rather than using Prisma's query log,
// because the log leaves out raw statements and those inside transactions.
import { AsyncLocalStorage } from "node:async_hooks";
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** Called with each statement's SQL and its parameters as the driver adapter receives them. */
export type StatementListener = (sql: string, args?: readonly unknown[]) => void;

const observed = new Set(["queryRaw", "executeRaw"]);

/**
 * Background work (the escalation worker) runs inside this: its statements
 * are not a request's, and a test asserting a request's statement count must
 * not see a job the request woke running beside it. The store follows the
 * async path into the driver adapter, as settingsForNextBegin does (client.ts).
 */
const uncounted = new AsyncLocalStorage<true>();

/** Runs `fn` with its statements left out of every statement listener. */
export function withoutCounting<T>(fn: () => T): T {
  return uncounted.run(true, fn);
}

function observe<T extends object>(target: T, listener: StatementListener): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (typeof prop === "string" && observed.has(prop)) {
        return (query: SqlQuery) => {
          if (!uncounted.getStore()) listener(query.sql, query.args);
          return (value as (q: SqlQuery) => unknown).call(obj, query);
        };
      }
      if (prop === "startTransaction") {
        return async (...args: unknown[]) => {
          const tx = (await (value as (...a: unknown[]) => Promise<Transaction>).apply(obj, args));
          return observe(tx, listener);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(obj);
    },
  });
}

/** An adapter factory whose connections report each statement to `listener`. */
export function countingAdapterFactory(
  factory: SqlDriverAdapterFactory,
  listener: StatementListener,
): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => observe<SqlDriverAdapter>(await factory.connect(), listener),
  };
}
