// Registers only for sessions the academy meets, and codes that agree with
// arrival times (issue 14, items 2 and 3), through the HTTP API on each back
// end. Every refusal is BAD_USER_INPUT naming the date, session, pupil and
// reason, and writes nothing (counted before and after).
//
// The School Attendance (Pupil Registration) (England) Regulations 2024 (SI
// 2024/208): reg. 10(1), an entry for each pupil "at the beginning of each
// morning session and once during each afternoon session"; regs 8 and 9, the
// admission register and deletion from it; table 1, / and \ present, L "late
// before registers closed", U "arrived in school after registration closed".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isSchoolDay, weekdayOf } from "@attendance/core";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const TAKE = `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) {
  recorded arrivals { code reason } register { marks(first: 100) { totalCount edges { node { id code minutesLate pupil { id } } } } } } }`;
const AMEND = `mutation ($input: AmendMarkInput!) { amendMark(input: $input) { id code version } }`;
const COMPLETION = `query ($urn: Int!, $date: Date!, $session: Session!) { academy(urn: $urn) { registerCompletion(date: $date, session: $session) {
  meets notMetReason missingMarkCount missingMarks { id legalSurname } } } }`;

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const utc = (date: string) => new Date(`${date}T00:00:00Z`);
type Problem = { field: string; message: string; reason?: string };
const refusal = (res: GraphQLResponse) => ({
  codes: (res.errors ?? []).map((e) => e.extensions?.code),
  problems: (res.errors?.[0]?.extensions?.problems ?? []) as Problem[],
});

describe.each(availableBackends())("register validity on %s", (kind) => {
  let t: TestServer;
  let officer: Credentials;
  let urn: number;
  let academyId: string;
  let trustId: string;
  let pupils: { id: string; legalSurname: string }[];

  beforeAll(async () => {
    t = await startTestServer(kind);
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
    urn = staverton.urn;
    academyId = staverton.id;
    const form = await t.db.prisma.form.findFirstOrThrow({
      where: { academyId, name: "Year 4" },
      include: { pupils: { select: { id: true, legalSurname: true }, orderBy: { upn: "asc" } } },
    });
    pupils = form.pupils;
    trustId = staverton.trustId;
    // 2026/27, the school year of the test machine's clock: the academy's own
    // half terms, entered through the API as its headteacher would (issue 14:
    // "a calendar created for 2026/27 through the API and a register taken on it").
    const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Staverton" });
    const set = await t.graphql(
      `mutation ($input: SetSchoolTermsInput!) { setSchoolTerms(input: $input) { schoolYear } }`,
      {
        input: {
          academyUrn: urn, schoolYear: "2026/27", reason: "Governors approved the 2026/27 term dates",
          terms: [
            { name: "Autumn 1", startDate: "2026-09-02", endDate: "2026-10-23" },
            { name: "Autumn 2", startDate: "2026-11-02", endDate: "2026-12-18" },
            { name: "Spring 1", startDate: "2027-01-05", endDate: "2027-02-12" },
            { name: "Spring 2", startDate: "2027-02-22", endDate: "2027-03-26" },
            { name: "Summer 1", startDate: "2027-04-12", endDate: "2027-05-28" },
            { name: "Summer 2", startDate: "2027-06-07", endDate: "2027-07-21" },
          ],
        },
      },
      head.headers,
    );
    expect(set.errors).toBeUndefined();
  });
  afterAll(() => t?.close());

  const counts = async () => ({ marks: await t.db.prisma.mark.count(), registers: await t.db.prisma.register.count() });
  const take = (date: string, session: "AM" | "PM", marks: Record<string, unknown>[]) =>
    t.graphql<{ takeRegister: { recorded: number; arrivals: { code: string; reason: string }[]; register: { marks: { edges: { node: { id: string; code: string; minutesLate: number | null; pupil: { id: string } } }[] } } } }>(
      TAKE, { input: { academyUrn: urn, date, session, marks } }, officer.headers,
    );
  const present = (n: number, code = "/") => pupils.slice(0, n).map((p) => ({ pupilId: gid("Pupil", p.id), code }));

  it.each([
    ["a Saturday", "2025-11-08", "AM", "WEEKEND", /2025-11-08 AM: 2025-11-08 is a Saturday/],
    ["a Sunday", "2025-11-09", "PM", "WEEKEND", /is a Sunday/],
    ["October half term", "2025-10-29", "AM", "HOLIDAY", /2025-10-29 AM: 2025-10-29 is in a school holiday/],
    ["Christmas Day", "2025-12-25", "AM", "HOLIDAY", /2025-12-25 is in a school holiday/],
    ["an INSET day", "2026-01-05", "AM", "CLOSED", /2026-01-05 AM: the academy is closed: an INSET \(staff training\) day \(Staff training day\)/],
    ["a school year with no calendar", "2028-03-08", "AM", "OUTSIDE_CALENDAR", /no school calendar for 2027\/28/],
    ["7 January 2030", "2030-01-07", "AM", "OUTSIDE_CALENDAR", /no school calendar for 2029\/30/],
  ] as const)("refuses a register on %s, naming the date and the reason, and writes nothing", async (_what, date, session, reason, message) => {
    const before = await counts();
    const res = await take(date, session, present(3));
    const { codes, problems } = refusal(res);
    expect(codes).toEqual(["BAD_USER_INPUT"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: "date" });
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.reason).toBe(reason);
    expect(await counts()).toEqual(before);
  });

  it("refuses a register for a session of a closure entered for one session only, and takes the other session", async () => {
    await t.db.prisma.schoolClosure.create({
      data: { academyId, trustId, kind: "UNEXPECTED", startDate: utc("2025-11-12"), endDate: utc("2025-11-12"), session: "PM", reason: "Heating failure" },
    });
    const before = await counts();
    const refused = await take("2025-11-12", "PM", present(2, "\\"));
    expect(refusal(refused).problems).toEqual([
      { field: "date", reason: "CLOSED", message: "2025-11-12 PM: the academy is closed for the PM session: an unexpected closure (Heating failure)." },
    ]);
    expect(await counts()).toEqual(before);
    const taken = await take("2025-11-12", "AM", present(2));
    expect(taken.errors).toBeUndefined();
  });

  it("refuses a register in the future (the academy's default: none ahead of today), and takes it once the academy allows advance entries", async () => {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());
    const calendar = { terms: (await t.db.prisma.schoolTerm.findMany({ where: { academyId } })).map((x) => ({ name: x.name, academicYear: x.academicYear, start: x.startDate.toISOString().slice(0, 10), end: x.endDate.toISOString().slice(0, 10) })), closures: [] };
    let future = addDays(today, 1);
    for (let i = 0; i < 60 && !isSchoolDay(calendar, future); i++) future = addDays(future, 1);
    if (!isSchoolDay(calendar, future)) {
      await t.db.prisma.schoolTerm.create({ data: { academyId, trustId, academicYear: "2026/27", name: "Test", startDate: utc(future), endDate: utc(future) } });
      while (weekdayOf(future) > 5) future = addDays(future, 1);
    }
    const before = await counts();
    const res = await take(future, "AM", present(2));
    const { codes, problems } = refusal(res);
    expect(codes).toEqual(["BAD_USER_INPUT"]);
    expect(problems[0]).toMatchObject({ field: "date", reason: "TOO_FAR_AHEAD" });
    expect(problems[0]!.message).toContain(`${future} AM is in the future`);
    expect(await counts()).toEqual(before);
    // The academy may allow advance entries (e.g. a residential trip, code V):
    // its policy setting, saved through the API, then applies.
    if (future > addDays(today, 31)) return; // the setting's maximum (a long holiday ahead)
    const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Staverton" });
    const saved = await t.graphql(
      `mutation ($input: SetAcademyPolicyInput!) { setAcademyPolicy(input: $input) { date } }`,
      { input: { academyUrn: urn, effectiveFrom: "2026-09-01", settings: { "registers.maxDaysAhead": 31 }, reason: "Residential trips entered in advance" } },
      head.headers,
    );
    expect(saved.errors).toBeUndefined();
    const ahead = await take(future, "AM", present(2, "V"));
    expect(ahead.errors).toBeUndefined();
    expect(ahead.data!.takeRegister.recorded).toBe(2);
  });

  it("takes a register on a 2026/27 school day from the calendar's terms", async () => {
    const res = await take("2026-11-10", "AM", present(3));
    expect(res.errors).toBeUndefined();
    expect(res.data!.takeRegister.recorded).toBe(3);
  });

  it("refuses a mark before the pupil's admission or after their deletion, naming the pupil, and writes nothing", async () => {
    const [admitted, deleted] = [pupils.at(-1)!, pupils.at(-2)!];
    await t.db.prisma.enrolment.updateMany({ where: { pupilId: admitted.id, academyId }, data: { onRollFrom: utc("2025-11-17") } });
    await t.db.prisma.enrolment.updateMany({ where: { pupilId: deleted.id, academyId }, data: { onRollTo: utc("2025-11-13"), deletionGround: "REGISTERED_ELSEWHERE" } });
    const before = await counts();
    const res = await take("2025-11-14", "AM", [
      { pupilId: gid("Pupil", pupils[0]!.id), code: "/" },
      { pupilId: gid("Pupil", admitted.id), code: "/" },
      { pupilId: gid("Pupil", deleted.id), code: "/" },
    ]);
    const { codes, problems } = refusal(res);
    expect(codes).toEqual(["BAD_USER_INPUT"]);
    expect(problems).toEqual([
      { field: "marks[1].pupilId", reason: "BEFORE_ADMISSION", message: "2025-11-14 is before the pupil's admission on 2025-11-17 (reg. 8 of SI 2024/208: the admission register)." },
      { field: "marks[2].pupilId", reason: "AFTER_DELETION", message: "2025-11-14 is after the pupil's deletion from the admission register (last day on roll 2025-11-13, reg. 9 of SI 2024/208)." },
    ]);
    expect(await counts()).toEqual(before);
  });

  it("refuses a code that disagrees with the arrival time given with it, naming the expected code (Staverton, seed 004 Appendix A1)", async () => {
    const before = await counts();
    const res = await take("2025-11-18", "AM", [
      { pupilId: gid("Pupil", pupils[0]!.id), code: "/", arrivedAt: "09:45" },
      { pupilId: gid("Pupil", pupils[1]!.id), code: "L", arrivedAt: "10:30" },
      { pupilId: gid("Pupil", pupils[2]!.id), code: "U", arrivedAt: "08:48" },
      { pupilId: gid("Pupil", pupils[3]!.id), code: "L", arrivedAt: "09:00" },
    ]);
    const { codes, problems } = refusal(res);
    expect(codes).toEqual(["BAD_USER_INPUT"]);
    expect(problems.map((p) => [p.field, p.reason])).toEqual([["marks[0].code", "CODE_DISAGREES"], ["marks[1].code", "CODE_DISAGREES"], ["marks[2].code", "CODE_DISAGREES"]]);
    expect(problems[0]!.message).toMatch(/^"\/" does not agree with an arrival at 09:45: arrived after the register closed at 09:\d\d, so the code is "U"\./);
    expect(problems[1]!.message).toMatch(/so the code is "U"/);
    expect(problems[2]!.message).toMatch(/so the code is "\/"/);
    expect(await counts()).toEqual(before);
  });

  it("records afternoon presence as \\ and morning presence as /: the other session's present code is refused", async () => {
    const before = await counts();
    const res = await take("2025-11-18", "PM", present(1, "/"));
    expect(refusal(res).problems).toEqual([
      { field: "marks[0].code", reason: "CODE_DISAGREES", message: '"/" is the morning present code: PM presence is "\\" (SI 2024/208, table 1).' },
    ]);
    expect(await counts()).toEqual(before);
    const decided = await take("2025-11-18", "PM", [{ pupilId: gid("Pupil", pupils[0]!.id), arrivedAt: "12:55" }]);
    expect(decided.errors).toBeUndefined();
    expect(decided.data!.takeRegister.arrivals.map((a) => a.code)).toEqual(["\\"]);
  });

  it("accepts codes with agreeing times, and codes without a time as the officer enters them", async () => {
    const res = await take("2025-11-19", "AM", [
      { pupilId: gid("Pupil", pupils[0]!.id), code: "L", arrivedAt: "09:00" },
      { pupilId: gid("Pupil", pupils[1]!.id), code: "U" },
      { pupilId: gid("Pupil", pupils[2]!.id), code: "M", arrivedAt: "10:30" },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.takeRegister.recorded).toBe(3);
  });

  it("refuses an amendment to a present or late code that disagrees with the recorded arrival time, and changes nothing", async () => {
    const mark = await t.db.prisma.mark.findFirstOrThrow({ where: { pupilId: pupils[0]!.id, date: utc("2025-11-19"), session: "AM" } });
    const before = await counts();
    const res = await t.graphql(AMEND, { input: { markId: gid("Mark", mark.id), code: "/", reason: "Was on time" } }, officer.headers);
    expect(refusal(res).problems).toEqual([
      { field: "code", reason: "CODE_DISAGREES", message: expect.stringMatching(/^"\/" does not agree with an arrival at 09:00: .* so the code is "L"\./) },
    ]);
    expect(await counts()).toEqual(before);
    // A reason code stands: the pupil was at a medical appointment.
    const amended = await t.graphql<{ amendMark: { code: string; version: number } }>(AMEND, { input: { markId: gid("Mark", mark.id), code: "M", reason: "Medical appointment letter" } }, officer.headers);
    expect(amended.errors).toBeUndefined();
    expect(amended.data!.amendMark).toMatchObject({ code: "M", version: 2 });
  });

  it("lists a school session's unmarked pupils as missing marks, and counts them neither as attendance nor absence", async () => {
    // 2025-11-20 AM: three of the form marked present, the rest not at all.
    const marked = 3;
    expect((await take("2025-11-20", "AM", present(marked))).errors).toBeUndefined();
    const res = await t.graphql<{ academy: { registerCompletion: { meets: boolean; notMetReason: string | null; missingMarkCount: number; missingMarks: { id: string }[] } } }>(
      COMPLETION, { urn, date: "2025-11-20", session: "AM" }, officer.headers,
    );
    expect(res.errors).toBeUndefined();
    const completion = res.data!.academy.registerCompletion;
    expect(completion.meets).toBe(true);
    const onRoll = await t.db.prisma.enrolment.count({ where: { academyId, onRollFrom: { lte: utc("2025-11-20") }, OR: [{ onRollTo: null }, { onRollTo: { gte: utc("2025-11-20") } }] } });
    expect(completion.missingMarkCount).toBe(onRoll - marked);
    expect(completion.missingMarks.map((p) => p.id)).toContain(gid("Pupil", pupils[marked]!.id));
    expect(completion.missingMarks.map((p) => p.id)).not.toContain(gid("Pupil", pupils[0]!.id));
    // The unmarked pupil's statistics for the day: no possible session, no absence.
    const stats = await t.graphql<{ pupil: { attendance: { total: { possibleSessions: number; present: number; authorisedAbsence: number; unauthorisedAbsence: number } } } }>(
      `query ($id: ID!) { pupil: node(id: $id) { ... on Pupil { attendance(from: "2025-11-20", to: "2025-11-20") { total { possibleSessions present authorisedAbsence unauthorisedAbsence } } } } }`,
      { id: gid("Pupil", pupils[marked]!.id) }, officer.headers,
    );
    expect(stats.errors).toBeUndefined();
    expect(stats.data!.pupil.attendance.total).toEqual({ possibleSessions: 0, present: 0, authorisedAbsence: 0, unauthorisedAbsence: 0 });
    // A weekend is not a session: nothing is missing, and it says why.
    const weekend = await t.graphql<{ academy: { registerCompletion: { meets: boolean; notMetReason: string | null; missingMarkCount: number } } }>(
      COMPLETION, { urn, date: "2025-11-22", session: "AM" }, officer.headers,
    );
    expect(weekend.data!.academy.registerCompletion).toMatchObject({ meets: false, missingMarkCount: 0, notMetReason: expect.stringMatching(/Saturday/) });
  });
});
