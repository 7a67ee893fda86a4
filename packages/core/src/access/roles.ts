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
  | "workCases"
  /**
   * Administer the academy's records: staff and their roles, form tutors,
   * forms, carers and pupils' details (issue 15). Headteachers and academy
   * admins for their academy, trust admins for every academy of their trust.
   */
  | "administer";

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
  /**
   * Move a pupil from one academy of the trust to another (transferPupil):
   * the trust is the proprietor of every academy, so its admin may close one
   * register's entry and open the other's.
   */
  | "transferPupils"
  /** Create and change the trust's academies (URN, name, local authority, phase, policy plugin). */
  | "manageAcademies"
  /** Read the trust's audit log (who changed or read what, and when). */
  | "readAuditLog"
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
  "read", "readSensitive", "takeRegister", "amendRegister", "configureAcademy", "decideLeave", "workCases", "administer",
];

/** Capabilities in each academy a role covers. */
export const ROLE_CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  // Trust admins and attendance leads read everything in the trust; they do
  // not take registers or decide an academy's leave requests.
  TRUST_ADMIN: ["read", "readSensitive", "administer"],
  TRUST_ATTENDANCE_LEAD: ["read", "readSensitive", "workCases"],
  HEADTEACHER: ALL_ACADEMY,
  ACADEMY_ADMIN: ALL_ACADEMY,
  ATTENDANCE_OFFICER: ["read", "readSensitive", "takeRegister", "amendRegister", "workCases"],
  // Restricted to the forms they tutor (see Grant.formIds).
  TEACHER: ["read", "takeRegister"],
};

/** Capabilities across the trust each role carries. */
export const ROLE_TRUST_CAPABILITIES: Readonly<Record<Role, readonly TrustCapability[]>> = {
  TRUST_ADMIN: ["manageApiClients", "setTrustDefaults", "manageWebhooks", "exportPersonalData", "manageCalendar", "transferPupils", "manageAcademies", "readAuditLog", "importData"],
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
  // Administration answers with the pupil it changed, flags included.
  administer: ["read", "readSensitive"],
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

/**
 * How far each role reaches, for "a user may not grant a role above their
 * own" (issue 15; OWASP API Security Top 10 (2023) API5, broken function level
 * authorization: nobody hands out more than they hold). Trust roles outrank
 * every academy role; within an academy the headteacher outranks the academy
 * admin, who outranks the attendance officer and teachers.
 */
export const ROLE_RANK: Readonly<Record<Role, number>> = {
  TRUST_ADMIN: 6,
  TRUST_ATTENDANCE_LEAD: 5,
  HEADTEACHER: 4,
  ACADEMY_ADMIN: 3,
  ATTENDANCE_OFFICER: 2,
  TEACHER: 1,
};

/** The roles that may administer staff: trust admins across the trust, headteachers and academy admins in their academy. */
const ADMINISTERING: readonly Role[] = ["TRUST_ADMIN", "HEADTEACHER", "ACADEMY_ADMIN"];

/**
 * Whether a user holding `held` (their unrevoked roles in one trust) may grant
 * or revoke `role` at `academyId` (null for a trust role). Trust roles: only a
 * trust admin. Academy roles: a trust admin anywhere in the trust, or a
 * headteacher or academy admin of that academy, for roles no higher than
 * their own there.
 */
export function mayGrantRole(held: readonly { role: Role; academyId: string | null }[], role: Role, academyId: string | null): boolean {
  if (held.some((h) => h.role === "TRUST_ADMIN")) return isTrustRole(role) === (academyId === null);
  if (isTrustRole(role) || academyId === null) return false;
  return held.some((h) => h.academyId === academyId && ADMINISTERING.includes(h.role) && ROLE_RANK[h.role] >= ROLE_RANK[role]);
}
