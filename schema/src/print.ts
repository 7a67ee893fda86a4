// The schema as SDL, in a stable order, for the committed schema.graphql.
import { lexicographicSortSchema, printSchema } from "graphql";
import { fileURLToPath } from "node:url";
import { schema } from "./index.ts";

export const schemaFile = fileURLToPath(new URL("../schema.graphql", import.meta.url));

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
