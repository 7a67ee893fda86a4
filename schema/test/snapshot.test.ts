// schema.graphql is the product's contract with front ends: it is committed, and
// this test fails while it differs from the code. Fix with `pnpm schema:print`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printedSchema, schemaFile } from "../src/print.ts";

describe("schema.graphql", () => {
  it("matches the schema built from the code (run `pnpm schema:print` to update it)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(printedSchema());
  });
});
