// The ATT template academy's register times (seed 003, 6.4 and 6.6).
import { describe, expect, it } from "vitest";
import { classifyArrival, type SessionTimes } from "@attendance/core";
import plugin from "../src/index.ts";

const am = plugin.settings["registerTimes.AM"]!.value as SessionTimes;
const pm = plugin.settings["registerTimes.PM"]!.value as SessionTimes;

describe("ATT template arrivals (seed 003)", () => {
  it.each([
    [am, "AM", "08:20", "/"], // 6.4 "starts at 8.20am"
    [am, "AM", "08:21", "L"], // "a late mark if they are not in … by this time"
    [am, "AM", "08:41", "U"], // "The register closes at 8.40am"
    [pm, "PM", "12:00", "\\"], // 6.6 "starts at 12.00pm"
    [pm, "PM", "13:05", "L"], // "closes at 1.05pm"
    [pm, "PM", "13:06", "U"],
  ] as const)("%o %s at %s → %s", (times, session, arrival, code) => {
    expect(classifyArrival(times, session, arrival).code).toBe(code);
  });
});
