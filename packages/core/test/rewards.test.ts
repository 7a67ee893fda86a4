// Reward rules, each case citing its seed.
import { describe, expect, it } from "vitest";
import { bestGroups, individualReward } from "../src/index.ts";

describe("individual rewards", () => {
  it.each([
    // Seed 004 §8 (PDET, Staverton): "there will not be individual rewards".
    [{ groupOnly: true, individualExpectation: undefined }, 1, false, /groups only/],
    // Seed 003 11.2 (ATT): "meet the academy expectations of 98%, will be rewarded each half term".
    [{ groupOnly: false, individualExpectation: 0.98 }, 0.98, true, /meets the expectation of 98%/],
    [{ groupOnly: false, individualExpectation: 0.98 }, 0.979, false, /below the expectation of 98%/],
    [{ groupOnly: false, individualExpectation: 0.98 }, null, false, /No possible sessions/],
    [{ groupOnly: undefined, individualExpectation: undefined }, 1, false, /no individual reward/],
  ] as const)("%o at %s → %s", (settings, rate, eligible, reason) => {
    const decision = individualReward(settings, rate);
    expect(decision.eligible).toBe(eligible);
    expect(decision.reason).toMatch(reason);
  });
});

describe("best groups (weekly class rewards, seed 004 §8)", () => {
  it("picks the best, sharing a place on a tie", () => {
    const groups = [{ n: "A", attendanceRate: 0.95 }, { n: "B", attendanceRate: 0.97 }, { n: "C", attendanceRate: 0.97 }, { n: "D", attendanceRate: null }];
    expect(bestGroups(groups).map((g) => g.n)).toEqual(["B", "C"]);
    expect(bestGroups([])).toEqual([]);
  });
});
