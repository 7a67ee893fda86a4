// The errors a client sees for authentication and authorization: typed by
// extensions.code, with the HTTP status yoga should answer with.
import { GraphQLError } from "graphql";

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

/** Nothing the caller may see by that name: the same answer whether it does not exist or belongs to another trust. */
export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "NOT_FOUND" } });
}
