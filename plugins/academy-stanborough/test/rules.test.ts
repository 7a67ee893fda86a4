// Stanborough School's register times (seed 002, Punctuality).
import { describe, expect, it } from "vitest";
import { classifyArrival, type SessionTimes } from "@attendance/core";
import plugin from "../src/index.ts";

const am = plugin.settings["registerTimes.AM"]!.value as SessionTimes;

describe("Stanborough arrivals (seed 002)", () => {
  it.each([
    ["08:35", "/"], // "Registration starts: 8.35am"
    ["08:36", "L"], // late after 8.35
    ["09:00", "L"], // "Registration closes: 9.00am"
    ["09:01", "U"], // "if your child arrives after that time, they will receive … 'U'"
  ])("%s → %s", (arrival, code) => {
    expect(classifyArrival(am, "AM", arrival).code).toBe(code);
  });
});

describe("Stanborough consequences of lateness (seed 002, How we manage lateness)", () => {
  const consequences = plugin.settings["lateness.consequences"]!.value;
  it.each([
    ["08:40", ["Late slip for a lunchtime detention (if late without an adequate reason)"]], // late after 8.35 → lunchtime detention
    ["09:05", ["Late slip for a lunchtime detention and a one-hour detention"]], // after 9.00 → also a one-hour detention
    ["08:30", []],
  ])("arrival at %s → %o", (arrival, actions) => {
    const { outcome } = classifyArrival(am, "AM", arrival);
    expect(consequences.filter((c) => c.when === outcome).map((c) => c.action)).toEqual(actions);
  });
});
