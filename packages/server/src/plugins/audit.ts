// An audit log of every mutation: who, what, when, from which client, and how
// it ended, including mutations refused by authorization (DESIGN.md §5).
import type { Plugin } from "graphql-yoga";
import { getOperationAST, type GraphQLError } from "graphql";
import type { Prisma } from "@attendance/db";
import type { GraphQLContext } from "@attendance/schema";
import type { Logger } from "../logger.ts";

/** Variables whose values never reach the log. */
const SECRET_KEYS = /key|secret|token|password/i;

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v)]));
  }
  return value;
}

function outcomeOf(errors: readonly GraphQLError[] | undefined): string {
  if (!errors?.length) return "OK";
  const codes = new Set(errors.map((e) => String(e.extensions?.code ?? "ERROR")));
  return [...codes].sort().join(",");
}

export function useAuditLog(logger: Logger): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== "mutation") return;
      const ctx = args.contextValue;
      return {
        async onExecuteDone({ result }) {
          if (!("errors" in result) && !("data" in result)) return; // a stream: not used for mutations
          const fields = operation.selectionSet.selections.map((s) => (s.kind === "Field" ? s.name.value : s.kind));
          const entry = {
            actorKind: ctx.actor?.kind ?? "anonymous",
            actorId: ctx.actor?.kind === "user" ? ctx.actor.id : null,
            apiClientId: ctx.actor?.kind === "apiClient" ? ctx.actor.id : null,
            trustId: ctx.actor?.trustId ?? null,
            operation: `${operation.name?.value ?? "anonymous"}: ${fields.join(", ")}`,
            variables: (redact(args.variableValues ?? {}) ?? {}) as Prisma.InputJsonValue,
            outcome: outcomeOf(result.errors),
          };
          try {
            await ctx.prisma.auditEntry.create({ data: entry });
          } catch (error) {
            // The mutation has happened; losing its audit line must be loud.
            logger.error({ err: error, audit: entry }, "audit entry not written");
          }
        },
      };
    },
  };
}
