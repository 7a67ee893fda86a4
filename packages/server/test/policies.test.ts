// Every policy plugin named on a demo row is one the server knows, so that no
// academy silently runs without its policy.
import { describe, expect, it } from "vitest";
import { buildDemo } from "@attendance/db/demo";
import { policies } from "../src/policies.ts";

describe("policy registry", () => {
  const rows = buildDemo({ pupilsPerForm: 1, weeks: 1 });
  // No plugin yet: West Northamptonshire's code (seed 004 names no authority).
  const notYetWritten = new Set(["la-west-northamptonshire"]);
  it.each([
    ...rows.academies.map((a) => ["academy", a.policyPlugin] as const),
    ...rows.trusts.filter((t) => t.policyPlugin).map((t) => ["trust", t.policyPlugin] as const),
    ...rows.localAuthorities.map((l) => ["local authority", l.policyPlugin] as const),
  ].filter(([, name]) => !notYetWritten.has(name!)))("%s plugin %s is registered", (_layer, name) => {
    expect(policies.has(name!)).toBe(true);
  });

  it("has one national plugin", () => {
    expect([...policies.values()].filter((p) => p.layer === "national").map((p) => p.name)).toEqual(["national-england-2024"]);
  });
});
