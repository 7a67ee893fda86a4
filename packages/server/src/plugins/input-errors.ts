// Variables that do not fit their types (an unknown enum value, a missing
// required field, a malformed Date) are refused by graphql-js before any
// resolver runs, with a clear message but no code. Give them the code every
// other bad input carries, so a client can tell "fix your input" from a fault.
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

const VARIABLE_ERROR = /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/;

export function useTypedInputErrors(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!("errors" in result) || !result.errors?.length || result.data !== undefined) return;
          if (!result.errors.every((e) => VARIABLE_ERROR.test(e.message))) return;
          setResult({
            ...result,
            errors: result.errors.map(
              (e) => new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, originalError: e.originalError, extensions: { ...e.extensions, code: "BAD_USER_INPUT" } }),
            ),
          });
        },
      };
    },
  };
}
