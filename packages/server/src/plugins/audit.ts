// An audit log of every mutation: who, what, when, from which client, and how
// it ended, including mutations refused by authorization (DESIGN.md §5).
import type { Plugin } from "graphql-yoga";
import { getOperationAST, type GraphQLError } from "graphql";
import type { Prisma } from "@attendance/db";
import type { GraphQLContext } from "@attendance/schema";
import type { Logger } from "../logger.ts";

/** Variables whose values never reach the log. */
const SECRET_KEYS = /key|secret|token|password/i;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v)]));
  }
  return value;
}

/**
 * What PostgreSQL refuses in `text` and `jsonb`: the NUL character (U+0000,
 * "unsupported Unicode escape sequence" / "invalid byte sequence") and lone
 * UTF-16 surrogates, which have no UTF-8 encoding. Either one in a variable
 * made the audit INSERT fail while the mutation itself had already succeeded,
 * so an attacker could act unrecorded (issue 13; OWASP API Security Top 10
 * 2023, API10 and the logging guidance of the OWASP Logging Cheat Sheet).
 */
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT = "\uFFFD";

/** A string PostgreSQL stores: NULs and lone surrogates become U+FFFD, so a reader sees something was there. */
export function sanitiseText(value: string): string {
  return value.replace(NUL, REPLACEMENT).replace(LONE_SURROGATE, REPLACEMENT);
}

/** `value` with every string (keys too) made storable by PostgreSQL, for the audit log. */
export function sanitiseForAudit(value: unknown): unknown {
  if (typeof value === "string") return sanitiseText(value);
  if (Array.isArray(value)) return value.map(sanitiseForAudit);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [sanitiseText(k), sanitiseForAudit(v)]));
  }
  return value;
}

export function outcomeOf(errors: readonly GraphQLError[] | undefined): string {
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
      const fields = operation.selectionSet.selections.map((s) => (s.kind === "Field" ? s.name.value : s.kind));
      const entry = (outcome: string) => ({
        actorKind: ctx.actor?.kind ?? "anonymous",
        actorId: ctx.actor?.kind === "user" ? ctx.actor.id : null,
        apiClientId: ctx.actor?.kind === "apiClient" ? ctx.actor.id : null,
        trustId: ctx.actor?.trustId ?? null,
        operation: sanitiseText(`${operation.name?.value ?? "anonymous"}: ${fields.join(", ")}`),
        variables: sanitiseForAudit(redact(args.variableValues ?? {}) ?? {}) as Prisma.InputJsonValue,
        outcome,
      });
      // The audit row goes into the mutation's own transaction, as its last
      // statement: the change and its record commit together or not at all
      // (issue 13, item 10). Only the first transaction of a request carries
      // it (a register's escalations run in a second one).
      let writtenInTransaction = false;
      const prisma = ctx.prisma;
      ctx.prisma = new Proxy(prisma, {
        get(target, property) {
          const value = Reflect.get(target, property, target) as unknown;
          if (property === "$transaction") {
            return (work: unknown, options?: unknown) => {
              if (typeof work !== "function" || writtenInTransaction) return target.$transaction(work as never, options as never);
              return target
                .$transaction(async (tx) => {
                  const result = await (work as (tx: unknown) => Promise<unknown>)(tx);
                  await tx.auditEntry.create({ data: entry("OK") });
                  return result;
                }, options as never)
                .then((result) => {
                  writtenInTransaction = true;
                  return result;
                });
            };
          }
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      return {
        async onExecuteDone({ result }) {
          ctx.prisma = prisma;
          if (!("errors" in result) && !("data" in result)) return; // a stream: not used for mutations
          if (writtenInTransaction) return;
          // Refused, failed, or a single-statement write outside a transaction: recorded now.
          const row = entry(outcomeOf(result.errors));
          try {
            await prisma.auditEntry.create({ data: row });
          } catch (error) {
            // The mutation has happened; losing its audit line must be loud.
            logger.error({ err: error, audit: row }, "audit entry not written");
          }
        },
      };
    },
  };
}
