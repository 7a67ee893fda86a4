// The policy contract: layer order, statutory national values, effective
// dates, saved overrides and provenance (DESIGN.md §4).
import { describe, expect, it } from "vitest";
import { definePolicyPlugin, parseOverride, resolvePolicy, settingValue, type PolicyPlugin } from "../src/index.ts";

const national = definePolicyPlugin({
  name: "national", layer: "national", document: "national framework", effectiveFrom: "2024-08-19",
  settings: {
    "penaltyNotice.firstAmountWithin21Days": { value: 80, passage: "£80 within 21 days" },
    "penaltyNotice.thresholdSessions": { value: 10, passage: "10 sessions" },
  },
  statutory: ["penaltyNotice.firstAmountWithin21Days"],
});
const la = definePolicyPlugin({
  name: "la", layer: "localAuthority", document: "LA code 2023",
  settings: {
    "penaltyNotice.firstAmountWithin21Days": { value: 60, passage: "£60" },
    "penaltyNotice.thresholdSessions": { value: 12, passage: "12 sessions" },
  },
});
const academy = definePolicyPlugin({
  name: "academy", layer: "academy", document: "Appendix A",
  settings: { "registerTimes.AM": { value: { starts: "08:45", lateAfter: "08:45", closes: "09:15" }, passage: "8.45" } },
});
const trust = definePolicyPlugin({ name: "trust", layer: "trust", document: "trust policy", settings: { attendanceTarget: { value: 0.96, passage: "96%" } } });

// Given in any order: the layer decides.
const plugins: PolicyPlugin[] = [academy, la, trust, national];

describe("resolvePolicy", () => {
  it("lets a later layer win, and says where each value comes from", () => {
    const p = resolvePolicy(plugins, "2025-09-15");
    expect(p.get("penaltyNotice.thresholdSessions")).toMatchObject({ value: 12, source: { layer: "localAuthority", plugin: "la", passage: "12 sessions" } });
    expect(p.get("penaltyNotice.thresholdSessions")!.replaced.map((r) => r.value)).toEqual([10]);
    expect(p.get("attendanceTarget")!.source.layer).toBe("trust");
    expect(settingValue(p, "registerTimes.AM")).toEqual({ starts: "08:45", lateAfter: "08:45", closes: "09:15" });
  });

  it("lets a statutory national value win over later layers while it is in force", () => {
    expect(resolvePolicy(plugins, "2025-09-15").get("penaltyNotice.firstAmountWithin21Days")).toMatchObject({
      value: 80, source: { layer: "national", statutory: true }, replaced: [{ value: 60 }],
    });
    // Before the national framework: the local authority's amount.
    expect(resolvePolicy(plugins, "2024-08-18").get("penaltyNotice.firstAmountWithin21Days")).toMatchObject({ value: 60, replaced: [] });
  });

  it("applies a saved override from its effective date; the latest wins; earlier dates keep their policy", () => {
    const overrides = [
      { id: "o1", effectiveFrom: "2025-11-01", settings: { attendanceTarget: 0.95 }, reason: "first", createdAt: new Date(1) },
      { id: "o2", effectiveFrom: "2026-01-05", settings: { attendanceTarget: 0.97 }, reason: "second", createdAt: new Date(2) },
    ];
    expect(settingValue(resolvePolicy(plugins, "2025-10-31", overrides), "attendanceTarget")).toBe(0.96);
    expect(resolvePolicy(plugins, "2025-11-01", overrides).get("attendanceTarget")).toMatchObject({ value: 0.95, source: { layer: "override", passage: "first" } });
    expect(settingValue(resolvePolicy(plugins, "2026-02-01", overrides), "attendanceTarget")).toBe(0.97);
  });
});

describe("validation", () => {
  it("refuses a plugin with a bad value, naming it", () => {
    expect(() =>
      definePolicyPlugin({ name: "bad", layer: "academy", document: "x", settings: { "registerTimes.AM": { value: { starts: "09:00", lateAfter: "08:00", closes: "09:30" }, passage: "" } } }),
    ).toThrow(/bad: registerTimes.AM: times must run starts ≤ lateAfter ≤ closes/);
  });

  it("parses an override, reporting each bad value with the zod message", () => {
    const { settings, problems } = parseOverride({ attendanceTarget: 1.5, "registerTimes.PM": { starts: "13:00", lateAfter: "13:00", closes: "13:20" }, nope: 1 });
    expect(settings).toEqual({ "registerTimes.PM": { starts: "13:00", lateAfter: "13:00", closes: "13:20" } });
    expect(problems.map((p) => p.field)).toEqual(["attendanceTarget", "nope"]);
  });
});
