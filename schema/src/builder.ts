// The one Pothos builder. Plugins are listed outermost first; each module under
// ./modules adds its types and fields to this builder.
import SchemaBuilder, { decodeBase64 } from "@pothos/core";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import { GraphQLError, GraphQLScalarType } from "graphql";
import { EARLIEST_DATE, LATEST_DATE, isSupportedDate, isoDateOf } from "@attendance/core";
import { DateResolver, DateTimeResolver, JSONResolver } from "graphql-scalars";
import { getDatamodel, type PrismaTypes } from "@attendance/db/pothos";
import type { GraphQLContext } from "./context.ts";
import { authScopes, unauthorizedError, type AuthScopes } from "./auth.ts";
import { describeTotalCountPlugin } from "./describe-total-count.ts";
import { badInput } from "./errors.ts";
import { inCallersTrust } from "./tenancy.ts";

const TYPENAME = /^[A-Z_a-z]\w*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Global IDs are base64 "Type:uuid" (every table's key is a UUID). Anything
 * else is refused here, as BAD_USER_INPUT, rather than sent to the database,
 * where PostgreSQL's uuid type would fail the statement (OWASP GraphQL Cheat
 * Sheet, "Input validation": validate all incoming data, including ids).
 */
function decodeGlobalID(globalID: string): { typename: string; id: string } {
  let text: string;
  try {
    text = decodeBase64(globalID);
  } catch {
    throw badInput("Not a valid ID: IDs are the opaque strings this API returns.");
  }
  const colon = text.indexOf(":");
  const typename = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon < 1 || !TYPENAME.test(typename) || !UUID.test(id)) {
    throw badInput("Not a valid ID: IDs are the opaque strings this API returns.");
  }
  return { typename, id: id.toLowerCase() };
}

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    Date: { Input: Date; Output: Date };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: unknown; Output: never };
  };
}>({
  // Scope-auth first: it wraps every resolver before the others run (STYLE.md §6).
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, describeTotalCountPlugin],
  scopeAuth: {
    authScopes,
    unauthorizedError: (_parent, ctx, _info, result) => unauthorizedError(ctx, result),
    // A type's scopes are checked once per object, before any of its fields.
    runScopesOnType: true,
  },
  defaultFieldNullability: false,
  prisma: {
    // The client comes from the request: tests and the server may each serve
    // their own database through one schema.
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    // The /// comments in prisma/schema.prisma become GraphQL descriptions.
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "warn",
    defaultConnectionSize: 20,
    maxConnectionSize: 500,
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    edgesFieldOptions: { nullable: false, description: "The items on this page, each with its cursor." },
    nodeFieldOptions: { nullable: false, description: "The item." },
    cursorFieldOptions: { description: "Pass as `after` or `before` to page from this item." },
    pageInfoFieldOptions: { description: "Where this page starts and ends." },
    hasNextPageFieldOptions: { description: "Whether there are items after this page." },
    hasPreviousPageFieldOptions: { description: "Whether there are items before this page." },
    startCursorFieldOptions: { description: "The cursor of the first item on this page." },
    endCursorFieldOptions: { description: "The cursor of the last item on this page." },
    firstArgOptions: { description: "Return the first n items (default 20, at most 500)." },
    lastArgOptions: { description: "Return the last n items (at most 500)." },
    afterArgOptions: { description: "Return items after this cursor." },
    beforeArgOptions: { description: "Return items before this cursor." },
    defaultConnectionTypeOptions: { description: "A page of a list, with its total size." },
    defaultEdgeTypeOptions: { description: "An item in a page of a list." },
    nodeTypeOptions: { description: "An object with a globally unique ID." },
    pageInfoTypeOptions: { description: "Where a page of a connection starts and ends, and whether there is more." },
    decodeGlobalID,
    // Another trust's object is answered as an unknown id is: null, no error
    // (tenancy.ts). Within the trust, type scopes still say FORBIDDEN.
    nodeQueryOptions: {
      description: "Fetches any object by its global ID: null if there is none in your trust.",
      args: { id: { description: "The object's global ID." } },
      resolve: async (_root, args, ctx, _info, resolveNode) => ((await inCallersTrust(ctx, [args.id]))[0] ? resolveNode(args.id) : null),
    },
    nodesQueryOptions: {
      description: "Fetches several objects by their global IDs: null for each that is not in your trust.",
      args: { ids: { description: "The objects' global IDs." } },
      resolve: async (_root, args, ctx, _info, resolveNodes) => {
        const found = await inCallersTrust(ctx, args.ids);
        // The relay plugin loads `args.ids` and answers null where an entry
        // is null: blank out what is unknown or another trust's first.
        (args as { ids: ({ typename: string; id: string } | null)[] }).ids = args.ids.map((id, i) => (found[i] ? id : null));
        return resolveNodes(args.ids);
      },
    },
    idFieldOptions: { description: "Globally unique ID, stable across requests." },
  },
});

/**
 * graphql-scalars' Date, refusing dates outside EARLIEST_DATE…LATEST_DATE while
 * the document and variables are parsed, so no resolver ever sees year 9999
 * (issue 13). Written inline or as a variable, the answer is BAD_USER_INPUT.
 */
function bounded(date: Date): Date {
  const iso = isoDateOf(date);
  if (!isSupportedDate(iso)) throw new GraphQLError(`Dates run from ${EARLIEST_DATE} to ${LATEST_DATE}: ${iso} is outside.`, { extensions: { code: "BAD_USER_INPUT" } });
  return date;
}
const BoundedDate = new GraphQLScalarType<Date, string>({
  ...DateResolver.toConfig(),
  parseValue: (value) => bounded(DateResolver.parseValue(value) as Date),
  parseLiteral: (ast, variables) => bounded(DateResolver.parseLiteral(ast, variables) as Date),
});

builder.addScalarType("Date", BoundedDate, {
  description: "A calendar date (yyyy-mm-dd), in the academy's own time zone.",
});
builder.addScalarType("DateTime", DateTimeResolver, {
  description: "An instant, as an ISO 8601 timestamp with offset.",
});

builder.addScalarType("JSON", JSONResolver, {
  description: "Any JSON value: a policy setting's value, whose shape depends on its key.",
});

// A file uploaded with the request (GraphQL multipart request specification,
// which graphql-yoga reads: the value is its fetch implementation's File).
// Input only. Any value passes coercion and the resolver checks it is a file
// after authorization (isUploadedFile), so a caller who may not import is told
// FORBIDDEN (or UNAUTHENTICATED) whatever they sent, never how to send it.
builder.scalarType("File", {
  description: "A file sent with the request as multipart/form-data (the GraphQL multipart request specification). Input only.",
  serialize: () => {
    throw new GraphQLError("File is an input type only.");
  },
  parseValue: (value) => value,
  parseLiteral: () => null,
});

/** Whether a File argument holds an uploaded file (yoga's File is a ponyfill on Node 20: checked by shape). */
export function isUploadedFile(value: unknown): value is File {
  const file = value as Partial<File> | null;
  return typeof file?.arrayBuffer === "function" && typeof file.size === "number";
}

builder.queryType({
  description: "Read the trust's academies, pupils, registers and statistics.",
  // Every query field needs credentials; types narrow it further.
  authScopes: { authenticated: true },
});
