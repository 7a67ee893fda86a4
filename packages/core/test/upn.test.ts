// UPN check letters, each case worked by hand from the DfE "Unique Pupil
// Numbers (UPN): A guide for schools and local authorities", Annex "Check
// letter calculation": characters 2–13 times weights 2–13, sum mod 23, remainder
// indexes ABCDEFGHJKLMNPQRTUVWXYZ; a temporary UPN's 13th letter counts as its
// value in that table.
import { describe, expect, it } from "vitest";
import { isTemporaryUpn, upnCheckLetter, upnProblem, withUpnCheckLetter } from "../src/index.ts";

describe("UPN check letter (UPN guide, Annex)", () => {
  it.each([
    // body, sum of weighted characters, remainder mod 23, letter
    ["000000000000", "sum 0, remainder 0", "A"],
    ["000000000001", "1×13 = 13, remainder 13", "P"],
    ["820200125001", "8×2+2×3+2×5+1×8+2×9+5×10+1×13 = 121, remainder 6", "G"],
    ["111111111111", "2+3+…+13 = 90, remainder 21", "Y"],
    // Temporary UPN: A in position 13 counts 0.
    ["93812341900A", "9×2+3×3+8×4+1×5+2×6+3×7+4×8+1×9+9×10 = 228, remainder 21", "Y"],
    // Temporary UPN: Z counts 22; eleven ones weigh 2+…+12 = 77.
    ["11111111111Z", "77 + 22×13 = 363, remainder 18", "V"],
  ])("%s: %s → %s", (body, _working, letter) => {
    expect(upnCheckLetter(body)).toBe(letter);
  });

  it.each([
    ["G820200125001", undefined],
    ["Y93812341900A", undefined],
    ["H820200125001", "BAD_UPN_CHECK_LETTER"],
    // Two adjacent digits swapped: the check letter catches it.
    ["G802200125001", "BAD_UPN_CHECK_LETTER"],
    ["G82020012500", "BAD_UPN_FORMAT"],
    ["g820200125001", "BAD_UPN_FORMAT"],
    ["1820200125001", "BAD_UPN_FORMAT"],
    // I, O and S are not in the table: never a temporary UPN's last letter.
    ["A93812341900O", "BAD_UPN_FORMAT"],
  ])("%s → %s", (upn, code) => {
    expect(upnProblem(upn)?.code).toBe(code);
  });

  it("knows temporary UPNs and makes valid ones", () => {
    expect(isTemporaryUpn("Y93812341900A")).toBe(true);
    expect(isTemporaryUpn("G820200125001")).toBe(false);
    expect(withUpnCheckLetter("820200125001")).toBe("G820200125001");
    expect(() => withUpnCheckLetter("82020012500")).toThrow();
  });
});
