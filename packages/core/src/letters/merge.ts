// Letter templates with merge fields, in the form seed 003's Appendix 7 uses
// («salutation», «address_block», «date_of_printing», «chosen_forename»,
// «him_her»). A template may use only the fields below: an unknown field is
// refused when the template is saved (the setting's schema checks it), so a
// parent never receives a letter with a blank or a «placeholder» in it.
import { z } from "zod";

/** Every merge field a template may use, with what it is filled with. */
export const MERGE_FIELDS = {
  salutation: "How the parents are addressed, e.g. \"Mr and Mrs Example\" (seed 003, Appendix 7)",
  address_block: "The parents' postal address, one line per part (seed 003, Appendix 7)",
  date_of_printing: "The date the letter is printed, e.g. \"23 November 2026\" (seed 003, Appendix 7)",
  chosen_forename: "The pupil's chosen forename (seed 003, Appendix 7)",
  legal_forename: "The pupil's legal forename",
  surname: "The pupil's surname",
  him_her: "him, her or them, by the pupil's recorded gender (seed 003, Appendix 7)",
  he_she: "he, she or they",
  his_her: "his, her or their",
  form_name: "The pupil's form or class",
  year_group: "The pupil's national curriculum year, e.g. \"Year 7\"",
  academy_name: "The academy's name (seed 003's \"(insert academy name)\")",
  attendance_percent: "The pupil's attendance this school year so far, e.g. \"87.4%\" (seed 003, 7.2 \"Your child's current attendance percentage is xx%\")",
} as const;

export type MergeField = keyof typeof MERGE_FIELDS;
export type MergeValues = Record<MergeField, string>;

const FIELD = /«([^«»]*)»/g;

/** The merge fields a text uses, in order of first use. */
export function mergeFieldsIn(text: string): string[] {
  return [...new Set([...text.matchAll(FIELD)].map((m) => m[1]!))];
}

export function isMergeField(name: string): name is MergeField {
  return Object.hasOwn(MERGE_FIELDS, name);
}

export const LetterTemplateSchema = z
  .object({
    /** Shown to staff choosing a letter, e.g. "Persistent absence letter". */
    title: z.string().min(1).max(200),
    /** The letter: paragraphs separated by blank lines, merge fields as «name». */
    body: z.string().min(1).max(20_000),
  })
  .superRefine((template, ctx) => {
    for (const part of ["title", "body"] as const) {
      const unknown = mergeFieldsIn(template[part]).filter((f) => !isMergeField(f));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: [part],
          message: `Unknown merge field${unknown.length > 1 ? "s" : ""} ${unknown.map((f) => `«${f}»`).join(", ")}. Known: ${Object.keys(MERGE_FIELDS).join(", ")}`,
        });
      }
    }
    if (/[«»]/.test(template.body.replace(FIELD, ""))) {
      ctx.addIssue({ code: "custom", path: ["body"], message: "An unmatched « or » is in the body: write merge fields as «name»." });
    }
  });

export type LetterTemplate = z.infer<typeof LetterTemplateSchema>;

/** Templates by key (letters.templates): keys are what actions and front ends refer to. */
export const LetterTemplatesSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9-]{0,49}$/, "a template key is lower-case letters, digits and dashes"), LetterTemplateSchema)
  .refine((t) => Object.keys(t).length > 0, { message: "give at least one template" });

export interface RenderedLetter {
  title: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Fills every merge field. Throws if a field has no value: a letter is never
 * rendered with a blank (the template was checked on save; this guards the
 * values).
 */
export function renderLetter(template: LetterTemplate, values: MergeValues): RenderedLetter {
  const fill = (text: string, escape: (s: string) => string) =>
    text.replace(FIELD, (_m, name: string) => {
      const value = isMergeField(name) ? values[name] : undefined;
      if (value === undefined || value.trim() === "") throw new Error(`No value for merge field «${name}»`);
      return escape(value);
    });
  const text = fill(template.body, (s) => s);
  const paragraphs = template.body.split(/\n\s*\n/).map((p) => `<p>${fill(escapeHtml(p), escapeHtml).replace(/\n/g, "<br>")}</p>`);
  return { title: fill(template.title, (s) => s), text, html: paragraphs.join("\n") };
}

/** Pronouns by recorded gender: "them/they/their" where none is recorded. */
export function pronouns(gender: "MALE" | "FEMALE" | "OTHER" | "UNKNOWN" | string): Pick<MergeValues, "him_her" | "he_she" | "his_her"> {
  if (gender === "MALE") return { him_her: "him", he_she: "he", his_her: "his" };
  if (gender === "FEMALE") return { him_her: "her", he_she: "she", his_her: "her" };
  return { him_her: "them", he_she: "they", his_her: "their" };
}
