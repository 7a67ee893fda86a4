// How a cell of each type is read (zod schemas over the trimmed text of a
// non-empty cell). Shared by every CSV format.
import { z } from "zod";
import { isIsoDate, isSupportedDate, upnProblem } from "@attendance/core";

export const text = (max: number) => z.string().max(max, `at most ${max} characters`);

/**
 * A calendar date: ISO 8601 (2025-09-03), or the dd/mm/yyyy that English MIS
 * exports and spreadsheets write (03/09/2025), read day first as in the UK.
 */
export const date = z
  .string()
  .transform((s) => {
    const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    return uk ? `${uk[3]}-${uk[2]!.padStart(2, "0")}-${uk[1]!.padStart(2, "0")}` : s;
  })
  .refine((s) => isIsoDate(s) && isSupportedDate(s), "not a date (give 2025-09-03 or 03/09/2025)");

/** An instant, ISO 8601 with its offset (2025-09-03T08:47:00Z or 2025-09-03T09:47:00+01:00), as UTC ISO text (milliseconds only when not zero). */
export const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, "not a date and time with its offset (give 2025-09-03T08:47:00Z)")
  .refine((s) => !Number.isNaN(Date.parse(s)), "not a date and time")
  .transform((s) => new Date(s).toISOString().replace(/\.000Z$/, "Z"));

/** A UPN with its check letter verified (packages/core/src/pupils/upn.ts). */
export const upn = z
  .string()
  .transform((s) => s.toUpperCase())
  .superRefine((s, ctx) => {
    const problem = upnProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message });
  });

const TRUE = ["true", "yes", "y", "1"];
const FALSE = ["false", "no", "n", "0"];
export const bool = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine((s) => TRUE.includes(s) || FALSE.includes(s), "give true or false (or yes/no, Y/N, 1/0)")
  .transform((s) => TRUE.includes(s));

export const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, "not a whole number")
    .transform(Number)
    .refine((n) => n >= min && n <= max, `from ${min} to ${max}`);

export const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.toUpperCase())
    .refine((s): s is T => (values as readonly string[]).includes(s), `one of ${values.join(", ")}`) as unknown as z.ZodType<T>;

export const email = z
  .string()
  .max(254)
  .transform((s) => s.toLowerCase())
  .pipe(z.email("not an e-mail address"));

/** Several values in one cell, separated by "|" (a character no name, address line or number holds). */
export const list = <T>(item: z.ZodType<T, string>, max: number) =>
  z
    .string()
    .transform((s) => s.split("|").map((p) => p.trim()).filter((p) => p !== ""))
    .refine((items) => items.length <= max, `at most ${max} values`)
    .pipe(z.array(item));

export const LIST_SEPARATOR = "|";
