// Whether a register or a mark may be taken, and whether a code agrees with the
// arrival time given with it (issue 14, items 2 and 3). Each case cites the
// regulation or seed passage it rests on: The School Attendance (Pupil
// Registration) (England) Regulations 2024 (SI 2024/208).
import { describe, expect, it } from "vitest";
import {
  codeProblem,
  DEFAULT_MAX_DAYS_AHEAD,
  registerRefusal,
  rollRefusal,
  schoolCalendar,
  schoolYearLabel,
  type SessionTimes,
} from "../src/index.ts";

/** A 2025/26 calendar shaped like the demo's, with a half-day and a snow closure. */
const calendar = schoolCalendar({
  terms: [
    { name: "Autumn 1", academicYear: "2025/26", start: "2025-09-03", end: "2025-10-24" },
    { name: "Autumn 2", academicYear: "2025/26", start: "2025-11-03", end: "2025-12-19" },
    { name: "Spring 1", academicYear: "2025/26", start: "2026-01-05", end: "2026-02-13" },
  ],
  closures: [
    { kind: "INSET", start: "2025-09-03", end: "2025-09-03", reason: "Staff training day" },
    { kind: "PLANNED", start: "2025-12-19", end: "2025-12-19", session: "PM", reason: "End of term: early finish" },
    { kind: "UNEXPECTED", start: "2026-01-21", end: "2026-01-22", reason: "Snow" },
  ],
});
const TODAY = "2026-01-30";

describe("registerRefusal: the sessions an academy meets (SI 2024/208, reg. 10(1): entries at each session of the school)", () => {
  it.each([
    // [date, session, reason or undefined, why]
    ["2025-11-10", "AM", undefined, "a Monday in term"],
    ["2025-12-19", "AM", undefined, "the morning of a half-day closure still meets"],
    ["2026-01-30", "PM", undefined, "today"],
    ["2025-11-08", "AM", "WEEKEND", "a Saturday"],
    ["2025-11-09", "PM", "WEEKEND", "a Sunday"],
    ["2025-10-29", "AM", "HOLIDAY", "October half term, between two terms"],
    ["2025-12-25", "AM", "HOLIDAY", "Christmas Day, between two terms"],
    ["2025-09-01", "AM", "HOLIDAY", "the summer holiday before the year's first term"],
    ["2026-03-02", "AM", "HOLIDAY", "after the last term entered for 2025/26: a day of a year with a calendar outside its terms"],
    ["2025-09-03", "AM", "CLOSED", "an INSET day"],
    ["2025-12-19", "PM", "CLOSED", "the closed afternoon of a half-day closure"],
    ["2026-01-22", "PM", "CLOSED", "a snow closure"],
    ["2027-03-10", "AM", "OUTSIDE_CALENDAR", "a year with no calendar at all (issue 14: March 2027)"],
    ["2030-01-07", "AM", "OUTSIDE_CALENDAR", "7 January 2030 (issue 14)"],
    ["2025-06-02", "AM", "OUTSIDE_CALENDAR", "2024/25, for which no terms were entered"],
  ] as const)("%s %s → %s (%s)", (date, session, reason, _why) => {
    expect(registerRefusal(calendar, date, session, TODAY, DEFAULT_MAX_DAYS_AHEAD)?.reason).toBe(reason);
  });

  it("names the closure's kind and reason, and the date", () => {
    expect(registerRefusal(calendar, "2026-01-21", "AM", TODAY, 0)).toMatchObject({
      reason: "CLOSED",
      closure: { kind: "UNEXPECTED", reason: "Snow" },
      message: "2026-01-21 AM: the academy is closed: an unexpected closure (Snow).",
    });
    expect(registerRefusal(calendar, "2025-12-19", "PM", TODAY, 0)?.message).toBe(
      "2025-12-19 PM: the academy is closed for the PM session: a planned closure (End of term: early finish).",
    );
  });

  it.each([
    // Registers are taken at the session (reg. 10(1)); an academy may allow advance entries.
    ["2026-02-02", 0, "TOO_FAR_AHEAD"],
    ["2026-02-02", 3, undefined],
    ["2026-02-03", 3, "TOO_FAR_AHEAD"], // Friday 30 January + 3 days is Monday 2 February
    ["2026-02-04", 5, undefined],
  ] as const)("%s with %i day(s) ahead allowed → %s", (date, ahead, reason) => {
    expect(registerRefusal(calendar, date, "AM", TODAY, ahead)?.reason).toBe(reason);
  });

  it("says how far ahead registers may be entered", () => {
    expect(registerRefusal(calendar, "2026-02-02", "AM", TODAY, 0)?.message).toBe("2026-02-02 AM is in the future: registers may be entered at most 0 days ahead (until 2026-01-30).");
  });

  it("names school years as calendars do", () => {
    expect([schoolYearLabel("2025-08-31"), schoolYearLabel("2025-09-01"), schoolYearLabel("2099-12-31")]).toEqual(["2024/25", "2025/26", "2099/00"]);
  });
});

describe("rollRefusal: a pupil's sessions are those on the admission register (SI 2024/208, regs 8 and 9)", () => {
  const stays = [
    { from: "2025-09-03", to: "2025-12-19" },
    { from: "2026-01-12", to: null },
  ];
  it.each([
    ["2025-09-03", undefined, "the day of admission is on roll"],
    ["2025-12-19", undefined, "the last day on roll is on roll"],
    ["2026-01-12", undefined, "re-admitted"],
    ["2025-09-02", "BEFORE_ADMISSION", "the day before admission"],
    ["2026-01-05", "AFTER_DELETION", "between deletion and re-admission"],
  ] as const)("%s → %s (%s)", (date, reason, _why) => {
    expect(rollRefusal(stays, date)?.reason).toBe(reason);
  });

  it("names the admission and deletion dates, and a pupil never on this academy's roll", () => {
    expect(rollRefusal(stays, "2025-09-02")?.message).toBe("2025-09-02 is before the pupil's admission on 2025-09-03 (reg. 8 of SI 2024/208: the admission register).");
    expect(rollRefusal([{ from: "2025-09-03", to: "2025-10-01" }], "2025-10-02")?.message).toMatch(/after the pupil's deletion .*last day on roll 2025-10-01/);
    expect(rollRefusal([], "2025-10-02")?.reason).toBe("NOT_ON_ROLL");
  });
});

describe("codeProblem: codes agree with arrival times (SI 2024/208, reg. 10 and table 1)", () => {
  // Seed 004 (Staverton), Appendix A1: "Registration session opens: 8:45 am",
  // "Register closes: 8:50 am"; "after 9:20 am it will be marked as unauthorised".
  const staverton: SessionTimes = { starts: "08:45", lateAfter: "08:50", closes: "09:20" };
  // Seed 003 (ATT), 6.6: "The second (afternoon) registration session starts at
  // 12.00pm and closes at 1.05pm".
  const attPm: SessionTimes = { starts: "12:00", lateAfter: "12:00", closes: "13:05" };

  it.each([
    // [code, session, arrival, times, expected code or undefined]
    ["/", "AM", "08:50", staverton, undefined], // by the late time: present
    ["/", "AM", "09:45", staverton, "U"], // issue 14: Staverton "/" at 09:45 was stored as present
    ["L", "AM", "10:30", staverton, "U"], // issue 14: "L" at 10:30 is after the register closed
    ["L", "AM", "08:51", staverton, undefined], // late before the close: L
    ["L", "AM", "09:20", staverton, undefined], // at the close itself: still L ("before the register closed")
    ["U", "AM", "09:21", staverton, undefined], // after the close: U
    ["U", "AM", "08:49", staverton, "/"], // on time is never U
    ["L", "AM", "08:45", staverton, "/"],
    ["\\", "PM", "11:58", attPm, undefined], // afternoon presence is \ (table 1)
    ["/", "PM", "11:58", attPm, "\\"],
    ["L", "PM", "13:05", attPm, undefined],
    ["U", "PM", "13:06", attPm, undefined],
    ["M", "AM", "10:30", staverton, undefined], // a reason code with a time: the officer's entry stands
    ["I", "AM", "09:45", staverton, undefined],
  ] as const)("%s in %s at %s → expected %s", (code, session, arrival, times, expected) => {
    expect(codeProblem(code, session, arrival, times)?.expected).toBe(expected);
  });

  it.each([
    // Without a time the officer's code stands, except a present code of the other session.
    ["/", "AM", undefined],
    ["L", "AM", undefined],
    ["U", "PM", undefined],
    ["N", "PM", undefined],
    ["\\", "AM", "/"],
    ["/", "PM", "\\"],
  ] as const)("%s in %s without a time → expected %s", (code, session, expected) => {
    expect(codeProblem(code, session, undefined, staverton)?.expected).toBe(expected);
  });

  it("names the expected code and why", () => {
    expect(codeProblem("/", "AM", "09:45", staverton)?.message).toBe('"/" does not agree with an arrival at 09:45: arrived after the register closed at 09:20, so the code is "U".');
  });
});
