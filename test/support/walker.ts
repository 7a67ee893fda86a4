// Builds, from the schema itself, one operation per Query and Mutation field:
// arguments aimed at a victim tenant's data, and a selection of everything the
// field returns a few levels deep. New fields are covered as soon as they
// exist; an argument type the walker cannot fill fails loudly so that it is
// taught, rather than skipped.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";

/** Values that point at the victim tenant, by argument name and by type. */
export interface VictimValues {
  /** Values for arguments by name (e.g. urn, upn, id). */
  byName: Record<string, unknown>;
  /** Global IDs of victim objects by GraphQL type name, for ID arguments. */
  globalIds: Record<string, string>;
  /** Fallback for ID arguments not found by name. */
  anyGlobalId: string;
}

export interface WalkedOperation {
  root: "query" | "mutation";
  field: string;
  document: string;
  variables: Record<string, unknown>;
}

function inputValue(type: GraphQLInputType, name: string, victim: VictimValues): unknown {
  if (name in victim.byName) return victim.byName[name];
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [inputValue(nullable.ofType, name, victim)];
  if (isEnumType(nullable)) return nullable.getValues()[0]!.name;
  if (isInputObjectType(nullable)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields())) {
      if (isNonNullType(field.type) || field.name in victim.byName) out[field.name] = inputValue(field.type, field.name, victim);
    }
    return out;
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case "ID":
        return victim.anyGlobalId;
      case "Int":
        return 1;
      case "Float":
        return 1;
      case "String":
        return "walker";
      case "Boolean":
        return true;
      case "Date":
        return "2025-09-15";
      case "DateTime":
        return "2025-09-15T08:45:00Z";
      case "File":
        // Sent as JSON, not an upload: importFile decides who may import before it looks at the file.
        return "walker.csv";
      case "JSON":
        return { "registerTimes.AM": { starts: "08:00", lateAfter: "08:00", closes: "08:30" } };
    }
  }
  throw new Error(`The authorization walker cannot fill an argument "${name}" of type ${String(type)}: teach it (test/support/walker.ts).`);
}

function selection(type: GraphQLOutputType, depth: number, seen: Set<string>): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return "";
  if (depth === 0) return "{ __typename }";
  if (isUnionType(named)) return "{ __typename }";
  if (!isObjectType(named) && !isInterfaceType(named)) return "{ __typename }";
  const parts = ["__typename"];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const inner = getNamedType(field.type);
    if (isLeafType(inner)) {
      parts.push(field.name);
    } else if (!seen.has(inner.name) || inner.name.endsWith("Connection") || inner.name.endsWith("Edge")) {
      parts.push(`${field.name} ${selection(field.type, depth - 1, new Set([...seen, named.name]))}`);
    }
  }
  return `{ ${parts.join(" ")} }`;
}

function argumentsFor(args: readonly GraphQLArgument[], victim: VictimValues) {
  const used = args.filter((a) => isNonNullType(a.type) || a.name in victim.byName);
  const variables: Record<string, unknown> = {};
  for (const a of used) variables[a.name] = inputValue(a.type, a.name, victim);
  return {
    variables,
    definitions: used.map((a) => `$${a.name}: ${String(a.type)}`).join(", "),
    call: used.map((a) => `${a.name}: $${a.name}`).join(", "),
  };
}

export function walkOperations(schema: GraphQLSchema, victim: VictimValues, depth = 4): WalkedOperation[] {
  const out: WalkedOperation[] = [];
  const roots: ["query" | "mutation", ReturnType<GraphQLSchema["getQueryType"]>][] = [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ];
  for (const [root, type] of roots) {
    if (!type) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const { variables, definitions, call } = argumentsFor(field.args, victim);
      const document = `${root} Walk${definitions ? `(${definitions})` : ""} { ${field.name}${call ? `(${call})` : ""} ${selection(field.type, depth, new Set())} }`;
      out.push({ root, field: field.name, document, variables });
    }
  }
  return out;
}
