// Rates as the Department for Education publishes them: percentages to one
// decimal place, rounded half up ("round five up", the DfE analysts' rule, as
// in their dfeR package's round_five_up, rather than banker's rounding).
//
// Rates stay unrounded numbers everywhere else; only display rounds. Rounding
// works on the shortest decimal that reads back as the rate (String(rate)), not
// on rate × 100 in binary: 57/200 is 28.5% exactly, but 0.285 * 100 is
// 28.499999999999996 in floating point and toFixed(0) would give "28".

/**
 * A rate (0.1 for 10%) as a percentage string without the % sign, rounded half
 * up to `decimals` places (default 1, as the DfE publishes): percent(0.0995)
 * is "10.0". null stays null (no possible sessions: no rate).
 */
export function percent(rate: number, decimals?: number): string;
export function percent(rate: number | null, decimals?: number): string | null;
export function percent(rate: number | null, decimals = 1): string | null {
  if (rate === null) return null;
  if (!Number.isFinite(rate) || rate < 0) throw new RangeError(`a rate is a finite number ≥ 0, not ${rate}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) throw new RangeError(`decimals must be a whole number from 0 to 20, not ${decimals}`);
  // The shortest round-tripping decimal, e.g. "0.0995" or "1e-7", as digits and the position of the point.
  const [mantissa = "0", exponent = "0"] = String(rate).split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  let digits = whole + fraction;
  let point = whole.length + Number(exponent) + 2; // + 2: a percentage is the rate × 100
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  const cut = point + decimals;
  digits = digits.padEnd(cut + 1, "0");
  const kept = BigInt(digits.slice(0, cut) || "0") + (digits[cut]! >= "5" ? 1n : 0n);
  const text = kept.toString().padStart(decimals + 1, "0");
  return decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}
