// The audit log, readable (issue 15, item 6): trust admins ask who changed or
// read what, when, in which academy, and how it ended, filtered by actor,
// academy, operation and period; their own trust's rows only (UK GDPR
// Art. 5(2), accountability: the controller must be able to show it).
import { canInTrust } from "@attendance/core";
import { builder } from "../builder.ts";
import { badInput, forbidden, type InputProblem } from "../errors.ts";
import type { GraphQLContext } from "../context.ts";

/** The longest period one question may cover: two years, as for statistics (errors.ts, MAX_PERIOD_DAYS). */
const MAX_DAYS = 731;

builder.prismaObject("AuditEntry", {
  description: "One audited request: a mutation (allowed or refused), or a read of safeguarding flags, contact details or letters.",
  authScopes: (entry) => ({ trust: { trustId: entry.trustId ?? "", capability: "readAuditLog" } }),
  fields: (t) => ({
    id: t.exposeID("id", { description: "The entry's id." }),
    at: t.expose("at", { type: "DateTime", description: "When it happened." }),
    actorKind: t.exposeString("actorKind", { description: "Who acted: user, apiClient or anonymous." }),
    actorEmail: t.string({
      nullable: true,
      description: "The member of staff's e-mail address (null for an API client or no credentials).",
      resolve: async (e, _args, ctx) => (e.actorId ? ((await ctx.loaders.staffUser.load(e.actorId))?.email ?? null) : null),
    }),
    actorName: t.string({
      nullable: true,
      description: "The member of staff's name.",
      resolve: async (e, _args, ctx) => (e.actorId ? ((await ctx.loaders.staffUser.load(e.actorId))?.displayName ?? null) : null),
    }),
    apiClientId: t.string({ nullable: true, description: "The API client's id, when one acted.", resolve: (e) => e.apiClientId }),
    academyUrn: t.int({
      nullable: true,
      description: "The academy it acted on, where the operation names one.",
      resolve: async (e, _args, ctx) => (e.academyId ? ((await ctx.loaders.academyUrn.load(e.academyId))?.urn ?? null) : null),
    }),
    operation: t.exposeString("operation", { description: "The operation's name and its fields, e.g. \"UpdateCarer: updateCarer\"; reads start \"read \"." }),
    variables: t.expose("variables", { type: "JSON", nullable: true, description: "The variables it was sent (secrets redacted); reads add the pupils whose data was returned." }),
    outcome: t.exposeString("outcome", { description: "OK, or the error codes it ended with (e.g. FORBIDDEN)." }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.prismaConnection({
    type: "AuditEntry",
    description:
      "Your trust's audit log, newest first. Trust admins only (FORBIDDEN otherwise). Filters: the actor (by e-mail or user id), the academy, the operation (its name or any field it called, from the start) and a period of at most two years.",
    cursor: "id",
    args: {
      actorEmail: t.arg.string({ required: false, description: "Only what this member of staff did (their e-mail address)." }),
      actorId: t.arg.globalID({ required: false, description: "Only what this member of staff did (their User id)." }),
      academyUrn: t.arg.int({ required: false, description: "Only what was done in this academy." }),
      operation: t.arg.string({ required: false, description: "Only operations whose name, or one of whose fields, starts with this (1 to 100 characters), e.g. \"updateCarer\" or \"read \"." }),
      from: t.arg({ type: "DateTime", required: false, description: "From this instant (inclusive)." }),
      to: t.arg({ type: "DateTime", required: false, description: "Up to this instant (exclusive)." }),
    },
    totalCount: async (_parent, args, ctx) => ctx.prisma.auditEntry.count({ where: await auditWhere(ctx, args) }),
    resolve: async (query, _parent, args, ctx) =>
      ctx.prisma.auditEntry.findMany({ ...query, where: await auditWhere(ctx, args), orderBy: [{ at: "desc" }, { id: "desc" }] }),
  }),
}));

interface AuditArgs {
  actorEmail?: string | null;
  actorId?: { typename: string; id: string } | null;
  academyUrn?: number | null;
  operation?: string | null;
  from?: Date | null;
  to?: Date | null;
}

async function auditWhere(ctx: GraphQLContext, args: AuditArgs) {
  const actor = ctx.actor;
  // Decided before any filter is read: a refusal says nothing about them.
  if (!actor || !canInTrust(actor, "readAuditLog", actor.trustId)) throw forbidden("Only a trust admin may read the audit log.", { trustCapability: "readAuditLog" });
  const problems: InputProblem[] = [];
  if (args.actorEmail != null && (args.actorEmail.length < 3 || args.actorEmail.length > 254)) problems.push({ field: "actorEmail", message: "An e-mail address (at most 254 characters)." });
  if (args.actorId != null && args.actorId.typename !== "User") problems.push({ field: "actorId", message: "Not a member of staff's id." });
  const op = args.operation?.trim();
  if (args.operation != null && (!op || op.length > 100)) problems.push({ field: "operation", message: "1 to 100 characters." });
  if (args.from && args.to && args.to <= args.from) problems.push({ field: "to", message: "After from." });
  const from = args.from ?? (args.to ? new Date(args.to.getTime() - MAX_DAYS * 86_400_000) : null);
  const to = args.to ?? (args.from ? new Date(args.from.getTime() + MAX_DAYS * 86_400_000) : null);
  if (from && to && to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) problems.push({ field: "to", message: `At most ${MAX_DAYS} days.` });
  if (problems.length > 0) throw badInput("The audit log cannot be filtered so.", problems);
  const and: Record<string, unknown>[] = [{ trustId: actor.trustId }];
  if (from) and.push({ at: { gte: from } });
  if (to) and.push({ at: { lt: to } });
  if (args.actorId) and.push({ actorId: args.actorId.id });
  if (args.actorEmail != null) {
    const user = await ctx.prisma.user.findFirst({ where: { email: { equals: args.actorEmail.trim(), mode: "insensitive" }, roles: { some: { trustId: actor.trustId } } }, select: { id: true } });
    and.push({ actorId: user?.id ?? "00000000-0000-4000-8000-000000000000" });
  }
  if (args.academyUrn != null) {
    const academy = await ctx.prisma.academy.findFirst({ where: { urn: args.academyUrn, trustId: actor.trustId }, select: { id: true } });
    and.push({ academyId: academy?.id ?? "00000000-0000-4000-8000-000000000000" });
  }
  if (op) {
    // "Name: field, field" (audit.ts): the name, or any field, from its start.
    and.push({ OR: [{ operation: { startsWith: op } }, { operation: { contains: `: ${op}` } }, { operation: { contains: `, ${op}` } }] });
  }
  return { AND: and };
}
