// The authorization scopes every type and field is checked against, computed
// once per request from the actor (STYLE.md §6: scope-auth reads the context).
import { can, canForForm, canInTrust, type Capability, type TrustCapability } from "@attendance/core";
import type { GraphQLContext } from "./context.ts";
import { forbidden, unauthenticated } from "./errors.ts";

/** The scopes a type or field can require, and the parameter each takes. */
export interface AuthScopes {
  /** Any signed-in user or API client. */
  authenticated: boolean;
  /** The actor belongs to this trust. */
  memberOfTrust: string;
  /** A capability in an academy. */
  academy: { academyId: string; capability: Capability };
  /** A capability for a form of an academy (a teacher: their own forms only). */
  form: { academyId: string; formId: string | null; capability: Capability };
  /** A capability across a trust. */
  trust: { trustId: string; capability: TrustCapability };
  /** Any one of these capabilities in an academy (e.g. carers: who works cases or who administers the academy). */
  academyAny: { academyId: string; capabilities: readonly Capability[] };
  /** A staff user who administers at least one academy (staff records are theirs to see). */
  administers: boolean;
}

export function authScopes(ctx: GraphQLContext) {
  const { actor } = ctx;
  return {
    authenticated: actor !== null,
    memberOfTrust: (trustId: string) => actor?.trustId === trustId,
    academy: ({ academyId, capability }: AuthScopes["academy"]) => can(actor, capability, academyId),
    form: ({ academyId, formId, capability }: AuthScopes["form"]) => canForForm(actor, capability, academyId, formId),
    trust: ({ trustId, capability }: AuthScopes["trust"]) => canInTrust(actor, capability, trustId),
    academyAny: ({ academyId, capabilities }: AuthScopes["academyAny"]) => capabilities.some((c) => can(actor, c, academyId)),
    administers: actor?.kind === "user" && [...actor.academies.values()].some((g) => g.capabilities.has("administer")),
  };
}

/** Without credentials: UNAUTHENTICATED; with them but not allowed: FORBIDDEN. */
export function unauthorizedError(ctx: GraphQLContext) {
  return ctx.actor ? forbidden() : unauthenticated();
}
