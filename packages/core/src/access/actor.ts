// The actor behind a request and what it may see: the one place tenancy is decided.
import {
  API_SCOPES,
  isTrustRole,
  ROLE_CAPABILITIES,
  ROLE_TRUST_CAPABILITIES,
  type ApiScope,
  type Capability,
  type Role,
  type TrustCapability,
  withPrerequisites,
} from "./roles.ts";

/** What an actor may do in one academy. */
export interface AcademyGrant {
  capabilities: ReadonlySet<Capability>;
  /** The forms the actor is limited to (a teacher); undefined: every form. */
  formIds?: ReadonlySet<string>;
}

export interface Actor {
  kind: "user" | "apiClient";
  /** The user's or API client's id. */
  id: string;
  /** Every actor belongs to exactly one trust, and sees nothing outside it. */
  trustId: string;
  trustCapabilities: ReadonlySet<TrustCapability>;
  /** The academies the actor may see at all, with what it may do in each. */
  academies: ReadonlyMap<string, AcademyGrant>;
}

export interface RoleAssignmentFact {
  role: Role;
  trustId: string;
  /** Null for trust roles. */
  academyId: string | null;
}

export class AccessModelError extends Error {
  override name = "AccessModelError";
}

function union<T>(a: ReadonlySet<T> | undefined, b: Iterable<T>): Set<T> {
  const out = new Set(a);
  for (const x of b) out.add(x);
  return out;
}

/**
 * A staff user's actor from their role assignments.
 * @param trustAcademyIds every academy of the user's trust (trust roles see all of them)
 * @param tutorFormIds per academy, the forms the user tutors (for the TEACHER role)
 */
export function userActor(
  userId: string,
  assignments: readonly RoleAssignmentFact[],
  trustAcademyIds: readonly string[],
  tutorFormIds: ReadonlyMap<string, readonly string[]> = new Map(),
): Actor {
  const trusts = new Set(assignments.map((a) => a.trustId));
  if (trusts.size !== 1) {
    throw new AccessModelError(trusts.size === 0 ? "The user has no role." : "The user has roles in more than one trust.");
  }
  const [trustId] = trusts as Set<string>;
  const academies = new Map<string, { capabilities: Set<Capability>; formIds?: Set<string>; allForms: boolean }>();
  let trustCapabilities = new Set<TrustCapability>();
  const grant = (academyId: string, role: Role) => {
    const current = academies.get(academyId) ?? { capabilities: new Set<Capability>(), allForms: false };
    current.capabilities = union(current.capabilities, ROLE_CAPABILITIES[role]);
    if (role === "TEACHER") {
      current.formIds = union(current.formIds, tutorFormIds.get(academyId) ?? []);
    } else {
      current.allForms = true;
    }
    academies.set(academyId, current);
  };
  for (const a of assignments) {
    trustCapabilities = union(trustCapabilities, ROLE_TRUST_CAPABILITIES[a.role]);
    if (isTrustRole(a.role)) {
      for (const academyId of trustAcademyIds) grant(academyId, a.role);
    } else if (a.academyId) {
      grant(a.academyId, a.role);
    }
  }
  return {
    kind: "user",
    id: userId,
    trustId: trustId!,
    trustCapabilities,
    academies: new Map(
      [...academies].map(([id, g]) => {
        const capabilities = withPrerequisites(g.capabilities);
        return [id, g.allForms ? { capabilities } : { capabilities, formIds: g.formIds ?? new Set() }];
      }),
    ),
  };
}

/** The capabilities a set of API scopes grants, less any whose prerequisites are missing (write:registers needs read:attendance). */
export function scopeCapabilities(scopes: readonly string[]): Set<Capability> {
  const capabilities = new Set<Capability>();
  for (const scope of scopes) {
    for (const c of API_SCOPES[scope as ApiScope] ?? []) capabilities.add(c);
  }
  return withPrerequisites(capabilities);
}

/** An API client's actor: its scopes, in its academies only. */
export function apiClientActor(clientId: string, trustId: string, scopes: readonly string[], academyIds: readonly string[]): Actor {
  const capabilities = scopeCapabilities(scopes);
  return {
    kind: "apiClient",
    id: clientId,
    trustId,
    trustCapabilities: new Set(),
    academies: new Map(academyIds.map((id) => [id, { capabilities }])),
  };
}

/**
 * An API key's actor, cut down to what its creator holds now in each academy
 * (whole academies only: a tutor's forms are not an academy). A key never
 * carries a capability its creator lacks: not at creation, and not later when
 * the creator has lost a role or was never entitled (keys made before the rule).
 */
export function boundedByCreator(key: Actor, creator: Actor | null): Actor {
  const academies = new Map<string, AcademyGrant>();
  for (const [academyId, grant] of key.academies) {
    const held = creator?.trustId === key.trustId ? creator.academies.get(academyId) : undefined;
    const capabilities = withPrerequisites([...grant.capabilities].filter((c) => held?.formIds === undefined && held?.capabilities.has(c)));
    academies.set(academyId, { capabilities });
  }
  return { ...key, academies };
}

/** Whether the actor may do `capability` in the academy (any form of it, for a teacher). */
export function can(actor: Actor | null | undefined, capability: Capability, academyId: string): boolean {
  return actor?.academies.get(academyId)?.capabilities.has(capability) ?? false;
}

/**
 * Whether the actor may do `capability` for a pupil or register of a given
 * form: a teacher only for the forms they tutor.
 */
export function canForForm(actor: Actor | null | undefined, capability: Capability, academyId: string, formId: string | null): boolean {
  const grant = actor?.academies.get(academyId);
  if (!grant?.capabilities.has(capability)) return false;
  return grant.formIds === undefined || (formId !== null && grant.formIds.has(formId));
}

export function canInTrust(actor: Actor | null | undefined, capability: TrustCapability, trustId: string): boolean {
  return actor?.trustId === trustId && actor.trustCapabilities.has(capability);
}

/** The academies where the actor has `capability`, for filtering lists in SQL. */
export function academiesWhere(actor: Actor | null | undefined, capability: Capability): string[] {
  if (!actor) return [];
  return [...actor.academies].filter(([, g]) => g.capabilities.has(capability)).map(([id]) => id);
}

const fingerprints = new WeakMap<Actor, string>();

/**
 * Everything that decides what an actor may see, as one string: two actors
 * with the same fingerprint are answered alike. Keys caches of answers
 * (the server's response cache), so a change of role or academy is a new key.
 */
export function accessFingerprint(actor: Actor): string {
  let fingerprint = fingerprints.get(actor);
  if (fingerprint === undefined) {
    const sorted = (values: Iterable<string>) => [...values].sort().join(",");
    const academies = [...actor.academies]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, grant]) => `${id}=${sorted(grant.capabilities)}${grant.formIds ? `/${sorted(grant.formIds)}` : ""}`);
    fingerprint = [actor.kind, actor.id, actor.trustId, sorted(actor.trustCapabilities), ...academies].join("|");
    fingerprints.set(actor, fingerprint);
  }
  return fingerprint;
}
