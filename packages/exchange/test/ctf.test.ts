// The Common Transfer File: written for a leaving pupil and read back into
// the same rows; every problem in a bad file named by its element path.
// Element names: the DfE's CTF specification (CTfile, Header, CTFpupilData,
// Pupil, Contacts/Contact, Attendance/YearData, AttendSessions).
import { describe, expect, it } from "vitest";
import { readCtf, writeCtf, type CtfExportInput } from "../src/index.ts";

const encode = (s: string) => new TextEncoder().encode(s);

const leaver: CtfExportInput = {
  source: { lea: 999, estab: "4001", urn: 990001, name: "Example Academy & Nursery" },
  destination: { lea: 998, estab: "4002" },
  generatedAt: new Date("2025-10-20T09:30:00Z"),
  pupil: { upn: "A123456789012", legalSurname: "Example", legalForename: "Robin", preferredForename: "Rob", dateOfBirth: "2016-03-04", gender: "MALE", yearGroup: 4 },
  carers: [
    {
      contactOrder: 2, salutation: "Mr Sample", forename: "Alex", surname: "Sample", relationship: "PAF", parentalResponsibility: true,
      addressLines: ["1 Example Street", "Exampletown"], telephones: [{ kind: "WORK", number: "01632 960001" }], email: null,
    },
    {
      contactOrder: 1, salutation: "Ms Example", forename: "Sam", surname: "Example", relationship: "PAM", parentalResponsibility: true,
      addressLines: ["1 Example Street", "Exampletown"], telephones: [{ kind: "MOBILE", number: "07700 900001" }, { kind: "HOME", number: "01632 960002" }], email: "sam@example.org",
    },
  ],
  enrolments: [{ school: { lea: 999, estab: "4001", urn: 990001, name: "Example Academy & Nursery" }, entryDate: "2021-09-01", leavingDate: "2025-10-17" }],
  marks: [
    // Friday 2025-10-10 to Tuesday 2025-10-14: a weekend in between, one session unmarked.
    { date: "2025-10-10", session: "AM", code: "/" },
    { date: "2025-10-10", session: "PM", code: "\\" },
    { date: "2025-10-13", session: "AM", code: "I" },
    { date: "2025-10-13", session: "PM", code: "I" },
    { date: "2025-10-14", session: "AM", code: "L" },
    { date: "2025-10-14", session: "PM", code: "#" },
    // The previous school year.
    { date: "2025-07-01", session: "AM", code: "O" },
  ],
};

describe("writeCtf", () => {
  const xml = writeCtf(leaver);

  it("writes the header, the pupil and the year's totals under the CTF's element names", () => {
    expect(xml).toContain("<CTfile>");
    expect(xml).toContain("<DocumentName>Common Transfer File</DocumentName>");
    expect(xml).toContain("<SchoolName>Example Academy &amp; Nursery</SchoolName>");
    expect(xml).toContain("<UPN>A123456789012</UPN>");
    expect(xml).toContain("<NCyearActual>4</NCyearActual>");
    // 2025/26: six marks, # not possible: 5 possible, 3 attended (/ \ L), 2 authorised (I I).
    expect(xml).toMatch(/<Year>2025<\/Year>[\s\S]*?<SessionsPossible>5<\/SessionsPossible>\s*<SessionsAuthorised>2<\/SessionsAuthorised>\s*<SessionsAttended>3<\/SessionsAttended>\s*<SessionsUnauthorised>0<\/SessionsUnauthorised>/);
    // Two characters a calendar day, from the first mark: Fri, Sat, Sun, Mon, Tue.
    expect(xml).toContain("<AttendanceMarks>/\\----IIL#</AttendanceMarks>");
  });

  it("writes two-character codes (2024 regulations) as one SessionAttendance per session", () => {
    const out = writeCtf({ ...leaver, marks: [{ date: "2025-10-13", session: "AM", code: "C1" }, { date: "2025-10-13", session: "PM", code: "/" }] });
    expect(out).not.toContain("AttendanceMarks");
    expect(out).toMatch(/<SessionAttendance>\s*<Date>2025-10-13<\/Date>\s*<Session>AM<\/Session>\s*<Mark>C1<\/Mark>/);
  });
});

describe("readCtf", () => {
  it("reads back what writeCtf wrote: the same pupil, carers and marks", () => {
    const { batch, problems } = readCtf(encode(writeCtf(leaver)), "leaver.xml");
    expect(problems).toEqual([]);
    expect(batch.pupils).toEqual([
      expect.objectContaining({
        upn: "A123456789012", legalSurname: "Example", legalForename: "Robin", preferredForename: "Rob", dateOfBirth: "2016-03-04",
        gender: "MALE", yearGroup: 4, onRollFrom: "2021-09-01", source: { file: "leaver.xml", element: "CTfile/CTFpupilData/Pupil[1]" },
      }),
    ]);
    const carers = batch.carers.map(({ source: _s, upn: _u, ...c }) => c);
    expect(carers).toEqual(
      [...leaver.carers].sort((a, b) => a.contactOrder - b.contactOrder).map((c) => ({ ...c, email: c.email ?? null })),
    );
    const marks = batch.marks.map((m) => `${m.date} ${m.session} ${m.code}`).sort();
    expect(marks).toEqual(leaver.marks.map((m) => `${m.date} ${m.session} ${m.code}`).sort());
  });

  it("round-trips two-character codes", () => {
    const marks = [{ date: "2025-10-13", session: "AM" as const, code: "C1" }, { date: "2025-10-13", session: "PM" as const, code: "Y2" }];
    const { batch, problems } = readCtf(encode(writeCtf({ ...leaver, marks })), "f.xml");
    expect(problems).toEqual([]);
    expect(batch.marks.map((m) => m.code)).toEqual(["C1", "Y2"]);
  });

  const bad: { name: string; xml: string; want: { code: string; element: string }[] }[] = [
    { name: "not XML", xml: "<CTfile><Header>", want: [{ code: "BAD_XML", element: "CTfile" }] },
    { name: "a DOCTYPE (entity expansion)", xml: '<!DOCTYPE x [<!ENTITY a "aaaa">]><CTfile/>', want: [{ code: "BAD_XML", element: "CTfile" }] },
    { name: "another root", xml: "<Other/>", want: [{ code: "NOT_A_CTF", element: "CTfile" }] },
    {
      name: "a bad UPN, date and sex",
      xml: "<CTfile><CTFpupilData><Pupil><UPN>123</UPN><Surname>E</Surname><Forename>R</Forename><DOB>2016-02-30</DOB><Sex>Q</Sex><BasicDetails><NCyearActual>4</NCyearActual></BasicDetails><SchoolHistory><School><EntryDate>2021-09-01</EntryDate><LeavingDate>2025-10-17</LeavingDate></School></SchoolHistory></Pupil></CTFpupilData></CTfile>",
      want: [
        { code: "BAD_UPN", element: "CTfile/CTFpupilData/Pupil[1]/UPN" },
        { code: "BAD_DATE", element: "CTfile/CTFpupilData/Pupil[1]/DOB" },
        { code: "BAD_VALUE", element: "CTfile/CTFpupilData/Pupil[1]/Sex" },
      ],
    },
    {
      name: "an unknown code and a code not yet in force",
      xml: "<CTfile><CTFpupilData><Pupil><UPN>A123456789012</UPN><Surname>E</Surname><Forename>R</Forename><DOB>2016-02-03</DOB><Sex>F</Sex><BasicDetails><NCyearActual>R</NCyearActual></BasicDetails><SchoolHistory><School><EntryDate>2021-09-01</EntryDate><LeavingDate>2025-10-17</LeavingDate></School></SchoolHistory><Attendance><YearData><AttendSessions><AttendanceStartDate>2024-07-01</AttendanceStartDate><AttendanceMarks>/?</AttendanceMarks></AttendSessions><SessionAttendance><Date>2024-07-02</Date><Session>AM</Session><Mark>C1</Mark></SessionAttendance></YearData></Attendance></Pupil></CTFpupilData></CTfile>",
      want: [
        { code: "UNKNOWN_CODE", element: "CTfile/CTFpupilData/Pupil[1]/Attendance/YearData[1]/AttendSessions/AttendanceMarks[2]" },
        { code: "UNKNOWN_CODE", element: "CTfile/CTFpupilData/Pupil[1]/Attendance/YearData[1]/SessionAttendance[1]" },
      ],
    },
  ];
  it.each(bad)("reports $name at its element and reads no pupil", ({ xml, want }) => {
    const { batch, problems } = readCtf(encode(xml), "bad.xml");
    expect(problems.map((p) => ({ code: p.code, element: p.source.element }))).toEqual(want);
    expect(batch.pupils).toEqual([]);
    expect(batch.marks).toEqual([]);
  });

  it("refuses a file that is not UTF-8", () => {
    expect(readCtf(new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]), "x.xml").problems[0]!.code).toBe("BAD_ENCODING");
  });
});
