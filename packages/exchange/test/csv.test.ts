// The CSV import formats: encoding, header and cell checks reported with their
// line, and every kind written and read back unchanged.
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, CSV_KINDS, emptyBatch, readers, writeCsv, type ImportBatch } from "../src/index.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const read = (kind: keyof typeof readers, text: string) => readers[kind](bytes(text), "f.csv");
const codes = (r: ReturnType<typeof read>) => r.problems.map((p) => [p.source.line, p.field, p.code]);

const PUPIL_HEADER = "upn,legal_forename,legal_surname,date_of_birth,gender,year_group,on_roll_from";

describe("reading", () => {
  it("reads a pupils file, with a byte-order mark and UK dates", () => {
    const r = read("pupils", `\uFEFF${PUPIL_HEADER},form,free_school_meals\r\nG820200125001,Robin,Example,01/05/2013,other,7,2025-09-03,7A,yes\r\n`);
    expect(r.problems).toEqual([]);
    expect(r.batch.pupils).toEqual([
      expect.objectContaining({ upn: "G820200125001", dateOfBirth: "2013-05-01", gender: "OTHER", yearGroup: 7, form: "7A", freeSchoolMeals: true, source: { file: "f.csv", line: 2 } }),
    ]);
  });

  it.each<[string, string, [number | undefined, string | undefined, string][]]>([
    // The formats are UTF-8 only: a Windows-1252 "é" (0xE9) on line 3.
    ["BAD_ENCODING on the line", "", [[3, undefined, "BAD_ENCODING"]]],
    ["missing and unknown columns", "upn,legal_forename,shoe_size\r\n", [[1, "shoe_size", "UNKNOWN_COLUMN"], [1, "legal_surname", "MISSING_COLUMN"], [1, "date_of_birth", "MISSING_COLUMN"], [1, "gender", "MISSING_COLUMN"], [1, "year_group", "MISSING_COLUMN"], [1, "on_roll_from", "MISSING_COLUMN"]]],
    ["bad cells, each on its line", `${PUPIL_HEADER}\nH820200125001,A,B,2013-05-01,OTHER,7,2025-09-03\nG820200125001,A,,2013-02-30,X,14,2025-09-03\n`,
      [[2, "upn", "BAD_UPN"], [3, "legal_surname", "MISSING_VALUE"], [3, "date_of_birth", "BAD_VALUE"], [3, "gender", "BAD_VALUE"], [3, "year_group", "BAD_VALUE"]]],
    ["a short row", `${PUPIL_HEADER}\nG820200125001,A\n`, [[2, undefined, "BAD_ROW"]]],
  ])("%s", (_name, text, expected) => {
    const r = text === ""
      ? readers.pupils(new Uint8Array([...bytes(`${PUPIL_HEADER}\nG820200125001,Robin,Example,2013-05-01,OTHER,7,2025-09-03\nG820200125001,Ren`), 0xe9, ...bytes("e,X,2013-05-01,OTHER,7,2025-09-03\n")]), "f.csv")
      : read("pupils", text);
    expect(codes(r)).toEqual(expected);
    expect(r.batch.pupils).toHaveLength(expected.length === 0 ? 1 : 0);
  });

  it("checks marks and calendar rows as a whole", () => {
    const marks = read("marks", "upn,date,session,code,minutes_late\nG820200125001,2025-09-03,AM,/,5\nG820200125001,2025-09-03,PM,L,5\nG820200125001,2025-09-03,XX,L,\n");
    expect(codes(marks)).toEqual([[2, "minutes_late", "BAD_VALUE"], [4, "session", "BAD_VALUE"]]);
    expect(marks.batch.marks).toHaveLength(1);
    const calendar = read("calendar", "kind,name,start_date,end_date,closure_kind,session\nTERM,Autumn 1,2025-09-03,2025-10-24,,\nCLOSURE,INSET,2025-09-01,2025-09-02,,\nCLOSURE,Strike,2025-10-01,2025-10-02,UNEXPECTED,AM\nTERM,Bad,2025-10-01,2025-09-01,,\n");
    expect(codes(calendar)).toEqual([[3, "closure_kind", "MISSING_VALUE"], [4, "session", "BAD_VALUE"], [5, "end_date", "BAD_VALUE"]]);
  });
});

describe("writing", () => {
  const batch: ImportBatch = {
    ...emptyBatch(),
    forms: [{ source: { file: "x" }, name: "7A", yearGroup: 7, tutorEmails: ["r.teacher@example.org", "s.teacher@example.org"] }],
    staff: [{ source: { file: "x" }, email: "r.teacher@example.org", displayName: "R Teacher", subject: null, role: "TEACHER" }],
    pupils: [{
      source: { file: "x" }, upn: "Y93812341900A", legalForename: "Zoë", legalSurname: "O'Example, Jr", preferredForename: null, dateOfBirth: "2013-05-01",
      gender: "FEMALE", yearGroup: 7, form: "7A", onRollFrom: "2025-09-03", senProvision: "EHCP", freeSchoolMeals: true, pupilPremium: false,
      englishAdditionalLanguage: false, lookedAfter: false, hasSocialWorker: true, registrationType: "DUAL_MAIN",
    }],
    carers: [{
      source: { file: "x" }, upn: "Y93812341900A", contactOrder: 1, salutation: "Ms Example", forename: "Alex", surname: "Example", relationship: "PAM",
      parentalResponsibility: true, addressLines: ["1 Example Street", "Exampleton"], telephones: [{ kind: "MOBILE", number: "07700 900123" }], email: "alex@example.org", noContact: false,
    }],
    calendar: [
      { source: { file: "x" }, kind: "TERM", academicYear: "2025/26", name: "Autumn 1", startDate: "2025-09-03", endDate: "2025-10-24", session: null },
      { source: { file: "x" }, kind: "CLOSURE", name: "Strike", startDate: "2025-10-01", endDate: "2025-10-01", closureKind: "UNEXPECTED", session: "PM" },
    ],
    marks: [{ source: { file: "x" }, upn: "Y93812341900A", date: "2025-09-03", session: "AM", code: "L", minutesLate: 12, note: "Bus \"late\"\nagain",
      arrivedAt: "2025-09-03T07:52:00Z", recordedBy: "r.teacher@example.org", recordedAt: "2025-09-03T07:53:30.250Z", amendmentReason: null }],
  };

  it.each(CSV_KINDS)("%s round-trips", (kind) => {
    const text = writeCsv(kind, batch);
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS[kind].map((c) => c.name).join(","));
    const back = readers[kind](bytes(text), "x");
    expect(back.problems).toEqual([]);
    const strip = (rows: object[]) => rows.map(({ source: _s, ...rest }: any) => rest);
    const key = kind as keyof ImportBatch;
    expect(strip(back.batch[key])).toEqual(strip(batch[key]));
  });
});

describe("docs/import-formats.md", () => {
  it("documents every column of every format", async () => {
    const { readFileSync } = await import("node:fs");
    const doc = readFileSync(new URL("../../../docs/import-formats.md", import.meta.url), "utf8");
    for (const kind of CSV_KINDS) {
      const section = doc.slice(doc.indexOf(`\n## ${kind}\n`));
      expect(doc.includes(`\n## ${kind}\n`), kind).toBe(true);
      for (const c of CSV_COLUMNS[kind]) expect(section, `${kind}.${c.name}`).toContain(`| \`${c.name}\` | ${c.required ? "yes" : "no"} |`);
    }
  });
});
