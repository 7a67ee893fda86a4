// One transaction per GraphQL operation, as the application's database role
// and scoped to one trust: the second line of defence behind the resolvers'
// own filters (issue #13 item 9; OWASP API Security Top 10 2023, API1 Broken
// Object Level Authorization). Inside it, row-level security (migration
// 20261204230000_database_roles) shows only the trust's rows, and the role
// owns nothing, so it cannot switch triggers off or rewrite derived tables.
import type { PrismaClient } from "./generated/prisma/client.ts";
import { Prisma } from "./generated/prisma/client.ts";
import { settingsForNextBegin } from "./client.ts";

/** The role GraphQL operations run as (DATABASE_APP_ROLE). */
export const APP_ROLE = process.env.DATABASE_APP_ROLE ?? "attendance_app";

/** How long one operation's transaction may run (DATABASE_TRANSACTION_TIMEOUT_MS). */
export const TRANSACTION_TIMEOUT_MS = Number(process.env.DATABASE_TRANSACTION_TIMEOUT_MS ?? 60_000);

/** The client a tenant transaction hands out: Prisma's transaction client, with nested $transaction as savepoints. */
export type TenantClient = PrismaClient;

export interface TenantOptions {
  /** The role to run as; defaults to APP_ROLE. */
  role?: string;
  timeoutMs?: number;
}

let savepoints = 0;

/**
 * A transaction client whose `$transaction(fn)` runs `fn` inside a savepoint
 * of the enclosing transaction, so resolvers written against a PrismaClient
 * keep working (and one that catches a failed inner step, say a unique
 * violation turned into CONFLICT, leaves the outer transaction usable).
 */
function nestable(tx: Prisma.TransactionClient): TenantClient {
  const $transaction = async (arg: unknown) => {
    if (Array.isArray(arg)) {
      const results = [];
      for (const query of arg) results.push(await query);
      return results;
    }
    const name = `sp_${++savepoints}`;
    await tx.$executeRawUnsafe(`SAVEPOINT ${name}`);
    try {
      const result = await (arg as (client: TenantClient) => Promise<unknown>)(client);
      await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  };
  const client = new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "$transaction") return $transaction;
      return Reflect.get(target, property, receiver);
    },
  }) as unknown as TenantClient;
  return client;
}

/**
 * Runs `fn` in one transaction as the application role with `app.trust_id`
 * set to `trustId` (null: no tenant row is visible at all). Both settings are
 * transaction-local (`set_config(..., true)`), so nothing leaks to the next
 * user of the pooled connection. Throwing from `fn` rolls everything back.
 * On PostgreSQL the settings travel with the BEGIN (client.ts); otherwise
 * they are the transaction's first statement. Either way they are in force
 * before `fn` sends anything.
 */
export async function withTenant<T>(
  prisma: PrismaClient,
  trustId: string | null,
  fn: (client: TenantClient) => Promise<T>,
  options: TenantOptions = {},
): Promise<T> {
  const timeout = options.timeoutMs ?? TRANSACTION_TIMEOUT_MS;
  const role = options.role ?? APP_ROLE;
  const pending = { settings: { role, "app.trust_id": trustId ?? "" }, taken: false };
  return settingsForNextBegin.run(pending, () =>
    prisma.$transaction(
      async (tx) => {
        if (!pending.taken) {
          pending.taken = true;
          await tx.$queryRaw`SELECT set_config('role', ${role}, true), set_config('app.trust_id', ${trustId ?? ""}, true)`;
        }
        return fn(nestable(tx));
      },
      { timeout, maxWait: timeout },
    ),
  );
}
