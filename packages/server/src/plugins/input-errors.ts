// Every refusal carries a code a client can act on. Two kinds come without
// one: variables that do not fit their types (graphql-js refuses them before
// any resolver runs) and GraphQL Armor's limits (depth, aliases, tokens,
// cost, raised while parsing and validating). Give the first BAD_USER_INPUT
// (as is a malformed global ID) and the second GRAPHQL_VALIDATION_FAILED, as
// yoga does for its own validation errors, so "fix your input" is never told
// apart by message text.
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

// A literal that its scalar refuses (`to: "9999-12-31"` written in the document).
const LITERAL_ERROR = /^Expected value of type "[^"]+", found /;
const VARIABLE_ERROR = /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/;

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/** The code for an error that has none, or undefined to leave it as it is (a masked fault stays a fault). */
function codeFor(error: { message: string; path?: readonly (string | number)[] }): string | undefined {
  if (VARIABLE_ERROR.test(error.message) || LITERAL_ERROR.test(error.message) || /^Invalid global ID/.test(error.message)) return "BAD_USER_INPUT";
  // Raised before execution (no path): a limit on the document.
  if (!error.path) return "GRAPHQL_VALIDATION_FAILED";
  return undefined;
}

export function useTypedInputErrors(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !result || typeof result !== "object" || !("errors" in result) || !result.errors?.length) return;
      // yoga codes every validation error GRAPHQL_VALIDATION_FAILED, a refused literal too.
      const recode = (e: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }) =>
        e.extensions?.code && !(e.extensions.code === "GRAPHQL_VALIDATION_FAILED" && LITERAL_ERROR.test(e.message)) ? undefined : codeFor(e);
      if (result.errors.every((e) => recode(e) === undefined)) return;
      setResult({
        ...result,
        errors: result.errors.map((e) => {
          const code = recode(e);
          return code ? withCode(e as GraphQLError, code) : e;
        }),
      });
    },
  };
}
