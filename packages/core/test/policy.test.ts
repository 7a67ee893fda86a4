// The policy contract: layer order, statutory national values, effective
// dates, saved overrides and provenance, and law kept apart from guidance.
import { describe, expect, it } from "vitest";
import {
  classifyArrival,
  complianceFindings,
  definePolicyPlugin,
  minutesOpen,
  parseOverride,
  pluginsInForce,
  resolvePolicy,
  settingValue,
  type PolicyPlugin,
  type PolicyPluginInput,
  type SessionTimes,
} from "../src/index.ts";

const national = definePolicyPlugin({
  name: "national", layer: "national", document: "national framework", effectiveFrom: "2024-08-19",
  settings: {
    "penaltyNotice.firstAmountWithin21Days": { value: 80, basis: "REGULATION", passage: "£80 within 21 days" },
    "penaltyNotice.thresholdSessions": { value: 10, basis: "GUIDANCE", passage: "10 sessions" },
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

describe("law and guidance kept apart", () => {
  // An advisory expectation as a guidance rule (the real one is the national
  // plugin's): a register open longer than 30 minutes is reported, not changed.
  const guided = definePolicyPlugin({
    name: "national-guidance", layer: "national", document: "Working together to improve school attendance (DfE, August 2024)", effectiveFrom: "2024-08-19", settings: {},
    guidance: [{
      rule: "open30", source: "Working together, code L",
      check: (settings) => {
        const t = settings.get("registerTimes.AM")?.value as SessionTimes | undefined;
        return t && minutesOpen(t) > 30 ? [{ key: "registerTimes.AM", guidanceValue: 30, academyValue: minutesOpen(t), message: "open too long" }] : [];
      },
    }],
  });
  // Seed 001 (St James, 2023), §8: "At 9.30 a.m. the registers will be closed" — 45 minutes after 8.45.
  const stJames = definePolicyPlugin({
    name: "st-james", layer: "academy", document: "seed 001",
    settings: { "registerTimes.AM": { value: { starts: "08:45", lateAfter: "09:00", closes: "09:30" }, passage: "§8" } },
  });

  it("keeps the academy's published close from August 2024 and reports the departure as a GUIDANCE finding", () => {
    const settings = resolvePolicy([guided, stJames], "2025-09-15");
    const am = settings.get("registerTimes.AM")!;
    expect(am).toMatchObject({ value: { closes: "09:30" }, source: { plugin: "st-james", basis: "POLICY", statutory: false }, replaced: [] });
    // An arrival at 9.20: late (L), before the close the school published (SI 2024/208, reg. 10(2), table 1).
    expect(classifyArrival(am.value as SessionTimes, "AM", "09:20").code).toBe("L");
    expect(complianceFindings(pluginsInForce([guided, stJames], "2025-09-15"), settings, "2025-09-15")).toEqual([
      expect.objectContaining({ rule: "open30", basis: "GUIDANCE", key: "registerTimes.AM", guidanceValue: 30, academyValue: 45, date: "2025-09-15", plugin: "national-guidance", academySource: expect.objectContaining({ plugin: "st-james" }) }),
    ]);
    // Before the guidance was in force there is nothing to report.
    expect(complianceFindings(pluginsInForce([guided, stJames], "2024-07-01"), resolvePolicy([guided, stJames], "2024-07-01"), "2024-07-01")).toEqual([]);
  });

  it("gives every value its basis: REGULATION and GUIDANCE from the national layer, POLICY from the others", () => {
    const p = resolvePolicy(plugins, "2025-09-15", [{ id: "o", effectiveFrom: "2025-01-01", settings: { attendanceTarget: 0.9 }, reason: "r", createdAt: new Date(0) }]);
    expect(p.get("penaltyNotice.firstAmountWithin21Days")!.source.basis).toBe("REGULATION");
    expect(p.get("penaltyNotice.thresholdSessions")!.replaced[0]!.source.basis).toBe("GUIDANCE");
    expect(p.get("penaltyNotice.thresholdSessions")!.source.basis).toBe("POLICY");
    expect(p.get("attendanceTarget")!.source.basis).toBe("POLICY");
  });

  const base = { name: "n", layer: "national", document: "Regulations 2024", settings: {} } as const satisfies PolicyPluginInput;
  it.each<[string, PolicyPluginInput, RegExp]>([
    ["a national value with no basis", { ...base, settings: { attendanceTarget: { value: 0.9, passage: "p" } } }, /needs a basis/],
    ["guidance made statutory (only the law wins over later layers)", { ...base, settings: { attendanceTarget: { value: 0.9, basis: "GUIDANCE", passage: "p" } }, statutory: ["attendanceTarget"] }, /must rest on a regulation/],
    ["a local document claiming the force of law", { ...base, layer: "academy", settings: { attendanceTarget: { value: 0.9, basis: "REGULATION", passage: "p" } } }, /local document is POLICY/],
    ["a passage citing internal notes", { ...base, settings: { attendanceTarget: { value: 0.9, basis: "GUIDANCE", passage: "see DESIGN.md §8" } } }, /internal notes/],
    ["a document citing internal notes", { ...base, document: "the project's design notes" }, /internal notes/],
    ["a guidance rule citing internal notes", { ...base, guidance: [{ rule: "r", source: "DESIGN.md §8", check: () => [] }] }, /internal notes/],
  ])("refuses %s", (_name, input, message) => expect(() => definePolicyPlugin(input)).toThrow(message));
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
