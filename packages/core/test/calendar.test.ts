// The school calendar and school weeks, against a small hand-made calendar
// shaped like an English 2025/26 school year (with the end of 2024/25, so that
// windows can cross the summer). Each case cites its rule.
import { describe, expect, it } from "vitest";
import {
  halfTermOn,
  isSchoolDay,
  isSchoolWeek,
  possibleSessions,
  rollingSchoolWeekWindow,
  schoolCalendar,
  schoolWeeks,
  sessionsOn,
  weekOf,
  type SchoolCalendar,
} from "../src/index.ts";

/** Northfield Academy: the demo data's 2025/26 dates, plus the summer of 2024/25. */
const northfield: SchoolCalendar = schoolCalendar({
  terms: [
    { name: "Summer 1", academicYear: "2024/25", start: "2025-04-22", end: "2025-05-23" },
    { name: "Summer 2", academicYear: "2024/25", start: "2025-06-02", end: "2025-07-22" },
    { name: "Autumn 1", academicYear: "2025/26", start: "2025-09-03", end: "2025-10-24" },
    { name: "Autumn 2", academicYear: "2025/26", start: "2025-11-03", end: "2025-12-19" },
    { name: "Spring 1", academicYear: "2025/26", start: "2026-01-05", end: "2026-02-13" },
    { name: "Spring 2", academicYear: "2025/26", start: "2026-02-23", end: "2026-03-27" },
    { name: "Summer 1", academicYear: "2025/26", start: "2026-04-13", end: "2026-05-22" },
    { name: "Summer 2", academicYear: "2025/26", start: "2026-06-01", end: "2026-07-21" },
  ],
  closures: [
    { kind: "BANK_HOLIDAY", start: "2025-05-05", end: "2025-05-05", reason: "Early May bank holiday" },
    { kind: "INSET", start: "2025-09-03", end: "2025-09-03", reason: "Staff training day" },
    { kind: "PLANNED", start: "2025-12-19", end: "2025-12-19", session: "PM", reason: "End of term: early finish" },
    { kind: "INSET", start: "2026-01-05", end: "2026-01-05", reason: "Staff training day" },
    { kind: "BANK_HOLIDAY", start: "2026-05-04", end: "2026-05-04", reason: "Early May bank holiday" },
    { kind: "INSET", start: "2026-06-01", end: "2026-06-01", reason: "Staff training day" },
    { kind: "PLANNED", start: "2026-07-21", end: "2026-07-21", session: "PM", reason: "End of year: early finish" },
  ],
});

/** The same academy in a year when snow shut the site for a whole week. */
const northfieldSnow: SchoolCalendar = {
  ...northfield,
  closures: [...northfield.closures, { kind: "UNEXPECTED", start: "2026-03-02", end: "2026-03-06", reason: "Snow" }],
};

/** Southfield Academy, another LA's dates: its October half term is a week earlier. */
const southfield: SchoolCalendar = schoolCalendar({
  terms: [
    { name: "Autumn 1", academicYear: "2025/26", start: "2025-09-02", end: "2025-10-17" },
    { name: "Autumn 2", academicYear: "2025/26", start: "2025-10-27", end: "2025-12-19" },
  ],
  closures: [],
});

describe("sessions on a day (Pupil Registration Regulations 2024: two sessions a day; holidays and closures have none)", () => {
  it.each([
    ["2025-09-04", ["AM", "PM"], "an ordinary Thursday in term"],
    ["2025-09-03", [], "an INSET day: no sessions for pupils"],
    ["2025-09-06", [], "a Saturday in term"],
    ["2025-10-29", [], "the October half-term holiday (between half terms)"],
    ["2025-08-15", [], "the summer holiday"],
    ["2026-05-04", [], "a bank holiday in term"],
    ["2025-12-19", ["AM"], "a half-day closure leaves one session"],
    ["2026-07-21", ["AM"], "the last day of the year, closed in the afternoon"],
    ["2027-01-04", [], "a date outside the calendar"],
  ])("%s → %j: %s", (date, sessions, _why) => {
    expect(sessionsOn(northfield, date)).toEqual(sessions);
    expect(isSchoolDay(northfield, date)).toBe(sessions.length > 0);
  });

  it("lists the possible sessions of a range: the first week of the year, after a Wednesday INSET day", () => {
    expect(possibleSessions(northfield, "2025-09-01", "2025-09-07")).toEqual([
      { date: "2025-09-04", session: "AM" },
      { date: "2025-09-04", session: "PM" },
      { date: "2025-09-05", session: "AM" },
      { date: "2025-09-05", session: "PM" },
    ]);
  });

  it("offers 380 sessions in the 2025/26 school year (DESIGN.md §8: a year offers 380 sessions)", () => {
    expect(possibleSessions(northfield, "2025-09-01", "2026-08-31")).toHaveLength(380);
  });

  it("walks only term days: a range to the end of the century costs what the calendar holds (issue 13)", () => {
    // The sessions are those of the school year; the walk does not visit the 27,000 days after it.
    const first = northfield.terms[0]!.start;
    const last = northfield.terms.at(-1)!.end;
    expect(possibleSessions(northfield, "2000-01-01", "2099-12-31")).toEqual(possibleSessions(northfield, first, last));
    expect(schoolWeeks([northfield], "2000-01-01", "2099-12-31")).toEqual(schoolWeeks([northfield], first, last));
  });

  it("loses the sessions of an unexpected whole-site closure (code Y4 territory, DESIGN.md §8)", () => {
    expect(possibleSessions(northfieldSnow, "2025-09-01", "2026-08-31")).toHaveLength(370);
  });
});

describe("half terms", () => {
  it.each([
    ["2025-11-12", "Autumn 2", "2025/26"],
    ["2025-11-15", "Autumn 2", "2025/26"], // a weekend within a half term belongs to it
    ["2025-09-03", "Autumn 1", "2025/26"], // an INSET day is still in its half term
    ["2025-07-22", "Summer 2", "2024/25"],
    ["2025-10-29", undefined, undefined], // a holiday is in no half term
    ["2025-08-20", undefined, undefined],
  ])("%s is in %s %s", (date, name, year) => {
    const term = halfTermOn(northfield, date);
    expect(term?.name).toBe(name);
    expect(term?.academicYear).toBe(year);
  });
});

describe("school weeks (national framework: a school week is any week with at least one school session)", () => {
  it("runs Monday to Sunday", () => {
    expect(weekOf("2025-11-12")).toEqual({ start: "2025-11-10", end: "2025-11-16" });
    expect(weekOf("2025-11-10")).toEqual({ start: "2025-11-10", end: "2025-11-16" });
    expect(weekOf("2025-11-16")).toEqual({ start: "2025-11-10", end: "2025-11-16" });
  });

  it.each([
    ["2025-10-27", false, "a half-term holiday week has no session"],
    ["2026-01-05", true, "a single INSET day (Monday) leaves four days of sessions"],
    ["2025-09-01", true, "a week whose term starts on Wednesday, after an INSET day, has Thursday and Friday"],
    ["2025-12-15", true, "the last week of term, with a half-day closure"],
    ["2025-07-21", true, "two days of term (Monday and Tuesday) before the summer make a school week"],
    ["2025-08-04", false, "a summer-holiday week"],
  ])("week of %s: school week %s (%s)", (monday, expected, _why) => {
    expect(isSchoolWeek([northfield], weekOf(monday))).toBe(expected);
  });

  it("does not count a week of unexpected closure: no session took place", () => {
    expect(isSchoolWeek([northfieldSnow], weekOf("2026-03-02"))).toBe(false);
  });

  it("lists the school weeks of a range, skipping the half-term holiday", () => {
    expect(schoolWeeks([northfield], "2025-10-20", "2025-11-09").map((w) => w.start)).toEqual(["2025-10-20", "2025-11-03"]);
  });

  it("takes whole weeks: a range ending mid-week still lists that week", () => {
    expect(schoolWeeks([northfield], "2025-09-01", "2025-09-02").map((w) => w.start)).toEqual(["2025-09-01"]);
  });

  it("counts a week in which any of a dual-registered pupil's schools met (framework: the window spans schools)", () => {
    // Both registrations in force all term: Southfield meets in Northfield's half term and vice versa.
    expect(schoolWeeks([northfield, southfield], "2025-10-13", "2025-11-09").map((w) => w.start)).toEqual([
      "2025-10-13", "2025-10-20", "2025-10-27", "2025-11-03",
    ]);
  });

  it("counts only the days a pupil who moved school was on each roll", () => {
    // At Southfield until Friday 17 October, at Northfield from Monday 20 October:
    // Southfield's half term (20–24 Oct) was Northfield's term time, and
    // Northfield's half term (27–31 Oct) is a holiday for this pupil although Southfield met.
    const pupil = [{ calendar: southfield, to: "2025-10-17" }, { calendar: northfield, from: "2025-10-20" }];
    expect(schoolWeeks(pupil, "2025-10-13", "2025-11-09").map((w) => w.start)).toEqual(["2025-10-13", "2025-10-20", "2025-11-03"]);
  });
});

describe("rolling window of school weeks (national framework: 10 sessions within a rolling 10 school weeks; spans terms and school years)", () => {
  it.each([
    {
      why: "10 school weeks ending just after the October half term stretch back 11 calendar weeks",
      endDate: "2025-11-12", weeks: 10, from: "2025-09-01", to: "2025-11-16", calendarWeeks: 11,
    },
    {
      why: "10 school weeks ending in September cross the summer holiday into the previous school year",
      endDate: "2025-09-10", weeks: 10, from: "2025-06-02", to: "2025-09-14", calendarWeeks: 15,
    },
    {
      why: "an 11th school week skips the May half term as well",
      endDate: "2025-09-10", weeks: 11, from: "2025-05-19", to: "2025-09-14", calendarWeeks: 17,
    },
    {
      why: "across Christmas: two holiday weeks skipped, the INSET week of 5 January counts",
      endDate: "2026-01-07", weeks: 10, from: "2025-10-13", to: "2026-01-11", calendarWeeks: 13,
    },
    {
      why: "ending in a holiday week: that week is in the range but is not a school week",
      endDate: "2025-10-29", weeks: 2, from: "2025-10-13", to: "2025-11-02", calendarWeeks: 3,
    },
  ])("$why", ({ endDate, weeks, from, to, calendarWeeks }) => {
    const window = rollingSchoolWeekWindow([northfield], endDate, weeks);
    expect(window).toMatchObject({ from, to, calendarWeeks, complete: true });
    expect(window.schoolWeeks).toHaveLength(weeks);
    expect(window.schoolWeeks.at(0)?.start).toBe(from);
  });

  it("spans two school years across the summer (framework: the period can span school years)", () => {
    const window = rollingSchoolWeekWindow([northfield], "2025-09-10", 10);
    expect(halfTermOn(northfield, window.from)?.academicYear).toBe("2024/25");
    expect(halfTermOn(northfield, window.to)?.academicYear).toBe("2025/26");
  });

  it("spans schools: a pupil who moved counts the old school's weeks before the move", () => {
    const pupil = [{ calendar: southfield, to: "2025-10-17" }, { calendar: northfield, from: "2025-10-20" }];
    // Northfield alone would skip only its own half term; here 27 Oct is skipped too, and September comes from Southfield.
    const window = rollingSchoolWeekWindow(pupil, "2025-11-12", 10);
    expect(window).toMatchObject({ from: "2025-09-01", to: "2025-11-16", calendarWeeks: 11, complete: true });
    expect(window.schoolWeeks.map((w) => w.start)).not.toContain("2025-10-27");
  });

  it("says when the calendars run out before the window is full", () => {
    const window = rollingSchoolWeekWindow([northfield], "2025-09-10", 30);
    expect(window.complete).toBe(false);
    expect(window.schoolWeeks).toHaveLength(15); // 5 in Summer 1, 8 in Summer 2 (2024/25), 2 in September
    expect(window.from).toBe("2025-04-21");
  });

  it("rejects a window that is not a positive whole number of weeks", () => {
    expect(() => rollingSchoolWeekWindow([northfield], "2025-09-10", 0)).toThrow(RangeError);
    expect(() => rollingSchoolWeekWindow([northfield], "2025-09-10", 2.5)).toThrow(RangeError);
  });
});

describe("calendar validation", () => {
  it.each([
    ["overlapping half terms", { terms: [{ name: "A", academicYear: "2025/26", start: "2025-09-01", end: "2025-10-24" }, { name: "B", academicYear: "2025/26", start: "2025-10-20", end: "2025-12-19" }], closures: [] }],
    ["a half term ending before it starts", { terms: [{ name: "A", academicYear: "2025/26", start: "2025-10-24", end: "2025-09-01" }], closures: [] }],
    ["a date that does not exist", { terms: [{ name: "A", academicYear: "2025/26", start: "2025-09-01", end: "2025-09-31" }], closures: [] }],
    ["an unknown closure kind", { terms: [], closures: [{ kind: "SNOW", start: "2025-09-01", end: "2025-09-01" }] }],
  ])("rejects %s", (_why, input) => {
    expect(() => schoolCalendar(input)).toThrow();
  });

  it("sorts half terms by date", () => {
    const c = schoolCalendar({ terms: [northfield.terms[3], northfield.terms[2]], closures: [] });
    expect(c.terms.map((t) => t.name)).toEqual(["Autumn 1", "Autumn 2"]);
  });
});
