// ATT's letters (seed 003, Appendix 7) as templates with merge fields.
import { describe, expect, it } from "vitest";
import { LetterTemplatesSchema, mergeFieldsIn, renderLetter, pronouns } from "@attendance/core";
import att from "../src/index.ts";

const templates = att.settings["letters.templates"]!.value;

describe("Appendix 7 letter templates", () => {
  it.each(Object.keys(templates))("%s uses seed 003's merge fields and passes the template schema", (key) => {
    const template = templates[key]!;
    expect(mergeFieldsIn(template.body)).toEqual(expect.arrayContaining(["salutation", "address_block", "date_of_printing"]));
    expect(LetterTemplatesSchema.safeParse({ [key]: template }).success).toBe(true);
  });

  it("7.1 speaks of «chosen_forename» and «him_her» and renders with none left", () => {
    const letter = renderLetter(templates["attendance-support"]!, {
      salutation: "Ms Example", address_block: "1 Invented Road", date_of_printing: "1 December 2026", chosen_forename: "Alex",
      legal_forename: "Alexandra", surname: "Example", ...pronouns("FEMALE"), form_name: "8B", year_group: "Year 8",
      academy_name: "Example Academy", attendance_percent: "88.0%",
    });
    expect(letter.text).toContain("prevent her from wanting to attend");
    expect(letter.text).not.toMatch(/[«»]/);
  });
});
