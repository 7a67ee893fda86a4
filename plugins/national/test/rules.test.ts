// The national layer's hooks and the composition of hooks across layers.
import { describe, expect, it } from "vitest";
import { pluginsInForce, policyView, resolvePolicy, runHook, type LeaveFacts } from "@attendance/core";
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
