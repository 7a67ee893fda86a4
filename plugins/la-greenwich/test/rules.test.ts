// Greenwich's code of conduct (seed 000, "Penalty Notices for Non-Attendance").
import { describe, expect, it } from "vitest";
import { policyView, resolvePolicy, runHook, type SavedOverride } from "@attendance/core";
import national from "../../national/src/index.ts";
import greenwich from "../src/index.ts";

const examDays: SavedOverride = {
  id: "exams", effectiveFrom: "2026-05-01", settings: { "calendar.publicExamDates": ["2026-05-12", "2026-05-13"] }, reason: "GCSE dates", createdAt: new Date(0),
};

describe("trigger 2: unauthorised absence during a published public exam", () => {
  it.each([
    // "2. 1 or more sessions of unauthorised absence during a public exam … where dates are published in advance."
    ["one session on an exam day", [{ date: "2026-05-12", session: "AM", code: "O" }], 1],
    ["absence on other days", [{ date: "2026-05-11", session: "AM", code: "O" }], 0],
  ] as const)("%s → %i trigger(s)", (_name, unauthorised, triggers) => {
    const plugins = [national, greenwich];
    const policy = policyView(resolvePolicy(plugins, "2026-05-20", [examDays]));
    expect(runHook(plugins, "penaltyNoticeTriggers", policy, { unauthorised }).length).toBe(triggers);
  });

  it("needs published dates: none set, no trigger", () => {
    const plugins = [national, greenwich];
    const policy = policyView(resolvePolicy(plugins, "2026-05-20"));
    expect(runHook(plugins, "penaltyNoticeTriggers", policy, { unauthorised: [{ date: "2026-05-12", session: "AM", code: "O" }] })).toEqual([]);
  });

  it("trigger 1: 10 sessions of unauthorised absence or lateness in any 10-week period", () => {
    const resolved = resolvePolicy([national, greenwich], "2026-05-20");
    expect([resolved.get("penaltyNotice.thresholdSessions")!.value, resolved.get("penaltyNotice.windowSchoolWeeks")!.value]).toEqual([10, 10]);
    expect(resolved.get("penaltyNotice.thresholdSessions")!.source.plugin).toBe("la-greenwich");
  });
});
