// pnpm schema:print — rewrites schema/schema.graphql from the code.
// A test (schema/test/snapshot.test.ts) fails while the file is stale.
import { writeFileSync } from "node:fs";
import { printedSchema, schemaFile } from "../src/print.ts";

writeFileSync(schemaFile, printedSchema());
console.log(`wrote ${schemaFile}`);
