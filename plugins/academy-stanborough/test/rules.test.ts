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
