// A trust-wide calendar inherited and overridden by its academies, and the
// checks on calendar input (issue 14, item 1). School years run from
// 1 September to 31 August (schoolYearOf).
import { describe, expect, it } from "vitest";
import { closureProblems, effectiveCalendar, schoolTermsProblems, schoolYearBounds, strandedClosures, type HalfTerm } from "../src/index.ts";

const trustTerms: HalfTerm[] = [
  { name: "Autumn 1", academicYear: "2026/27", start: "2026-09-02", end: "2026-10-23" },
  { name: "Autumn 2", academicYear: "2026/27", start: "2026-11-02", end: "2026-12-18" },
  { name: "Summer 2", academicYear: "2025/26", start: "2026-06-01", end: "2026-07-21" },
];
const academyTerms: HalfTerm[] = [{ name: "Autumn", academicYear: "2026/27", start: "2026-09-07", end: "2026-12-16" }];

describe("effectiveCalendar", () => {
  it("inherits the trust's half terms for a year the academy has none of its own", () => {
    const c = effectiveCalendar({ terms: trustTerms, closures: [] }, { terms: [], closures: [] });
    expect(c.terms.map((t) => [t.name, t.source])).toEqual([["Summer 2", "TRUST"], ["Autumn 1", "TRUST"], ["Autumn 2", "TRUST"]]);
  });

  it("replaces the trust's half terms of a year, and only that year, with the academy's own", () => {
    const c = effectiveCalendar({ terms: trustTerms, closures: [] }, { terms: academyTerms, closures: [] });
    expect(c.terms.map((t) => [t.academicYear, t.name, t.source])).toEqual([["2025/26", "Summer 2", "TRUST"], ["2026/27", "Autumn", "ACADEMY"]]);
  });

  it.each([
    ["a trust INSET day in term", { start: "2026-10-23", end: "2026-10-23" }, true],
    ["a trust closure in the academy's own holiday", { start: "2026-12-17", end: "2026-12-18" }, false],
    ["a trust closure in the summer holiday", { start: "2026-08-03", end: "2026-08-03" }, false],
  ])("keeps the trust's closures within the academy's half terms: %s", (_name, dates, kept) => {
    const closure = { kind: "INSET" as const, ...dates, reason: "Training" };
    const c = effectiveCalendar({ terms: trustTerms, closures: [closure] }, { terms: academyTerms, closures: [] });
    expect(c.closures.length).toBe(kept ? 1 : 0);
  });

  it("applies both the trust's closures and the academy's, each with its source, in date order", () => {
    const c = effectiveCalendar(
      { terms: trustTerms, closures: [{ kind: "INSET", start: "2026-11-02", end: "2026-11-02" }] },
      { terms: [], closures: [{ kind: "PLANNED", start: "2026-09-02", end: "2026-09-02", session: "PM", reason: "Polling station" }] },
    );
    expect(c.closures.map((x) => [x.start, x.source])).toEqual([["2026-09-02", "ACADEMY"], ["2026-11-02", "TRUST"]]);
  });
});

describe("schoolYearBounds", () => {
  it.each([
    ["2026/27", { start: "2026-09-01", end: "2027-08-31" }],
    ["1999/00", undefined], // before the dates the service accepts
    ["2099/00", undefined], // ends after them
    ["2026/28", undefined], // not consecutive years
    ["2026-27", undefined],
    ["walker", undefined],
  ])("%s", (name, bounds) => expect(schoolYearBounds(name)).toEqual(bounds));
});

describe("schoolTermsProblems", () => {
  const ok = [
    { name: "Autumn 1", start: "2026-09-02", end: "2026-10-23" },
    { name: "Autumn 2", start: "2026-11-02", end: "2026-12-18" },
  ];
  it("accepts half terms within the year, in any order", () => {
    expect(schoolTermsProblems("2026/27", [ok[1]!, ok[0]!])).toEqual([]);
  });
  it("accepts none: the academy then inherits the trust's half terms", () => {
    expect(schoolTermsProblems("2026/27", [])).toEqual([]);
  });
  it.each([
    ["a year that is not one", "2026/28", ok, "schoolYear"],
    ["more than twelve half terms", "2026/27", Array.from({ length: 13 }, (_, i) => ({ name: `T${i}`, start: `2026-09-${String(i + 1).padStart(2, "0")}`, end: `2026-09-${String(i + 1).padStart(2, "0")}` })), "terms"],
    ["an end before the start", "2026/27", [{ name: "A", start: "2026-10-23", end: "2026-09-02" }], "terms[0].endDate"],
    ["a start before 1 September", "2026/27", [{ name: "A", start: "2026-08-31", end: "2026-10-23" }], "terms[0].startDate"],
    ["an end after 31 August", "2026/27", [{ name: "A", start: "2027-06-07", end: "2027-09-01" }], "terms[0].endDate"],
    ["overlapping half terms", "2026/27", [ok[0]!, { name: "Autumn 2", start: "2026-10-23", end: "2026-12-18" }], "terms[1].startDate"],
    ["a blank name", "2026/27", [{ ...ok[0]!, name: "  " }], "terms[0].name"],
    ["two with one name", "2026/27", [ok[0]!, { ...ok[1]!, name: "Autumn 1" }], "terms[1].name"],
  ])("refuses %s, naming the field", (_name, year, terms, field) => {
    expect(schoolTermsProblems(year, terms).map((p) => p.field)).toContain(field);
  });
});

describe("closureProblems", () => {
  const terms = trustTerms.slice(0, 2);
  it.each([
    ["a whole day in term", { start: "2026-09-02", end: "2026-09-02", reason: "INSET" }, []],
    ["one session of one day", { start: "2026-09-03", end: "2026-09-03", session: "PM" as const, reason: "Polling station" }, []],
    ["days across a weekend in term", { start: "2026-09-04", end: "2026-09-07", reason: "Snow" }, []],
    ["an end before the start", { start: "2026-09-04", end: "2026-09-03", reason: "Snow" }, ["endDate"]],
    ["one session over two days", { start: "2026-09-03", end: "2026-09-04", session: "AM" as const, reason: "Snow" }, ["session"]],
    ["a day in half term", { start: "2026-10-26", end: "2026-10-26", reason: "Snow" }, ["startDate"]],
    ["days spanning half term", { start: "2026-10-23", end: "2026-11-02", reason: "Snow" }, ["startDate"]],
    ["no reason", { start: "2026-09-02", end: "2026-09-02", reason: " " }, ["reason"]],
  ])("%s", (_name, closure, fields) => {
    expect(closureProblems(closure, terms).map((p) => p.field)).toEqual(fields);
  });
});

describe("strandedClosures", () => {
  it("names the closures a change of half terms would leave outside every half term", () => {
    const closures = [
      { kind: "INSET" as const, start: "2026-09-02", end: "2026-09-02" },
      { kind: "INSET" as const, start: "2026-11-02", end: "2026-11-02" },
    ];
    expect(strandedClosures(closures, academyTerms)).toEqual([0]);
    expect(strandedClosures(closures, trustTerms)).toEqual([]);
  });
});
