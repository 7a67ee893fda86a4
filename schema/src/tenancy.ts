// The tenant boundary for lookups by identifier. Whatever belongs to another
// trust is answered exactly as what does not exist: null, with no error. A
// FORBIDDEN for "exists elsewhere" against null for "unknown" would tell any
// signed-in caller which UPNs, URNs and ids other trusts hold (OWASP API
// Security Top 10 2023, API1 Broken Object Level Authorization: the check is
// on the object, and what the caller learns when it fails must not depend on
// whose object it is). Within the caller's own trust, type scopes still
// answer FORBIDDEN for what the caller may not see (README, "Access").
import type { GraphQLContext } from "./context.ts";

/** The caller's trust, or null without credentials (then nothing is found). */
export function actorTrustId(ctx: GraphQLContext): string | null {
  return ctx.actor?.trustId ?? null;
}

/** How each node type is tied to its trust: directly, through its academy, or the trust itself. */
const TRUST_OF: Record<string, (trustId: string) => Record<string, unknown>> = {
  Trust: (trustId) => ({ id: trustId }),
  Academy: (trustId) => ({ trustId }),
  Pupil: (trustId) => ({ trustId }),
  ApiClient: (trustId) => ({ trustId }),
  WebhookEndpoint: (trustId) => ({ trustId }),
  RoleAssignment: (trustId) => ({ trustId }),
  // Staff: a user is of the trust while they hold (or held) a role in it.
  User: (trustId) => ({ roles: { some: { trustId } } }),
  ...Object.fromEntries(
    ["Form", "Register", "Mark", "LeaveRequest", "Carer", "Letter", "CaseAction", "LocalAuthorityNotification", "PenaltyNotice", "EscalationEvaluation"].map((type) => [
      type,
      (trustId: string) => ({ academy: { trustId } }),
    ]),
  ),
};

/** Node types named otherwise than their Prisma model. */
const MODEL_OF: Record<string, string> = { EscalationEvaluation: "EscalationJob" };

type IdDelegate = { findMany(args: { where: Record<string, unknown>; select: { id: true } }): Promise<{ id: string }[]> };

/**
 * Of these decoded global IDs, the ones naming an object of the caller's
 * trust: one query per type asked for. Unknown ids, another trust's, and
 * types that are not nodes all come back false, alike.
 */
export async function inCallersTrust(ctx: GraphQLContext, ids: readonly { typename: string; id: string }[]): Promise<boolean[]> {
  const trustId = actorTrustId(ctx);
  if (!trustId) return ids.map(() => false);
  const byType = new Map<string, string[]>();
  for (const { typename, id } of ids) if (TRUST_OF[typename]) byType.set(typename, [...(byType.get(typename) ?? []), id]);
  const found = new Set<string>();
  await Promise.all(
    [...byType].map(async ([typename, typeIds]) => {
      const model = MODEL_OF[typename] ?? typename;
      const delegate = (ctx.prisma as unknown as Record<string, IdDelegate>)[model[0]!.toLowerCase() + model.slice(1)]!;
      const rows = await delegate.findMany({ where: { id: { in: typeIds }, ...TRUST_OF[typename]!(trustId) }, select: { id: true } });
      for (const row of rows) found.add(`${typename}:${row.id}`);
    }),
  );
  return ids.map(({ typename, id }) => found.has(`${typename}:${id}`));
}
