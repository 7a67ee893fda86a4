// The authorization scopes every type and field is checked against, computed
// once per request from the actor (STYLE.md §6: scope-auth reads the context).
import { can, canForForm, canInTrust, type Capability, type Need, type TrustCapability } from "@attendance/core";
import { AuthScopeFailureType, type AuthFailure, type ForbiddenResult } from "@pothos/plugin-scope-auth";
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

/**
 * The grant a scope-auth failure lacked: the capability each failed scope
 * asked for (any of them, for $any). Scope-auth reports each failed scope
 * with its parameter (@pothos/plugin-scope-auth, AuthFailure).
 */
export function needOfFailure(failure: AuthFailure): Need {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope: {
      const scope = failure.scope as keyof AuthScopes;
      if (scope === "academy") return { capabilities: [(failure.parameter as AuthScopes["academy"]).capability] };
      if (scope === "form") return { capabilities: [(failure.parameter as AuthScopes["form"]).capability], formsOnly: true };
      if (scope === "academyAny") return { capabilities: [...(failure.parameter as AuthScopes["academyAny"]).capabilities] };
      if (scope === "trust") return { trustCapability: (failure.parameter as AuthScopes["trust"]).capability };
      if (scope === "administers") return { capabilities: ["administer"], staffOnly: true };
      // memberOfTrust, authenticated: a trust's objects are for its members, who read them.
      return { capabilities: ["read"] };
    }
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes: {
      const needs = failure.failures.map(needOfFailure);
      const trustCapability = needs.find((n) => n.trustCapability)?.trustCapability;
      const capabilities = [...new Set(needs.flatMap((n) => n.capabilities ?? []))];
      return {
        ...(capabilities.length > 0 ? { capabilities } : {}),
        ...(trustCapability && capabilities.length === 0 ? { trustCapability } : {}),
        ...(needs.every((n) => n.formsOnly) ? { formsOnly: true } : {}),
      };
    }
    default:
      return { capabilities: ["read"] };
  }
}

/** Without credentials: UNAUTHENTICATED; with them but not allowed: FORBIDDEN, naming the missing capability. */
export function unauthorizedError(ctx: GraphQLContext, result?: ForbiddenResult) {
  if (!ctx.actor) return unauthenticated();
  return forbidden("You are not allowed to see or change this.", result ? needOfFailure(result.failure) : { capabilities: ["read"] });
}
