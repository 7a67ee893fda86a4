// Each GraphQL operation runs in one database transaction, as the application
// role and scoped to the caller's trust (packages/db/src/tenant.ts):
// - row-level security is the second line behind every resolver's own filter
//   (OWASP API Security Top 10 2023, API1 Broken Object Level Authorization);
// - a mutation whose answer carries any error (FORBIDDEN, CONFLICT, a bad
//   input, a failed field of its result) is rolled back whole, so a refusal
//   never commits (issue #13 item 3; OWASP API5 Broken Function Level
//   Authorization);
// - its audit row is written in that same transaction when it commits, and
//   in a transaction of its own when it was rolled back;
// - webhook deliveries and escalation jobs it queued are announced to the
//   dispatcher and the escalation worker only after commit, when they can see
//   them.
// Registered before the response cache, whose wrapper then runs outside this
// one: a cached answer opens no transaction.
import { GraphQLError, getOperationAST, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import { withTenant, type PrismaClient } from "@attendance/db";
import { createLoaders, readableScope, type GraphQLContext } from "@attendance/schema";
import type { Logger } from "../logger.ts";
import { auditEntryFor, writeAuditEntry } from "./audit.ts";

export interface TransactionOptions {
  /** The database role operations run as (DATABASE_APP_ROLE). */
  role: string;
  /** How long one operation's transaction may run (DATABASE_TRANSACTION_TIMEOUT_MS). */
  timeoutMs: number;
  logger: Logger;
  /**
   * The client whose connections operations run on (DATABASE_APP_URL: logged
   * in as the application role); default: the request's own (the owner's
   * pool, switched to the role for each transaction).
   */
  prisma?: PrismaClient;
}

function auditUnavailable(): GraphQLError {
  return new GraphQLError("Nothing was changed: the change could not be recorded in the audit log. Try again; if it persists, tell the trust's administrator.", {
    extensions: { code: "AUDIT_UNAVAILABLE" },
  });
}

/** Thrown inside the transaction to roll it back while keeping the answer. */
class RolledBack extends Error {
  constructor(readonly result: ExecutionResult) {
    super("rolled back");
  }
}

function isSingleResult(value: unknown): value is ExecutionResult {
  return typeof value === "object" && value !== null && !(Symbol.asyncIterator in value);
}

export function useOperationTransaction({ role, timeoutMs, logger, prisma }: TransactionOptions): Plugin<GraphQLContext> {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        const ctx = args.contextValue as GraphQLContext;
        const base: PrismaClient = prisma ?? ctx.prisma;
        const trustId = ctx.actor?.trustId ?? null;
        const isMutation = getOperationAST(args.document, args.operationName)?.operation === "mutation";
        let queued = 0;
        let escalations = false;
        let result: ExecutionResult;
        try {
          result = await withTenant(base, trustId, async (tx) => {
            const contextValue: GraphQLContext = {
              ...ctx,
              prisma: tx,
              loaders: createLoaders(tx, readableScope(ctx.actor), ctx.policies),
              eventsQueued: (count) => {
                queued += count;
              },
              escalationsQueued: () => {
                escalations = true;
              },
            };
            const answer = await executeFn({ ...args, contextValue });
            if (!isSingleResult(answer)) throw new Error("Streamed results are not supported");
            if (isMutation && answer.errors?.length) throw new RolledBack(answer);
            const entry = auditEntryFor(args, answer);
            if (entry) {
              // The change and its record commit together or not at all: a
              // change whose audit row cannot be written is rolled back.
              try {
                await tx.auditEntry.createMany({ data: [entry] });
              } catch (error) {
                logger.error({ err: error, audit: entry }, "audit entry not written: the change is rolled back");
                throw new RolledBack({ errors: [auditUnavailable()] });
              }
            }
            return answer;
          }, { role, timeoutMs });
        } catch (error) {
          if (!(error instanceof RolledBack)) throw error;
          result = error.result;
          queued = 0;
          escalations = false;
          const entry = auditEntryFor(args, result);
          if (entry) await withTenant(base, trustId, (tx) => writeAuditEntry(tx, entry, logger), { role, timeoutMs });
        }
        if (queued > 0) ctx.eventsQueued?.(queued);
        if (escalations) ctx.escalationsQueued?.();
        return result;
      });
    },
  };
}
