// Woolwich Polytechnic School for Boys' register times (seed 000, Registration).
import { describe, expect, it } from "vitest";
import { classifyArrival, evaluateLatenessLadder, type SessionTimes } from "@attendance/core";
import plugin from "../src/index.ts";

const am = plugin.settings["registerTimes.AM"]!.value as SessionTimes;

describe("Woolwich arrivals (seed 000)", () => {
  it.each([
    ["08:35", "/"], // "arrive on site by 8.35am"
    ["08:40", "/"], // "registration at 8.40am"
    ["08:41", "L"],
    ["09:10", "L"], // no closing time published: 30 minutes, the longest Working together (August 2024) expects
    ["09:11", "U"],
  ])("%s → %s", (arrival, code) => {
    expect(classifyArrival(am, "AM", arrival).code).toBe(code);
  });
});

describe("Woolwich lateness ladder (seed 000, Sanctions for lateness)", () => {
  const ladder = plugin.settings.latenessLadder!.value;
  const halfTerm = { start: "2025-09-03", end: "2025-10-24" };
  it.each([
    // [late dates, as of, actions reached]
    [["2025-09-15", "2025-09-16"], "2025-09-17", []],
    // The third late in a week → a 1-hour detention.
    [["2025-09-15", "2025-09-16", "2025-09-17"], "2025-09-17", ["1 hour detention"]],
    // Three lates across two weeks are not three in a week.
    [["2025-09-11", "2025-09-12", "2025-09-15"], "2025-09-15", []],
    // Five in the half term → tutor meeting.
    [["2025-09-08", "2025-09-15", "2025-09-22", "2025-09-29", "2025-10-06"], "2025-10-06", ["Tutor meeting"]],
  ] as const)("%o as of %s → %o", (lates, asOf, actions) => {
    const reached = evaluateLatenessLadder(ladder, lates, asOf, halfTerm).filter((s) => s.reached).map((s) => s.action);
    expect(reached).toEqual(actions);
  });

  it("explains each step", () => {
    const [week] = evaluateLatenessLadder(ladder, ["2025-09-15", "2025-09-16", "2025-09-17"], "2025-09-17", halfTerm);
    expect(week!.reason).toBe("3 lates in the week of 2025-09-15; 3 lead to: 1 hour detention");
  });
});
