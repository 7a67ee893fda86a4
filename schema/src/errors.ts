// The errors a client sees for authentication and authorization: typed by
// extensions.code, with the HTTP status yoga should answer with.
import { GraphQLError } from "graphql";
import { isoDateOf, periodProblem, type IsoDate } from "@attendance/core";
import { Prisma } from "@attendance/db";

export function unauthenticated(message = "Sign in: send a bearer token or an API key."): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

export function forbidden(message = "You are not allowed to see or change this."): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
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
