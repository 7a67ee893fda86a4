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
  const limit = armorLimit(error.message);
  return new GraphQLError(limit?.message ?? error.message, {
    nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError,
    extensions: { ...error.extensions, code, ...(limit ? { limit: limit.limit, http: { spec: true, status: 400 } } : {}) },
  });
}

/**
 * GraphQL Armor's refusals (depth, aliases, tokens, directives) say "Syntax
 * Error: … limit of n exceeded, found m." although the document parsed: the
 * issue-16 trust lead read that as a typo. Reworded to name the limit, what
 * was found and how to fit; extensions.limit carries the numbers; the HTTP
 * status is that of the other refusals of a document (400 to a client that
 * accepts application/graphql-response+json, 200 under application/json).
 */
const ARMOR_LIMITS: { pattern: RegExp; name: string; reword: (max: number, found: number | null) => string }[] = [
  {
    pattern: /^Syntax Error: Query depth limit of (\d+) exceeded, found (\d+)\.$/,
    name: "maxDepth",
    reword: (max, found) => `This operation nests fields ${found} deep, over the depth limit of ${max}. To fit, nest fewer lists inside each other: ask for the inner lists in a query of their own.`,
  },
  {
    pattern: /^Syntax Error: Aliases limit of (\d+) exceeded, found (\d+)\.$/,
    name: "maxAliases",
    reword: (max, found) => `This operation uses ${found} aliases, over the limit of ${max}. To fit, send at most ${max} aliased fields per operation, or ask for a list instead of one field per item.`,
  },
  {
    pattern: /^Syntax Error: Token limit of (\d+) exceeded\.$/,
    name: "maxTokens",
    reword: (max) => `This document has more than ${max} tokens (names, punctuation and values), the limit. To fit, select fewer fields, use fragments for repeated selections, or pass values as variables.`,
  },
  {
    pattern: /^Syntax Error: Directives limit of (\d+) exceeded, found (\d+)\.$/,
    name: "maxDirectives",
    reword: (max, found) => `This operation uses ${found} directives, over the limit of ${max}. To fit, use at most ${max}.`,
  },
];

/** An Armor limit refusal, reworded with its numbers; undefined for any other error. */
export function armorLimit(message: string): { message: string; limit: { name: string; max: number; found: number | null } } | undefined {
  for (const { pattern, name, reword } of ARMOR_LIMITS) {
    const m = pattern.exec(message);
    if (!m) continue;
    const max = Number(m[1]);
    const found = m[2] === undefined ? null : Number(m[2]);
    return { message: reword(max, found), limit: { name, max, found } };
  }
  return undefined;
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
        armorLimit(e.message)
          ? (typeof e.extensions?.code === "string" ? e.extensions.code : "GRAPHQL_VALIDATION_FAILED")
          : e.extensions?.code && !(e.extensions.code === "GRAPHQL_VALIDATION_FAILED" && LITERAL_ERROR.test(e.message)) ? undefined : codeFor(e);
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
