// The demo trusts as rows, built in memory from a fixed seed: the same ids,
// names and marks on every machine and every run. Nothing here touches the
// database; load.ts writes the rows.
import { DateTime } from "luxon";
import { addDays, codeOn, weekdayOf, withUpnCheckLetter } from "@attendance/core";
import type { Prisma } from "../generated/prisma/client.ts";
import { ACADEMIES, LOCAL_AUTHORITIES, SIBLINGS, TRUSTS, type DemoAcademy } from "./trusts.ts";
import { ACADEMIC_YEAR, CLOSURES, HALF_TERMS, TRAVEL_DISRUPTION_DAY, TRUST_YEARS } from "./school-year.ts";
import { BOYS, GIRLS, SHORT_FORMS, SURNAMES } from "./names.ts";
import { pupilSessions, traitsFor } from "./marks.ts";
import { seededRandom, type Random } from "./random.ts";

export interface DemoOptions {
  /** Pupils in each form (default 25–30 at random). Smaller for fast tests. */
  pupilsPerForm?: number;
  /** Weeks of registers from the start of the autumn term (default: the whole first half term). */
  weeks?: number;
  /** The random seed (default: the demo's own). */
  seed?: number;
}

export interface DemoRows {
  localAuthorities: Prisma.LocalAuthorityCreateManyInput[];
  trusts: Prisma.TrustCreateManyInput[];
  academies: Prisma.AcademyCreateManyInput[];
  forms: Prisma.FormCreateManyInput[];
  users: Prisma.UserCreateManyInput[];
  roleAssignments: Prisma.RoleAssignmentCreateManyInput[];
  formTutors: Prisma.FormTutorCreateManyInput[];
  pupils: Prisma.PupilCreateManyInput[];
  enrolments: Prisma.EnrolmentCreateManyInput[];
  terms: Prisma.SchoolTermCreateManyInput[];
  closures: Prisma.SchoolClosureCreateManyInput[];
  registers: Prisma.RegisterCreateManyInput[];
  submissions: Prisma.RegisterSubmissionCreateManyInput[];
  marks: Prisma.MarkCreateManyInput[];
  carers: Prisma.CarerCreateManyInput[];
}

const DEFAULT_SEED = 20_250_903;
const ZONE = "Europe/London";

const date = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
/** Wall-clock times already converted (luxon's zone arithmetic is slow per mark). */
const instants = new Map<string, number>();
/** An instant at a wall-clock time on a date in the academies' time zone. */
function at(iso: string, time: string, plusMinutes = 0): Date {
  const key = `${iso}T${time}`;
  let base = instants.get(key);
  if (base === undefined) {
    base = DateTime.fromISO(key, { zone: ZONE }).toMillis();
    instants.set(key, base);
  }
  return new Date(base + plusMinutes * 60_000);
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The school days of the first half term, after its INSET day, for `weeks` weeks. */
export function demoSchoolDays(weeks?: number): string[] {
  const term = HALF_TERMS[0]!;
  const closed = new Set(CLOSURES.filter((c) => c.start >= term.start && c.end <= term.end).map((c) => c.start));
  const last = weeks === undefined ? term.end : addDays(term.start, weeks * 7 - 1);
  const days: string[] = [];
  for (let d = term.start; d <= last && d <= term.end; d = addDays(d, 1)) {
    if (weekdayOf(d) <= 5 && !closed.has(d)) days.push(d);
  }
  return days;
}

function formName(academy: DemoAcademy, yearGroup: number, index: number): string {
  if (academy.phase === "PRIMARY") return yearGroup === 0 ? "Reception" : `Year ${yearGroup}`;
  return `${yearGroup}${"ABCDEFGH"[index]}`;
}

/** Date of birth for a year group in 2025/26: Year Y pupils were born Sept (2020−Y) to Aug (2021−Y). */
function dateOfBirth(random: Random, yearGroup: number): Date {
  const start = DateTime.fromISO(`${2020 - yearGroup}-09-01`, { zone: "utc" });
  return start.plus({ days: random.int(0, 364) }).toJSDate();
}

class People {
  private readonly emails = new Set<string>();
  constructor(private readonly random: Random) {}

  name(gender: "FEMALE" | "MALE"): { forename: string; surname: string } {
    return { forename: this.random.pick(gender === "FEMALE" ? GIRLS : BOYS), surname: this.random.pick(SURNAMES) };
  }

  /** An invented member of staff with an address on the reserved .example domain. */
  staff(domain: string, users: Prisma.UserCreateManyInput[]): string {
    const { forename, surname } = this.name(this.random.chance(0.7) ? "FEMALE" : "MALE");
    let email = `${forename[0]!.toLowerCase()}.${surname.toLowerCase()}@${domain}.example`;
    for (let n = 2; this.emails.has(email); n++) email = `${forename[0]!.toLowerCase()}.${surname.toLowerCase()}${n}@${domain}.example`;
    this.emails.add(email);
    const id = this.random.uuid();
    users.push({ id, email, displayName: `${forename} ${surname}` });
    return id;
  }
}

export function buildDemo(options: DemoOptions = {}): DemoRows {
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const people = new People(random);
  const rows: DemoRows = {
    localAuthorities: [], trusts: [], academies: [], forms: [], users: [], roleAssignments: [], formTutors: [],
    pupils: [], enrolments: [], terms: [], closures: [], registers: [], submissions: [], marks: [], carers: [],
  };
  // Parents come from their own stream, so adding them left every other demo row as it was.
  const carerRandom = seededRandom((options.seed ?? DEFAULT_SEED) + 1);
  // The trusts' calendars too, so that the academies' rows are as they were.
  const calendarRandom = seededRandom((options.seed ?? DEFAULT_SEED) + 2);
  const days = demoSchoolDays(options.weeks);

  const laIds = new Map<number, string>();
  for (const la of LOCAL_AUTHORITIES) {
    const id = random.uuid();
    laIds.set(la.code, id);
    rows.localAuthorities.push({ id, code: la.code, name: la.name, policyPlugin: la.policyPlugin });
  }
  const trustIds = new Map<string, string>();
  for (const trust of TRUSTS) {
    const id = random.uuid();
    trustIds.set(trust.slug, id);
    rows.trusts.push({ id, slug: trust.slug, name: trust.name, policyPlugin: trust.policyPlugin });
    for (const role of ["TRUST_ADMIN", "TRUST_ATTENDANCE_LEAD"] as const) {
      const userId = people.staff(trust.slug, rows.users);
      rows.roleAssignments.push({ id: random.uuid(), userId, role, trustId: id, academyId: null });
    }
    for (const year of TRUST_YEARS) {
      for (const term of year.terms) {
        rows.terms.push({ id: calendarRandom.uuid(), trustId: id, academyId: null, academicYear: year.academicYear, name: term.name, startDate: date(term.start), endDate: date(term.end) });
      }
      for (const c of year.closures) {
        rows.closures.push({ id: calendarRandom.uuid(), trustId: id, academyId: null, kind: c.kind, startDate: date(c.start), endDate: date(c.end), reason: c.reason });
      }
    }
  }

  let upnSequence = 0;
  /**
   * One academy's rows, drawn from `random` (and its parents from
   * `carerRandom`). UPNs count on across the demo, each with its check
   * letter (UPN guide, Annex), so that the demo passes the import's checks.
   */
  const addAcademy = (academy: DemoAcademy, random: Random, people: People, carerRandom: Random) => {
    const academyId = random.uuid();
    const trustId = trustIds.get(academy.trustSlug)!;
    rows.academies.push({
      id: academyId, trustId, localAuthorityId: laIds.get(academy.laCode)!, urn: academy.urn, name: academy.name,
      phase: academy.phase, timezone: ZONE, policyPlugin: academy.policyPlugin,
    });
    const staffRole = (role: "HEADTEACHER" | "ACADEMY_ADMIN" | "ATTENDANCE_OFFICER") => {
      const userId = people.staff(academy.slug, rows.users);
      rows.roleAssignments.push({ id: random.uuid(), userId, role, trustId, academyId });
      return userId;
    };
    staffRole("HEADTEACHER");
    staffRole("ACADEMY_ADMIN");
    const officer = staffRole("ATTENDANCE_OFFICER");

    for (const term of HALF_TERMS) {
      rows.terms.push({ id: random.uuid(), trustId, academyId, academicYear: ACADEMIC_YEAR, name: term.name, startDate: date(term.start), endDate: date(term.end) });
    }
    for (const closure of CLOSURES) {
      rows.closures.push({ id: random.uuid(), trustId, academyId, kind: closure.kind, startDate: date(closure.start), endDate: date(closure.end), reason: closure.reason });
    }
    const registerIds = new Map<string, string>();
    for (const day of days) {
      for (const session of ["AM", "PM"] as const) {
        const id = random.uuid();
        registerIds.set(`${day}/${session}`, id);
        rows.registers.push({ id, academyId, date: date(day), session });
      }
    }

    const secondary = academy.phase === "SECONDARY";
    const start = minutesOf(academy.morningRegistration);
    // The academy's published close applies (St James: 9.30): the 2024
    // Regulations, reg. 10(2), leave the time to the school, and guidance's 30
    // minutes is reported as a compliance finding, not applied.
    const closes = minutesOf(academy.morningRegisterCloses) - start;
    const lateness = { lateAfter: Math.min(minutesOf(academy.morningLateAfter) - start, closes), closes };
    const candidates: { markIndex: number; officer: string }[] = [];
    // One or two severely absent pupils per academy, and one or two dual
    // registered in each secondary, placed among the pupils every academy is
    // sure to have (the smallest forms times the forms), so that a scaled-down
    // demo has them too.
    const smallestForm = options.pupilsPerForm ?? academy.pupilsPerForm?.[0] ?? 25;
    const surePupils = academy.yearGroups.length * academy.formsPerYear * smallestForm;
    const severe = new Set<number>();
    for (let n = random.int(1, 2); severe.size < Math.min(n, surePupils); ) severe.add(random.int(0, surePupils - 1));
    const dual = new Set<number>();
    for (let n = secondary ? random.int(1, 2) : 0; dual.size < Math.min(n, surePupils - severe.size); ) {
      const index = random.int(0, surePupils - 1);
      if (!severe.has(index)) dual.add(index);
    }
    let pupilIndex = 0;
    for (const yearGroup of academy.yearGroups) {
      for (let f = 0; f < academy.formsPerYear; f++) {
        const formId = random.uuid();
        rows.forms.push({ id: formId, academyId, name: formName(academy, yearGroup, f), yearGroup });
        const tutor = people.staff(academy.slug, rows.users);
        rows.roleAssignments.push({ id: random.uuid(), userId: tutor, role: "TEACHER", trustId, academyId });
        rows.formTutors.push({ formId, userId: tutor });
        // One trip per form in the half term, on a day from its third week on.
        const tripDay = days.length > 10 ? days[random.int(10, days.length - 1)] : undefined;
        const workWeek = secondary && yearGroup === 10 && days.length > 25 ? days[20] : undefined;

        for (const day of days) {
          for (const session of ["AM", "PM"] as const) {
            rows.submissions.push({
              id: random.uuid(), registerId: registerIds.get(`${day}/${session}`)!, formId, takenById: tutor,
              takenAt: at(day, session === "AM" ? academy.morningRegistration : academy.afternoonRegistration, random.int(1, 9)),
            });
          }
        }

        const [fewest, most] = academy.pupilsPerForm ?? [25, 30];
        const size = options.pupilsPerForm ?? random.int(fewest, most);
        for (let p = 0; p < size; p++) {
          const pupilId = random.uuid();
          const gender = academy.boysOnly || random.chance(0.5) ? "MALE" : "FEMALE";
          const { forename, surname } = people.name(gender);
          const sen = random.next();
          const fsm = random.chance(0.23);
          rows.pupils.push({
            id: pupilId, academyId, trustId, formId, upn: withUpnCheckLetter(String(++upnSequence).padStart(12, "0")),
            legalForename: forename, legalSurname: surname, preferredForename: SHORT_FORMS[forename] !== undefined && random.chance(0.3) ? SHORT_FORMS[forename] : null,
            dateOfBirth: dateOfBirth(random, yearGroup), gender, yearGroup,
            // Census shares, roughly: SEN support 13%, EHC plans 3%, FSM 23%.
            senProvision: sen < 0.03 ? "EHCP" : sen < 0.16 ? "SEN_SUPPORT" : "NONE",
            freeSchoolMeals: fsm, pupilPremium: fsm || random.chance(0.04),
            englishAdditionalLanguage: random.chance(academy.ealRate), lookedAfter: random.chance(0.01),
            hasSocialWorker: random.chance(0.03),
          });
          addCarers(carerRandom, rows.carers, academyId, pupilId, surname, upnSequence);
          // Most pupils on roll from the first day; a few joined during the half term.
          const joined = random.chance(0.02) && days.length > 15 ? days[random.int(5, 15)]! : HALF_TERMS[0]!.start;
          const traits = traitsFor(random, secondary, yearGroup, { severe: severe.has(pupilIndex), dualRegistered: dual.has(pupilIndex) });
          pupilIndex++;
          if (tripDay && random.chance(0.9)) traits.tripDay = tripDay;
          if (workWeek && random.chance(0.5)) traits.workExperienceWeek = workWeek;
          rows.enrolments.push({
            id: random.uuid(), pupilId, academyId, onRollFrom: date(joined),
            registrationType: traits.dualRegistered ? "DUAL_MAIN" : "SINGLE",
          });
          const sessions = pupilSessions(random, traits, days.filter((d) => d >= joined), TRAVEL_DISRUPTION_DAY, lateness);
          for (const [day, entries] of sessions) {
            for (const entry of entries) {
              const registrationTime = entry.session === "AM" ? academy.morningRegistration : academy.afternoonRegistration;
              const late = entry.minutesLate !== undefined;
              candidates.push({ markIndex: rows.marks.length, officer });
              rows.marks.push({
                id: random.uuid(), registerId: registerIds.get(`${day}/${entry.session}`)!, pupilId, academyId,
                date: date(day), session: entry.session, version: 1, code: entry.code,
                category: codeOn(entry.code, day)!.category,
                minutesLate: entry.minutesLate ?? null,
                arrivedAt: late ? at(day, registrationTime, entry.minutesLate) : null,
                recordedById: late ? officer : tutor,
                ...authorOf(rows, late ? officer : tutor, late ? "ATTENDANCE_OFFICER" : "TEACHER", academyId),
                recordedAt: late ? at(day, registrationTime, entry.minutesLate! + 2) : at(day, registrationTime, 5),
              });
            }
          }
        }
      }
    }
    amendSome(random, rows, candidates);
  };

  for (const academy of ACADEMIES) addAcademy(academy, random, people, carerRandom);
  // The invented siblings come after the seed academies and draw from their
  // own streams, so that the seed academies' rows (which tests assert) are
  // exactly as they were before the siblings were added.
  const siblingRandom = seededRandom((options.seed ?? DEFAULT_SEED) + 3);
  const siblingCarers = seededRandom((options.seed ?? DEFAULT_SEED) + 4);
  const siblingPeople = new People(siblingRandom);
  for (const academy of SIBLINGS) addAcademy(academy, siblingRandom, siblingPeople, siblingCarers);
  return rows;
}

/** Amendments per academy (fewer when a scaled-down demo has fewer N marks). */
const STREETS = ["Invented Road", "Example Street", "Sample Avenue", "Placeholder Lane", "Demo Close", "Fictional Way"] as const;

/** One or two invented parents with parental responsibility, at an invented address. */
function addCarers(random: Random, carers: Prisma.CarerCreateManyInput[], academyId: string, pupilId: string, surname: string, n: number): void {
  const address = [`${1 + (n % 180)} ${STREETS[random.int(0, STREETS.length - 1)]}`, "Exampletown", `EX${random.int(1, 9)} ${random.int(1, 9)}AB`];
  const first = random.chance(0.5)
    ? { salutation: `Ms ${surname}`, forename: GIRLS[random.int(0, GIRLS.length - 1)]! }
    : { salutation: `Mr ${surname}`, forename: BOYS[random.int(0, BOYS.length - 1)]! };
  carers.push({ id: random.uuid(), pupilId, academyId, ...first, surname, addressLines: address, contactOrder: 1 });
  if (random.chance(0.6)) {
    const second = first.salutation.startsWith("Ms")
      ? { salutation: `Mr ${surname}`, forename: BOYS[random.int(0, BOYS.length - 1)]! }
      : { salutation: `Ms ${surname}`, forename: GIRLS[random.int(0, GIRLS.length - 1)]! };
    carers.push({ id: random.uuid(), pupilId, academyId, ...second, surname, addressLines: address, contactOrder: 2 });
  }
}

export const AMENDMENTS_PER_ACADEMY = 20;

/**
 * The author's position as the mark_author_position trigger would record it
 * (Mark.recordedByRole): given here so that loading the demo's marks does not
 * run the trigger once per row.
 */
function authorOf(rows: DemoRows, userId: string, role: "ATTENDANCE_OFFICER" | "TEACHER", academyId: string) {
  let names = staffNames.get(rows);
  if (!names || !names.has(userId)) staffNames.set(rows, (names = new Map(rows.users.map((u) => [u.id!, u.displayName]))));
  return { recordedByRole: role, recordedByAcademyId: academyId, recordedByName: names.get(userId) ?? null };
}
const staffNames = new WeakMap<DemoRows, Map<string, string>>();

/**
 * 20 amendments per academy: a "reason not yet provided" (N) later explained.
 * The original entry stays; the amendment is version 2 with its reason, author
 * and time, on the next school day (seed 003, amending the register).
 */
function amendSome(random: Random, rows: DemoRows, candidates: { markIndex: number; officer: string }[]): void {
  const unexplained = candidates.filter((c) => rows.marks[c.markIndex]!.code === "N");
  const chosen = new Set<number>();
  while (chosen.size < Math.min(AMENDMENTS_PER_ACADEMY, unexplained.length)) chosen.add(random.int(0, unexplained.length - 1));
  for (const index of [...chosen].sort((a, b) => a - b)) {
    const { markIndex, officer } = unexplained[index]!;
    const original = rows.marks[markIndex]!;
    const day = (original.date as Date).toISOString().slice(0, 10);
    const [code, reason] = random.chance(0.7)
      ? ["I", "Parent telephoned the next morning: illness"]
      : ["O", "No reason given after the school's follow-up calls"];
    rows.marks.push({
      ...original, id: random.uuid(), version: 2, code, category: codeOn(code, day)!.category,
      amendmentReason: reason, recordedById: officer, ...authorOf(rows, officer, "ATTENDANCE_OFFICER", original.academyId), recordedAt: at(addDays(day, weekdayOf(day) === 5 ? 3 : 1), "10:15"),
    });
  }
}
