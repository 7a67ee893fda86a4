// The leave-of-absence request form: each academy's fields come from its
// policy (setting "leave.form"), and are turned into a zod schema here so a
// request is validated against the form the academy actually publishes.
// Dates and sessions of the leave are not form fields: every request has them.
import { z } from "zod";

export const LeaveFormFieldSchema = z
  .object({
    /** The answer's key, e.g. "purpose". */
    name: z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, "a field name is camelCase letters and digits"),
    /** The question as the form asks it. */
    label: z.string().min(1).max(300),
    type: z.enum(["TEXT", "BOOLEAN", "DATE", "CHOICE"]),
    required: z.boolean().default(true),
    /** The choices, for a CHOICE field. */
    options: z.array(z.string().min(1).max(100)).min(2).max(30).optional(),
    /** Longest text answer, for a TEXT field. */
    maxLength: z.number().int().min(1).max(5000).default(2000),
  })
  .refine((f) => (f.type === "CHOICE") === (f.options !== undefined), { message: "a CHOICE field, and only one, has options" });

export type LeaveFormField = z.infer<typeof LeaveFormFieldSchema>;

export const LeaveFormSchema = z
  .array(LeaveFormFieldSchema)
  .min(1)
  .max(40)
  .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, { message: "two fields have the same name" });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The zod schema of a form's answers: unknown answers are refused, not dropped. */
export function leaveAnswersSchema(fields: readonly LeaveFormField[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    let schema: z.ZodType;
    switch (field.type) {
      case "TEXT":
        schema = z.string().trim().min(1, `${field.label}: an answer is needed`).max(field.maxLength);
        break;
      case "BOOLEAN":
        schema = z.boolean();
        break;
      case "DATE":
        schema = z.string().regex(ISO_DATE, "a date as YYYY-MM-DD");
        break;
      case "CHOICE":
        schema = z.enum(field.options as [string, ...string[]]);
        break;
    }
    shape[field.name] = field.required ? schema : schema.optional();
  }
  return z.strictObject(shape);
}

export type LeaveAnswers = Record<string, string | boolean | undefined>;

/**
 * What every request asks, under the 2024 Regulations (leave only in
 * exceptional circumstances, applied for in writing and in advance): the
 * national plugin's form, and the start of academies' own.
 */
export const BASE_LEAVE_FORM: LeaveFormField[] = [
  {
    name: "purpose",
    label: "What is the leave for?",
    type: "CHOICE",
    required: true,
    options: ["Family holiday", "Family event", "Religious observance", "Bereavement or family emergency", "Medical", "Other"],
    maxLength: 2000,
  },
  { name: "circumstances", label: "Why are the circumstances exceptional?", type: "TEXT", required: true, maxLength: 2000 },
];
