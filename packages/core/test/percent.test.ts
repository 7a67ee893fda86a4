// Percentages as the DfE publishes them (one decimal place, fives rounded up).
import { describe, expect, it } from "vitest";
import { percent } from "../src/index.ts";

describe("percent: the DfE publishes percentages to one decimal place, fives rounded up", () => {
  it.each([
    [0.1, 1, "10.0"],
    [1 / 3, 1, "33.3"],
    [2 / 3, 1, "66.7"],
    [199 / 2000, 1, "10.0"], // 9.95% exactly: a five rounds up, as the DfE's round_five_up does
    [57 / 200, 0, "29"], // 28.5% exactly; 0.285 * 100 is 28.499999999999996 in binary, which toFixed(0) would make "28"
    [0.07 * 3, 1, "21.0"], // 0.21000000000000002: binary noise does not reach the digits shown
    [0.12345, 2, "12.35"],
    [0.9, 1, "90.0"],
    [1, 1, "100.0"],
    [0, 1, "0.0"],
    [0.99999, 1, "100.0"],
    [1e-7, 1, "0.0"],
    [5e-6, 4, "0.0005"],
    [37 / 380, 1, "9.7"],
    [0.125, 0, "13"],
  ])("percent(%d, %i) = %s", (rate, decimals, expected) => {
    expect(percent(rate, decimals)).toBe(expected);
  });

  it("defaults to one decimal place and keeps null (no possible sessions) as null", () => {
    expect(percent(0.0995)).toBe("10.0");
    expect(percent(null)).toBeNull();
  });

  it.each([-0.1, Number.NaN, Number.POSITIVE_INFINITY])("rejects the rate %s", (rate) => {
    expect(() => percent(rate)).toThrow(RangeError);
  });
});
