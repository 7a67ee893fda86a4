// The leave-of-absence form as a zod schema built from the academy's fields.
import { describe, expect, it } from "vitest";
import { BASE_LEAVE_FORM, LeaveFormSchema, leaveAnswersSchema } from "../src/index.ts";

const form = LeaveFormSchema.parse([
  ...BASE_LEAVE_FORM,
  { name: "foreignTravel", label: "Foreign travel?", type: "BOOLEAN" },
  { name: "travelDetails", label: "Booking details", type: "TEXT", required: false },
  { name: "returnDate", label: "Return date", type: "DATE" },
]);
const schema = leaveAnswersSchema(form);
const ok = { purpose: "Family event", circumstances: "A wedding abroad", foreignTravel: true, returnDate: "2026-01-10" };

describe("leave answers", () => {
  it.each([
    ["a complete answer", ok, true],
    ["an optional field given", { ...ok, travelDetails: "Flight details" }, true],
    ["a required field missing", { ...ok, circumstances: undefined }, false],
    ["a blank text", { ...ok, circumstances: "   " }, false],
    ["a choice not offered", { ...ok, purpose: "Skiing" }, false],
    ["a bad date", { ...ok, returnDate: "10/01/2026" }, false],
    ["an answer the form does not ask", { ...ok, extra: "x" }, false],
  ])("%s → valid %s", (_name, answers, valid) => expect(schema.safeParse(answers).success).toBe(valid));

  it.each([
    ["two fields with one name", [...BASE_LEAVE_FORM, BASE_LEAVE_FORM[0]]],
    ["a choice without options", [{ name: "x", label: "X", type: "CHOICE" }]],
    ["options on a text field", [{ name: "x", label: "X", type: "TEXT", options: ["a", "b"] }]],
  ])("a form with %s is refused", (_name, fields) => expect(LeaveFormSchema.safeParse(fields).success).toBe(false));
});
