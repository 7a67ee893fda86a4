// What a refusal was missing, in terms a caller can act on (issue 16, item 7):
// which roles hold a capability and which API scopes grant it. OWASP API
// Security Top 10 (2023) API5 asks that function-level authorization be
// explicit; saying which grant is missing tells a front end what to ask an
// administrator for without revealing anything about the data refused.
import {
  API_SCOPES,
  ROLE_CAPABILITIES,
  ROLE_TRUST_CAPABILITIES,
  ROLE_RANK,
  type ApiScope,
  type Capability,
  type Role,
  type TrustCapability,
} from "./roles.ts";
import { scopeCapabilities } from "./actor.ts";

/** What a refused request lacked. */
export interface Need {
  /** Any one of these capabilities in the academy concerned would do. */
  capabilities?: readonly Capability[];
  /** A capability across the caller's trust. */
  trustCapability?: TrustCapability;
  /** The capability is held for the forms one tutors only, and this is outside them. */
  formsOnly?: boolean;
  /** Staff only: no API key may do this, whatever its scopes. */
  staffOnly?: boolean;
}

const ROLES = Object.keys(ROLE_RANK) as Role[];

/** The roles that hold `capability` (in an academy) or `trustCapability` (across a trust), highest first. */
export function rolesGranting(need: { capability?: Capability; trustCapability?: TrustCapability }): Role[] {
  return ROLES.filter((role) =>
    need.capability ? ROLE_CAPABILITIES[role].includes(need.capability) : need.trustCapability ? ROLE_TRUST_CAPABILITIES[role].includes(need.trustCapability) : false,
  ).sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a]);
}

/**
 * The fewest API scopes that together grant `capability`, prerequisites
 * included (read:sensitive alone grants nothing: it needs read:attendance,
 * CAPABILITY_NEEDS); empty when no scope grants it (working cases,
 * configuring an academy: staff only).
 */
export function scopesGranting(capability: Capability): ApiScope[] {
  const scopes = Object.keys(API_SCOPES) as ApiScope[];
  let best: ApiScope[] | null = null;
  for (let mask = 1; mask < 1 << scopes.length; mask++) {
    const held = scopes.filter((_, i) => mask & (1 << i));
    if (scopeCapabilities(held).has(capability) && (best === null || held.length < best.length)) best = held;
  }
  return best ?? [];
}
