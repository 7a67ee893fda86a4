// Staverton CE Primary School's register times (seed 004, Appendix A1).
import { describe, expect, it } from "vitest";
import { classifyArrival, type SessionTimes } from "@attendance/core";
import plugin from "../src/index.ts";

const am = plugin.settings["registerTimes.AM"]!.value as SessionTimes;
const pm = plugin.settings["registerTimes.PM"]!.value as SessionTimes;

describe("Staverton arrivals (seed 004 Appendix A1)", () => {
  it.each([
    [am, "AM", "08:45", "/"], // "Registration session opens: 8:45 am"
    [am, "AM", "08:50", "/"], // "Register closes: 8:50 am"
    [am, "AM", "08:51", "L"], // "'Late' if they arrive … after the register has been taken at 8:50"
    [am, "AM", "09:20", "L"],
    [am, "AM", "09:21", "U"], // "after 9:20 am it will be marked as unauthorised"
    [pm, "PM", "13:00", "\\"], // "Afternoon Session start time: 1:00 pm"
    [pm, "PM", "13:31", "U"], // no afternoon close published: the PDET trust policy's "30 minutes after the start" applied to 1:00 pm
  ] as const)("%o %s at %s → %s", (times, session, arrival, code) => {
    expect(classifyArrival(times, session, arrival).code).toBe(code);
  });
});
