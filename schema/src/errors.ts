// The errors a client sees for authentication and authorization: typed by
// extensions.code, with the HTTP status yoga should answer with.
import { GraphQLError } from "graphql";
import { isoDateOf, periodProblem, rolesGranting, scopesGranting, type ApiScope, type Capability, type IsoDate, type Need, type TrustCapability } from "@attendance/core";
import { Prisma } from "@attendance/db";

export function unauthenticated(message = "Sign in: send a bearer token or an API key."): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

/** A capability's name as the API spells it (the Capability and TrustCapability enums): workCases → WORK_CASES. */
export function capabilityName(capability: Capability | TrustCapability): string {
  return capability.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

/** An API scope's name as the ApiScope enum spells it: read:sensitive → READ_SENSITIVE. */
export function scopeName(scope: ApiScope): string {
  return scope.replace(":", "_").toUpperCase();
}

/** What a FORBIDDEN's extensions.missing holds: the grant that was missing, and who holds it. */
export interface MissingGrant {
  /** Any one of these capabilities in the academy concerned would do (Capability enum names). */
  capabilities: string[];
  /** A capability across the trust (TrustCapability enum name), or null. */
  trustCapability: string | null;
  /** The roles that hold it (StaffRole enum names), highest first. */
  roles: string[];
  /** The API scopes that together grant it (ApiScope enum names); empty: no API key may do this. */
  scopes: string[];
  /** True when the capability is held for the forms one tutors only, and this is outside them. */
  formsOnly: boolean;
}

/** The missing grant of a refusal, for extensions.missing, and the sentence that names it. */
export function missingGrant(need: Need): { missing: MissingGrant; sentence: string } {
  const capabilities = need.capabilities ?? [];
  const roles = [...new Set([
    ...capabilities.flatMap((capability) => rolesGranting({ capability })),
    ...(need.trustCapability ? rolesGranting({ trustCapability: need.trustCapability }) : []),
  ])];
  // The smallest scope set among the alternatives; trust capabilities are never an API key's.
  const scopeSets = need.staffOnly ? [] : capabilities.map(scopesGranting).filter((s) => s.length > 0).sort((a, b) => a.length - b.length);
  const scopes = (scopeSets[0] ?? []).map(scopeName);
  const missing: MissingGrant = {
    capabilities: capabilities.map(capabilityName),
    trustCapability: need.trustCapability ? capabilityName(need.trustCapability) : null,
    roles,
    scopes,
    formsOnly: need.formsOnly ?? false,
  };
  const alternatives: string[] = [];
  if (capabilities.length > 0) {
    const where = need.formsOnly ? " for this form (you hold it for the forms you tutor only)" : " in this academy";
    alternatives.push(`${capabilities.length > 1 ? "one of the capabilities" : "the capability"} ${missing.capabilities.join(" or ")}${where}`);
  }
  if (missing.trustCapability) alternatives.push(`the ${missing.trustCapability} capability across your trust`);
  const who = roles.length > 0 ? `held by ${roles.join(", ")}` : "held by no role";
  const key = scopes.length > 0 ? `an API key needs the scope${scopes.length > 1 ? "s" : ""} ${(scopeSets[0] ?? []).join(" and ")}` : "no API key may do this";
  return { missing, sentence: `Missing: ${alternatives.join(", or ")} (${who}; ${key}).` };
}

/**
 * Not allowed: the message says what was refused and names the capability or
 * scope that was missing; extensions.missing carries the same as data
 * (issue 16, item 7), so a front end can say whom to ask.
 */
export function forbidden(message: string, need: Need): GraphQLError {
  const { missing, sentence } = missingGrant(need);
  return new GraphQLError(`${message} ${sentence}`, { extensions: { code: "FORBIDDEN", missing } });
}

export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Rate limit exceeded: try again in ${retryAfterSeconds} s.`, {
    extensions: {
      code: "RATE_LIMITED",
      http: { status: 429, headers: { "retry-after": String(retryAfterSeconds) } },
    },
  });
}

export interface InputProblem {
  /** Where in the input, e.g. "marks[3].code". */
  field: string;
  message: string;
  /** A machine-readable reason where a rule has one, e.g. "WEEKEND" or "CODE_DISAGREES". */
  reason?: string;
}

/** Input that cannot be accepted: nothing was changed. `problems` says where. */
export function badInput(message: string, problems: InputProblem[] = []): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", problems } });
}

/**
 * Free text a person must give (a reason, a note, a name): trimmed, 1 to
 * `max` characters. Records a problem for `field` when it is not.
 */
export function requiredText(raw: string, field: string, max: number, problems: InputProblem[], message = `Give a reason of 1 to ${max} characters.`): string {
  const text = raw.trim();
  if (text.length === 0 || text.length > max) problems.push({ field, message });
  return text;
}

/** A write that lost a race or would overwrite what it did not see: nothing was changed. */
export function conflict(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "CONFLICT", ...details } });
}

/**
 * The longest period each kind of question may cover, in days. Statistics and
 * mark lists: two school years (a year-on-year comparison); a leave request:
 * one year (leave is asked for days, never for years). Issue 13: unbounded
 * ranges let one request stop the service.
 */
export const MAX_PERIOD_DAYS = { statistics: 731, marks: 731, leave: 366 } as const;

/** A period's ISO dates, or BAD_USER_INPUT naming what is wrong with it. */
export function requirePeriod(from: Date, to: Date, maxDays: number): { from: IsoDate; to: IsoDate } {
  const period = { from: isoDateOf(from), to: isoDateOf(to) };
  const problem = periodProblem(period.from, period.to, maxDays);
  if (problem) throw badInput(problem, [{ field: period.to < period.from ? "from" : "to", message: problem }]);
  return period;
}

/** Whether a write failed on a unique constraint: it lost a race with another write of the same key. */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") return true;
    // Raw statements report the database's own code (23505, unique_violation).
    return error.code === "P2010" && /23505|unique/i.test(JSON.stringify(error.meta ?? {}));
  }
  return false;
}

/** Nothing the caller may see by that name: the same answer whether it does not exist or belongs to another trust. */
export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "NOT_FOUND" } });
}
