// The policy contract: layer order, statutory national values, effective
// dates, saved overrides and provenance (DESIGN.md §4).
import { describe, expect, it } from "vitest";
import { capRegisterTimes, classifyArrival, definePolicyPlugin, parseOverride, resolvePolicy, settingValue, type PolicyPlugin, type SessionTimes } from "../src/index.ts";

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

describe("national limits on other layers' values", () => {
  const capped = definePolicyPlugin({
    name: "national-cap", layer: "national", document: "Regulations 2024", effectiveFrom: "2024-08-19", settings: {},
    constraints: [{ key: "registerTimes.AM", passage: "at most 30 minutes", apply: (t) => capRegisterTimes(t as SessionTimes) }],
  });
  // Seed 001 (St James, 2023): "At 9.30 a.m. the registers will be closed" — 45 minutes after 8.45.
  const stJames = definePolicyPlugin({
    name: "st-james", layer: "academy", document: "seed 001",
    settings: { "registerTimes.AM": { value: { starts: "08:45", lateAfter: "09:00", closes: "09:30" }, passage: "§8" } },
  });

  it("caps a register open for more than 30 minutes from 19 August 2024, showing the document's value too", () => {
    const after = resolvePolicy([capped, stJames], "2025-09-15").get("registerTimes.AM")!;
    expect(after.value).toEqual({ starts: "08:45", lateAfter: "09:00", closes: "09:15" });
    expect(after.source).toMatchObject({ plugin: "national-cap", statutory: true, passage: "at most 30 minutes" });
    expect(after.replaced.map((r) => r.value)).toEqual([{ starts: "08:45", lateAfter: "09:00", closes: "09:30" }]);
    // An arrival at 9.20: late under the document, after the close under the law.
    expect(classifyArrival(after.value as SessionTimes, "AM", "09:20").code).toBe("U");
  });

  it("leaves the document's times before the regulations and when they are already lawful", () => {
    expect(resolvePolicy([capped, stJames], "2024-07-01").get("registerTimes.AM")!.value).toMatchObject({ closes: "09:30" });
    expect(capRegisterTimes({ starts: "08:35", lateAfter: "08:35", closes: "09:00" })).toBeUndefined();
  });
});

describe("trust settings saved through the API", () => {
  const trustPlugin = definePolicyPlugin({ name: "t", layer: "trust", document: "trust doc", settings: { attendanceTarget: { value: 0.95, passage: "p" } } });
  const academyPlugin = definePolicyPlugin({ name: "a", layer: "academy", document: "academy doc", settings: { "leave.unlikelyBelowAttendance": { value: 0.9, passage: "q" } } });
  const saved = (layer: "trustOverride" | "override", settings: Record<string, unknown>, effectiveFrom = "2026-01-01") =>
    ({ id: `${layer}-${effectiveFrom}`, layer, effectiveFrom, settings, reason: "r", createdAt: new Date(0) }) as const;

  it.each([
    // The trust's saved default replaces the trust's document…
    ["attendanceTarget", [saved("trustOverride", { attendanceTarget: 0.97 })], 0.97, "trustOverride"],
    // …but not an academy's own document, which comes later…
    ["leave.unlikelyBelowAttendance", [saved("trustOverride", { "leave.unlikelyBelowAttendance": 0.99 })], 0.9, "academy"],
    // …nor the academy's own saved settings, whatever the order they were saved in.
    ["attendanceTarget", [saved("override", { attendanceTarget: 0.93 }), saved("trustOverride", { attendanceTarget: 0.97 }, "2026-01-02")], 0.93, "override"],
    // Not yet in force.
    ["attendanceTarget", [saved("trustOverride", { attendanceTarget: 0.97 }, "2026-03-01")], 0.95, "trust"],
  ] as const)("%s with %o → %s from %s", (key, overrides, value, layer) => {
    const resolved = resolvePolicy([trustPlugin, academyPlugin], "2026-02-01", overrides as never).get(key)!;
    expect([resolved.value, resolved.source.layer]).toEqual([value, layer]);
  });
});
