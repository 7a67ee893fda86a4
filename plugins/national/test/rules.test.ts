// The national layer's hooks and the composition of hooks across layers.
import { describe, expect, it } from "vitest";
import { actionKind, evaluateAbsenceLadder, pluginsInForce, policyView, resolvePolicy, runHook, type LeaveFacts } from "@attendance/core";
import national from "../src/index.ts";
import stJames from "../../academy-st-james/src/index.ts";
import vale from "../../trust-vale-academy-trust/src/index.ts";
import att from "../../trust-academies-transformation-trust/src/index.ts";
import pdet from "../../trust-peterborough-diocese/src/index.ts";

const facts: LeaveFacts = {
  requestedOn: "2026-01-05",
  from: "2026-02-02",
  to: "2026-02-06",
  sessions: 10,
  answers: { purpose: "Family event", circumstances: "A wedding" },
  attendanceRate: 0.97,
  earlierRequestsThisYear: 0,
};

function assess(plugins: Parameters<typeof pluginsInForce>[0], f: Partial<LeaveFacts>) {
  const inForce = pluginsInForce(plugins, "2026-01-05");
  return runHook(inForce, "preAssessLeave", policyView(resolvePolicy(plugins, "2026-01-05")), { ...facts, ...f }).map(
    (d) => `${d.plugin}:${d.rule}:${d.verdict}`,
  );
}

describe("leave pre-assessment", () => {
  it.each([
    // Regulations 2024, and seed 003 6.1: no retrospective authorisation.
    ["requested after it started", [national], { requestedOn: "2026-02-03" }, ["national-england-2024:leave.inAdvance:AGAINST"]],
    ["requested in advance", [national], {}, []],
    // Seed 001 §9: "most unlikely to be authorised when a pupil's attendance is less than 96%" (St James's setting, read by the national hook).
    ["St James, 95%", [national, vale, stJames], { attendanceRate: 0.95 }, ["national-england-2024:leave.attendance:AGAINST"]],
    ["St James, 96%", [national, vale, stJames], { attendanceRate: 0.96 }, ["national-england-2024:leave.attendance:NOTE"]],
    // Seed 003 6.2: attendance record and pattern may be considered.
    ["a second request", [national], { earlierRequestsThisYear: 1 }, ["national-england-2024:leave.pattern:NOTE"]],
    // Seed 003 6.2: "Holidays during term time will not usually be considered as exceptional circumstances."
    ["ATT, a holiday", [national, att], { answers: { purpose: "Family holiday", circumstances: "x" } }, ["trust-academies-transformation-trust:leave.holiday:AGAINST"]],
    // Seed 003 6.6: proof of booking for foreign travel.
    ["ATT, travel with no details", [national, att], { answers: { purpose: "Family event", circumstances: "x", foreignTravel: true } }, ["trust-academies-transformation-trust:leave.travelDetails:AGAINST"]],
    ["ATT, travel with details", [national, att], { answers: { purpose: "Family event", circumstances: "x", foreignTravel: true, travelDetails: "booking" } }, []],
    // Seed 004: "very unlikely … for the purposes of a family holiday". National runs first, then the trust.
    [
      "PDET, a late holiday request",
      [pdet, national],
      { requestedOn: "2026-02-02", answers: { purpose: "Family holiday", circumstances: "x" } },
      ["national-england-2024:leave.inAdvance:AGAINST", "trust-peterborough-diocese:leave.holiday:AGAINST"],
    ],
  ] as const)("%s", (_name, plugins, f, expected) => expect(assess(plugins, f as Partial<LeaveFacts>)).toEqual(expected));
});

describe("children missing education (SI 2024/208: returns to the local authority, reg. 9(1)(i))", () => {
  it("tells the LA at 10 consecutive school days and considers deletion at 20", () => {
    expect(national.settings["missingEducation.steps"]!.value.map((s) => s.afterSchoolDays)).toEqual([10, 20]);
  });
  it("St James adds its day-1 call and day-3 home visit (seed 001)", () => {
    expect(stJames.settings["missingEducation.steps"]!.value.map((s) => s.afterSchoolDays)).toEqual([1, 3, 10, 20]);
  });
});

describe("the national floor of the absence ladder (Working together to improve school attendance, DfE, August 2024: statutory guidance, not law)", () => {
  const on = "2025-11-14";
  const ladderOf = (plugins: Parameters<typeof resolvePolicy>[0]) => resolvePolicy(plugins, on).get("absenceLadder");
  // Each case: the layers in force, the layer and plugin the ladder comes from, and the
  // steps a pupil at the given attendance reaches.
  it.each([
    // Seed 001 (St James, Vale Academy Trust) names no absence ladder: the national floor
    // stands behind it, so 36.5% (issue 16) reaches both steps: persistent (summary table,
    // "Persistently absent pupils") and severe ("Severely absent pupils").
    { name: "St James at 36.5%", plugins: [national, vale, stJames], rate: 0.365, plugin: "national-england-2024", basis: "GUIDANCE", reached: [0.9, 0.5] },
    { name: "St James at exactly 90%: missing 10% is persistent absence", plugins: [national, vale, stJames], rate: 0.9, plugin: "national-england-2024", basis: "GUIDANCE", reached: [0.9] },
    { name: "St James at 91%", plugins: [national, vale, stJames], rate: 0.91, plugin: "national-england-2024", basis: "GUIDANCE", reached: [] },
    // Seed 004 Appendix B1: PDET's own ladder replaces the floor wholesale (later layer wins),
    // "below 96%" and "below 90%", so at 36.5% its steps, not the national ones, are reached.
    { name: "PDET overrides the floor", plugins: [national, pdet], rate: 0.365, plugin: "trust-peterborough-diocese", basis: "POLICY", reached: [0.96, 0.9] },
  ] as const)("$name", ({ plugins, rate, plugin, basis, reached }) => {
    const setting = ladderOf(plugins)!;
    expect(setting.source.plugin).toBe(plugin);
    expect(setting.source.basis).toBe(basis);
    const ladder = setting.value as Parameters<typeof evaluateAbsenceLadder>[0];
    expect(evaluateAbsenceLadder(ladder, rate).filter((s) => s.reached).map((s) => s.below)).toEqual(reached);
  });

  it("is a default, not statutory: the replaced national value is kept beside the trust's", () => {
    const setting = ladderOf([national, pdet])!;
    expect(national.statutory).not.toContain("absenceLadder");
    expect(setting.replaced.map((r) => r.source.plugin)).toEqual(["national-england-2024"]);
  });

  it("an academy's saved override replaces it as well", () => {
    const saved = { id: "o1", effectiveFrom: "2025-09-01", settings: { absenceLadder: [{ below: 0.85, actions: ["Letter home"] }] }, reason: "Governors' review", createdAt: new Date("2025-09-01") };
    const setting = resolvePolicy([national, vale, stJames], on, [saved]).get("absenceLadder")!;
    expect([setting.source.layer, setting.source.basis]).toEqual(["override", "POLICY"]);
  });

  it.each([
    // Support first (summary table, persistently absent: "put additional targeted support in place")…
    [0, 0, "MEETING"],
    // …then formal conversations and formal support options where support is not engaged with.
    [0, 1, "OTHER"],
    // Severely absent: "agree a joint approach … with the local authority".
    [1, 0, "REFERRAL"],
    // Formal support: "attendance contracts and education supervision orders" (2024; "parenting contracts" in 2022), legal intervention last.
    [1, 1, "PARENTING_CONTRACT"],
  ] as const)("step %i action %i is a %s", (step, action, kind) => {
    expect(actionKind(national.settings.absenceLadder!.value[step]!.actions[action]!)).toBe(kind);
  });

  it("does not apply before the 2024 Regulations and guidance were in force", () => {
    expect(resolvePolicy([national, vale, stJames], "2024-07-01").get("absenceLadder")).toBeUndefined();
  });
});
