// Woolwich Polytechnic School for Boys' register times (seed 000, Registration).
import { describe, expect, it } from "vitest";
import { classifyArrival, type SessionTimes } from "@attendance/core";
import plugin from "../src/index.ts";

const am = plugin.settings["registerTimes.AM"]!.value as SessionTimes;

describe("Woolwich arrivals (seed 000)", () => {
  it.each([
    ["08:35", "/"], // "arrive on site by 8.35am"
    ["08:40", "/"], // "registration at 8.40am"
    ["08:41", "L"],
    ["09:10", "L"], // no closing time given: national 30 minutes (DESIGN.md §8)
    ["09:11", "U"],
  ])("%s → %s", (arrival, code) => {
    expect(classifyArrival(am, "AM", arrival).code).toBe(code);
  });
});
