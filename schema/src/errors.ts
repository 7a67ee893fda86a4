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
