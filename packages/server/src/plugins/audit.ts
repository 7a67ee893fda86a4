// An audit log of every mutation: who, what, when, from which client, and how
// it ended, including mutations refused by authorization (DESIGN.md §5).
import { getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLError } from "graphql";
import type { Prisma, PrismaClient } from "@attendance/db";
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

/** Who an audit row is about the actions of: the columns every audit row fills alike. */
export function auditedActor(ctx: Pick<GraphQLContext, "actor">): Pick<AuditEntryData, "actorKind" | "actorId" | "apiClientId" | "trustId"> {
  return {
    actorKind: ctx.actor?.kind ?? "anonymous",
    actorId: ctx.actor?.kind === "user" ? ctx.actor.id : null,
    apiClientId: ctx.actor?.kind === "apiClient" ? ctx.actor.id : null,
    trustId: ctx.actor?.trustId ?? null,
  };
}

export type AuditEntryData = Prisma.AuditEntryUncheckedCreateInput;

/**
 * The audit row for one mutation, or undefined for queries. Written by the
 * per-operation transaction (plugins/transaction.ts): in the same transaction
 * as the change when it commits, in one of its own when a refusal or error
 * rolled the change back, so refused mutations are logged too.
 */
export function auditEntryFor(args: ExecutionArgs, result: ExecutionResult): AuditEntryData | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== "mutation") return undefined;
  const ctx = args.contextValue as GraphQLContext;
  // The response cache adds __typename to the document it passes on: not the caller's.
  const fields = operation.selectionSet.selections
    .map((s) => (s.kind === "Field" ? s.name.value : s.kind))
    .filter((name) => name !== "__typename");
  return {
    ...auditedActor(ctx),
    academyId: ctx.audit?.academyId ?? null,
    operation: sanitiseText(`${operation.name?.value ?? "anonymous"}: ${fields.join(", ")}`),
    variables: sanitiseForAudit(redact(args.variableValues ?? {}) ?? {}) as Prisma.InputJsonValue,
    outcome: outcomeOf(result.errors),
  };
}

/** Writes `entry`; a failure is logged loudly rather than failing the request (the mutation has happened). */
export async function writeAuditEntry(prisma: PrismaClient, entry: AuditEntryData, logger: Logger): Promise<void> {
  try {
    // A savepoint inside the operation's transaction: a failed audit insert
    // must not abort the transaction it sits in.
    // createMany: no RETURNING, which row-level security would check against the
    // read policy (an anonymous refusal has no trust, so no tenant may read it).
    await prisma.$transaction((tx) => tx.auditEntry.createMany({ data: [entry] }));
  } catch (error) {
    logger.error({ err: error, audit: entry }, "audit entry not written");
  }
}
