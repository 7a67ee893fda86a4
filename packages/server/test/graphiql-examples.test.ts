// GraphiQL's example operations (src/graphiql-examples.ts) parse and validate
// against the schema the server serves, so that a schema change that breaks
// one fails here rather than in front of a new user.
import { parse, validate, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "@attendance/schema";
import { GRAPHIQL_EXAMPLES, graphiqlOptions } from "../src/graphiql-examples.ts";

describe("GraphiQL's example operations", () => {
  it.each(GRAPHIQL_EXAMPLES.map((e) => [e.role, e] as const))("the %s tab is valid against the schema", (_role, example) => {
    const document = parse(example.query);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    // Every variable an operation declares as required is given in the tab's Variables.
    for (const definition of document.definitions as OperationDefinitionNode[]) {
      for (const variable of definition.variableDefinitions ?? []) {
        if (variable.type.kind === "NonNullType") expect(example.variables, `${definition.name?.value} $${variable.variable.name.value}`).toHaveProperty(variable.variable.name.value);
      }
    }
  });

  it("has a tab for a trust lead, an attendance officer and a front-end developer, each telling how to get a token", () => {
    expect(GRAPHIQL_EXAMPLES.map((e) => e.role)).toEqual(["start", "trust lead", "attendance officer", "front-end developer"]);
    for (const example of GRAPHIQL_EXAMPLES) {
      expect(example.query).toContain(`pnpm demo:token ${example.tokenArgs}`);
      expect(example.query).toContain('"Headers"');
    }
  });

  it("opens GraphiQL on those tabs, each with the placeholder Authorization header", () => {
    const options = graphiqlOptions();
    expect(options.defaultTabs!.map((t) => t.query)).toEqual(GRAPHIQL_EXAMPLES.map((e) => e.query));
    for (const tab of options.defaultTabs!) expect(JSON.parse(tab.headers!)).toHaveProperty("Authorization");
  });
});
