// Letter templates and merge fields (seed 003, Appendix 7).
import { describe, expect, it } from "vitest";
import { LetterTemplateSchema, mergeFieldsIn, pronouns, renderLetter, type MergeValues } from "../src/index.ts";

const values: MergeValues = {
  salutation: "Mr and Mrs Example",
  address_block: "1 Invented Road\nExampletown",
  date_of_printing: "23 November 2026",
  chosen_forename: "Sam",
  legal_forename: "Samuel",
  surname: "Example",
  ...pronouns("MALE"),
  form_name: "7A",
  year_group: "Year 7",
  academy_name: "Example Academy",
  attendance_percent: "87.5%",
};

describe("merge fields", () => {
  it.each([
    // Seed 003, 7.1: "Dear «salutation»," … "prevent «him_her» from wanting to attend"
    ["Dear «salutation», «chosen_forename» and «him_her»", ["salutation", "chosen_forename", "him_her"]],
    ["no fields", []],
    ["«salutation» twice «salutation»", ["salutation"]],
  ])("%s uses %o", (text, fields) => expect(mergeFieldsIn(text)).toEqual(fields));

  it.each([
    ["Dear «salutation»,", true, undefined],
    // An unknown field is refused when the template is saved, not left blank in a letter.
    ["Dear «parent_title»,", false, "Unknown merge field «parent_title»"],
    ["Dear «salutation,", false, "unmatched"],
  ])("template body %s valid: %s", (body, ok, message) => {
    const parsed = LetterTemplateSchema.safeParse({ title: "t", body });
    expect(parsed.success).toBe(ok);
    if (message) expect(parsed.error!.issues[0]!.message).toContain(message);
  });
});

describe("rendering", () => {
  it("fills every field, escapes HTML and keeps paragraphs", () => {
    const letter = renderLetter({ title: "For «chosen_forename»", body: "Dear «salutation»,\n\n«chosen_forename» & «him_her»\n\n«address_block»" }, values);
    expect(letter.title).toBe("For Sam");
    expect(letter.text).toBe("Dear Mr and Mrs Example,\n\nSam & him\n\n1 Invented Road\nExampletown");
    expect(letter.html).toBe("<p>Dear Mr and Mrs Example,</p>\n<p>Sam &#38; him</p>\n<p>1 Invented Road<br>Exampletown</p>");
    expect(letter.text).not.toMatch(/[«»]/);
  });

  it("refuses to render a field with no value", () => {
    expect(() => renderLetter({ title: "t", body: "«surname»" }, { ...values, surname: " " })).toThrow("«surname»");
  });

  it.each([
    ["MALE", "him"],
    ["FEMALE", "her"],
    ["OTHER", "them"],
  ])("pronoun for %s is %s", (gender, him) => expect(pronouns(gender).him_her).toBe(him));
});
