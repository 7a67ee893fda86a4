// The national code table, checked case by case against its sources.
import { describe, expect, it } from "vitest";
import { codeOn, codesInForce, InvalidAttendanceCodeError, requireCodeOn } from "../src/index.ts";

const BEFORE = "2024-07-01"; // before the 2024 regulations: the set in seed 001 Appendix 1
const AFTER = "2025-09-08"; // from 19 August 2024: DESIGN.md §8

describe("attendance codes before 19 August 2024 (seed 001, Appendix 1)", () => {
  // Every code seed 001 lists, in the order its table gives them.
  it.each([
    ["/", "PRESENT"], ["\\", "PRESENT"], ["L", "PRESENT"],
    ["B", "APPROVED_ACTIVITY"], ["J", "APPROVED_ACTIVITY"], ["P", "APPROVED_ACTIVITY"], ["V", "APPROVED_ACTIVITY"], ["W", "APPROVED_ACTIVITY"],
    // seed 001 lists D with the approved activities; the DfE counts it as not possible (see national-codes.ts)
    ["D", "NOT_POSSIBLE"],
    ["C", "AUTHORISED_ABSENCE"], ["E", "AUTHORISED_ABSENCE"], ["H", "AUTHORISED_ABSENCE"], ["I", "AUTHORISED_ABSENCE"],
    ["M", "AUTHORISED_ABSENCE"], ["R", "AUTHORISED_ABSENCE"], ["S", "AUTHORISED_ABSENCE"], ["T", "AUTHORISED_ABSENCE"],
    ["G", "UNAUTHORISED_ABSENCE"], ["N", "UNAUTHORISED_ABSENCE"], ["O", "UNAUTHORISED_ABSENCE"], ["U", "UNAUTHORISED_ABSENCE"],
    ["X", "NOT_POSSIBLE"], ["Y", "NOT_POSSIBLE"], ["Z", "NOT_POSSIBLE"], ["#", "NOT_POSSIBLE"],
  ])("%s is %s", (code, category) => {
    expect(codeOn(code, BEFORE)?.category).toBe(category);
  });

  it("has exactly the 25 codes of seed 001", () => {
    expect(codesInForce(BEFORE).map((c) => c.code).sort()).toEqual(
      ["/", "\\", "L", "B", "D", "J", "P", "V", "W", "C", "E", "H", "I", "M", "R", "S", "T", "G", "N", "O", "U", "X", "Y", "Z", "#"].sort(),
    );
  });

  it.each(["K", "Q", "C1", "C2", "J1", "Y1", "Y7"])("%s did not exist yet", (code) => {
    expect(codeOn(code, BEFORE)).toBeUndefined();
  });
});

describe("attendance codes from 19 August 2024 (DESIGN.md §8)", () => {
  it.each([
    ["/", "PRESENT"], ["\\", "PRESENT"], ["L", "PRESENT"],
    ["K", "APPROVED_ACTIVITY"], ["V", "APPROVED_ACTIVITY"], ["P", "APPROVED_ACTIVITY"], ["W", "APPROVED_ACTIVITY"], ["B", "APPROVED_ACTIVITY"],
    ["C", "AUTHORISED_ABSENCE"], ["C1", "AUTHORISED_ABSENCE"], ["C2", "AUTHORISED_ABSENCE"], ["E", "AUTHORISED_ABSENCE"],
    ["I", "AUTHORISED_ABSENCE"], ["M", "AUTHORISED_ABSENCE"], ["J1", "AUTHORISED_ABSENCE"], ["R", "AUTHORISED_ABSENCE"],
    ["S", "AUTHORISED_ABSENCE"], ["T", "AUTHORISED_ABSENCE"],
    ["G", "UNAUTHORISED_ABSENCE"], ["N", "UNAUTHORISED_ABSENCE"], ["O", "UNAUTHORISED_ABSENCE"], ["U", "UNAUTHORISED_ABSENCE"],
    ["D", "NOT_POSSIBLE"], ["X", "NOT_POSSIBLE"], ["Q", "NOT_POSSIBLE"], ["Y1", "NOT_POSSIBLE"], ["Y2", "NOT_POSSIBLE"],
    ["Y3", "NOT_POSSIBLE"], ["Y4", "NOT_POSSIBLE"], ["Y5", "NOT_POSSIBLE"], ["Y6", "NOT_POSSIBLE"], ["Y7", "NOT_POSSIBLE"],
    ["Z", "NOT_POSSIBLE"], ["#", "NOT_POSSIBLE"],
  ])("%s is %s", (code, category) => {
    expect(codeOn(code, AFTER)?.category).toBe(category);
  });

  it.each(["H", "J", "Y"])("%s is no longer a code", (code) => {
    expect(codeOn(code, AFTER)).toBeUndefined();
  });

  it("switches on 19 August 2024 exactly", () => {
    expect(codeOn("H", "2024-08-18")).toBeDefined();
    expect(codeOn("H", "2024-08-19")).toBeUndefined();
    expect(codeOn("K", "2024-08-18")).toBeUndefined();
    expect(codeOn("K", "2024-08-19")).toBeDefined();
  });

  it("T changed meaning: traveller absence before, parent travelling for work after", () => {
    expect(codeOn("T", BEFORE)?.meaning).toMatch(/traveller/i);
    expect(codeOn("T", AFTER)?.meaning).toMatch(/occupational/i);
  });

  it("refuses a code not valid on the date, naming the valid ones", () => {
    expect(() => requireCodeOn("H", AFTER)).toThrow(InvalidAttendanceCodeError);
    expect(() => requireCodeOn("H", AFTER)).toThrow(/not an attendance code in force on 2025-09-08.*Valid codes then: \//);
  });
});
