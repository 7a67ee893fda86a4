// The PDET trust policy's rules (seed 004).
import { describe, expect, it } from "vitest";
import { evaluateAbsenceLadder, individualReward } from "@attendance/core";
import plugin from "../src/index.ts";

describe("Appendix B1: process when attendance falls below certain levels", () => {
  const ladder = plugin.settings.absenceLadder!.value;
  it.each([
    [0.97, []], // at or above 96%: nothing
    [0.96, []], // "below 96%": 96% itself is not below
    [0.955, [0.96]], // below 96%: the headteacher's letter
    [0.89, [0.96, 0.9]], // below 90%: letter and meeting, targets
    [null, []],
  ] as const)("attendance %s → steps %o", (rate, reached) => {
    expect(evaluateAbsenceLadder(ladder, rate).filter((s) => s.reached).map((s) => s.below)).toEqual(reached);
  });
});

describe("§8 Promoting and Incentivising Good Attendance", () => {
  it("gives no individual rewards (Staverton, issue 6)", () => {
    const decision = individualReward({ groupOnly: plugin.settings["rewards.groupOnly"]!.value, individualExpectation: undefined }, 1);
    expect(decision.eligible).toBe(false);
  });
});
