// Who may do what: roles and API-client scopes mapped to capabilities.
//
// Why these grants (DESIGN.md §5, issue 4): trust roles see every academy of
// their own trust; academy roles their own academy only; a teacher only the
// forms they tutor. Safeguarding and cohort flags (looked-after, social worker,
// free school meals, pupil premium) are for the roles that act on them, not
// for every teacher and not for an API client without the read:sensitive scope.

/** What an actor may do in an academy (or, for trust capabilities, in its trust). */
export type Capability =
  /** Read the academy's pupils, registers and statistics. */
  | "read"
  /** Read safeguarding and cohort flags (looked-after, social worker, FSM, pupil premium). */
  | "readSensitive"
  /** Take registers (a teacher: for their own forms). */
  | "takeRegister"
  /** Amend register marks, with a reason. */
  | "amendRegister"
  /** Change the academy's own policy settings (its Appendix A). */
  | "configureAcademy"
  /** Decide leave-of-absence requests. */
  | "decideLeave"
  /** Work cases, escalations and letters. */
  | "workCases";

/** What an actor may do across its trust. */
export type TrustCapability =
  /** Create, list and revoke API clients. */
  | "manageApiClients"
  /** Set the trust's default policy settings. */
  | "setTrustDefaults"
  /** Register and deactivate webhook endpoints, and read their deliveries. */
  | "manageWebhooks"
  /**
   * Export everything held about one pupil, for a subject access request
   * (UK GDPR Art. 15): the trust is the controller, and its admin acts for
   * its data-protection officer.
   */
  | "exportPersonalData"
  /** Set the trust's school calendar and any of its academies' (half terms, closures). */
  | "manageCalendar"
  /** Import files (pupils, carers, staff, forms, calendars, marks) into any academy of the trust. */
  | "importData";

export type TrustRole = "TRUST_ADMIN" | "TRUST_ATTENDANCE_LEAD";
export type AcademyRole = "HEADTEACHER" | "ACADEMY_ADMIN" | "ATTENDANCE_OFFICER" | "TEACHER";
export type Role = TrustRole | AcademyRole;

export const TRUST_ROLES: readonly TrustRole[] = ["TRUST_ADMIN", "TRUST_ATTENDANCE_LEAD"];

export function isTrustRole(role: Role): role is TrustRole {
  return (TRUST_ROLES as readonly Role[]).includes(role);
}

const ALL_ACADEMY: readonly Capability[] = [
  "read", "readSensitive", "takeRegister", "amendRegister", "configureAcademy", "decideLeave", "workCases",
];

/** Capabilities in each academy a role covers. */
export const ROLE_CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  // Trust admins and attendance leads read everything in the trust; they do
  // not take registers or decide an academy's leave requests.
  TRUST_ADMIN: ["read", "readSensitive"],
  TRUST_ATTENDANCE_LEAD: ["read", "readSensitive", "workCases"],
  HEADTEACHER: ALL_ACADEMY,
  ACADEMY_ADMIN: ALL_ACADEMY,
  ATTENDANCE_OFFICER: ["read", "readSensitive", "takeRegister", "amendRegister", "workCases"],
  // Restricted to the forms they tutor (see Grant.formIds).
  TEACHER: ["read", "takeRegister"],
};

/** Capabilities across the trust each role carries. */
export const ROLE_TRUST_CAPABILITIES: Readonly<Record<Role, readonly TrustCapability[]>> = {
  TRUST_ADMIN: ["manageApiClients", "setTrustDefaults", "manageWebhooks", "exportPersonalData", "manageCalendar", "importData"],
  TRUST_ATTENDANCE_LEAD: ["setTrustDefaults"],
  HEADTEACHER: [],
  ACADEMY_ADMIN: [],
  ATTENDANCE_OFFICER: [],
  TEACHER: [],
};

/**
 * What each capability needs alongside it. Every write answers with what it
 * wrote (a register, a mark, a case action), so an actor that may write but
 * not read would have the write committed and the answer refused: the
 * "refusal that commits" of issue 13. OWASP API Security Top 10 (2023) API5
 * (broken function level authorization): a capability is whole or absent.
 */
export const CAPABILITY_NEEDS: Readonly<Record<Capability, readonly Capability[]>> = {
  read: [],
  readSensitive: ["read"],
  takeRegister: ["read"],
  amendRegister: ["read"],
  configureAcademy: ["read"],
  decideLeave: ["read"],
  workCases: ["read", "readSensitive"],
};

/**
 * The capabilities of `granted` whose prerequisites are all granted too (to a
 * fixed point): a capability without what it needs is dropped, never implied,
 * so nobody gains a right they were not given.
 */
export function withPrerequisites(granted: Iterable<Capability>): Set<Capability> {
  const out = new Set(granted);
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of out) {
      if (CAPABILITY_NEEDS[c].some((need) => !out.has(need))) {
        out.delete(c);
        changed = true;
      }
    }
  }
  return out;
}

/** The named scopes an API key can carry, and the capabilities each grants in its academies. */
export const API_SCOPES = {
  "read:attendance": ["read"],
  "read:sensitive": ["readSensitive"],
  "write:registers": ["takeRegister", "amendRegister"],
} as const satisfies Record<string, readonly Capability[]>;

export type ApiScope = keyof typeof API_SCOPES;

export function isApiScope(value: string): value is ApiScope {
  return Object.hasOwn(API_SCOPES, value);
}
