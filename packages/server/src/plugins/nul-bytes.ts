// NUL characters (U+0000) in any string a request carries, whether in its
// variables or as a "\u0000" escape in a literal of the document, are refused
// with BAD_USER_INPUT before any resolver runs. PostgreSQL cannot store U+0000
// in text or jsonb, so such a value would otherwise fail deep in a write as an
// unexpected error, after some work was done; no name, note, reason or code
// this API takes has a use for it (OWASP GraphQL Cheat Sheet, "Input
// validation"; OWASP API Security Top 10 2023, API8 Security Misconfiguration:
// errors must not be unhandled faults).
//
// It replaces execution, inside the operation's transaction (transaction.ts),
// so a refused mutation is still audited (the audit makes the variables storable).
import { GraphQLError, Kind, visit, type DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { perDocument } from "./per-document.ts";

/** The path to the first string containing U+0000 in a JSON-like value, or null. */
export function findNul(value: unknown, path = ""): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findNul(item, `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return path ? `${path}.${key.replaceAll("\u0000", "\\u0000")}` : key.replaceAll("\u0000", "\\u0000");
      const found = findNul(item, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}

const literalWithNul = perDocument(function literalWithNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes("\u0000")) found = true;
    },
  });
  return found;
});

function refusal(field: string): GraphQLError {
  return new GraphQLError("Text may not contain the NUL character (U+0000).", {
    extensions: { code: "BAD_USER_INPUT", problems: [{ field, message: "Remove the NUL character (U+0000)." }] },
  });
}

export function useRefuseNulBytes(): Plugin {
  return {
    // Replaces execution rather than stopping it: registered before the
    // operation's transaction (transaction.ts), which then wraps the refusal,
    // rolls it back and writes its audit row like any refused mutation.
    onExecute({ args, setExecuteFn }) {
      const inVariables = findNul(args.variableValues ?? {});
      const field = inVariables !== null ? `$${inVariables}` : literalWithNul(args.document) ? "(a string in the query)" : null;
      if (field !== null) setExecuteFn(() => ({ errors: [refusal(field)] }));
    },
  };
}
