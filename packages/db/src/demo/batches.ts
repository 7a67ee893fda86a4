// The demo's rows as import batches (packages/exchange/src/rows.ts), one per
// academy: so that the demo can be loaded through the bulk-import writer, the
// same path a trust moving in from another MIS takes, and so that its files
// can serve as examples of the formats. Pure: nothing here touches the
// database. Each row's source names an example file per kind and its line
// (line 1 is a CSV's header), as if the rows had been read from CSV files.
import type { CalendarRow, CarerRow, FormRow, ImportBatch, MarkRow, PupilRow, StaffRow, TelephoneKind } from "@attendance/exchange";
import type { DemoRows } from "./build.ts";

/** The academy roles the staff import takes (rows.ts, StaffRow.role); trust roles are the trust's, not an academy's. */
const ACADEMY_ROLES = new Set(["HEADTEACHER", "ACADEMY_ADMIN", "ATTENDANCE_OFFICER", "TEACHER"]);

const isoDate = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

/** Lines counted from 2: line 1 of each example CSV file is its header. */
function sourced<T>(file: string, rows: T[]): (T & { source: { file: string; line: number } })[] {
  return rows.map((row, i) => ({ ...row, source: { file, line: i + 2 } }));
}

/** One import batch per demo academy, in the order the demo builds them. */
export function demoBatches(rows: DemoRows): { academyUrn: number; batch: ImportBatch }[] {
  const users = new Map(rows.users.map((u) => [u.id!, u]));
  const forms = new Map(rows.forms.map((f) => [f.id!, f]));
  const pupils = new Map(rows.pupils.map((p) => [p.id!, p]));
  const tutorsOf = new Map<string, string[]>();
  for (const t of rows.formTutors) tutorsOf.set(t.formId, [...(tutorsOf.get(t.formId) ?? []), users.get(t.userId)!.email]);
  const joined = new Map(rows.enrolments.map((e) => [e.pupilId, isoDate(e.onRollFrom)]));

  return rows.academies.map((academy) => {
    const file = (kind: string) => `demo/${academy.urn}/${kind}.csv`;
    const mine = <T extends { academyId?: string | null }>(list: T[]) => list.filter((r) => r.academyId === academy.id);

    const formRows: Omit<FormRow, "source">[] = mine(rows.forms).map((f) => ({
      name: f.name, yearGroup: f.yearGroup, tutorEmails: tutorsOf.get(f.id!) ?? [],
    }));
    const staffRows: Omit<StaffRow, "source">[] = mine(rows.roleAssignments)
      .filter((r) => ACADEMY_ROLES.has(r.role))
      .map((r) => {
        const user = users.get(r.userId)!;
        return { email: user.email, displayName: user.displayName, subject: user.subject ?? null, role: r.role };
      });
    const pupilRows: Omit<PupilRow, "source">[] = mine(rows.pupils).map((p) => ({
      upn: p.upn, legalForename: p.legalForename, legalSurname: p.legalSurname,
      preferredForename: p.preferredForename ?? null, dateOfBirth: isoDate(p.dateOfBirth),
      gender: p.gender as PupilRow["gender"], yearGroup: p.yearGroup,
      form: p.formId ? forms.get(p.formId)!.name : null, onRollFrom: joined.get(p.id!)!,
      senProvision: p.senProvision as PupilRow["senProvision"], freeSchoolMeals: p.freeSchoolMeals ?? false,
      pupilPremium: p.pupilPremium ?? false, englishAdditionalLanguage: p.englishAdditionalLanguage ?? false,
      lookedAfter: p.lookedAfter ?? false, hasSocialWorker: p.hasSocialWorker ?? false,
    }));
    const carerRows: Omit<CarerRow, "source">[] = mine(rows.carers).map((c) => ({
      upn: pupils.get(c.pupilId)!.upn, contactOrder: c.contactOrder ?? 1, salutation: c.salutation,
      forename: c.forename, surname: c.surname, relationship: c.relationship ?? null,
      parentalResponsibility: c.parentalResponsibility ?? true,
      addressLines: Array.isArray(c.addressLines) ? (c.addressLines as string[]) : [],
      telephones: Array.isArray(c.telephones) ? (c.telephones as { kind: TelephoneKind; number: string }[]) : [],
      email: c.email ?? null, noContact: c.noContact ?? false,
    }));
    const calendarRows: Omit<CalendarRow, "source">[] = [
      ...mine(rows.terms).map((t) => ({
        kind: "TERM" as const, academicYear: t.academicYear, name: t.name, startDate: isoDate(t.startDate), endDate: isoDate(t.endDate),
      })),
      ...mine(rows.closures).map((c) => ({
        kind: "CLOSURE" as const, name: c.reason ?? c.kind, startDate: isoDate(c.startDate), endDate: isoDate(c.endDate),
        closureKind: c.kind, session: (c as { session?: "AM" | "PM" | null }).session ?? null,
      })),
    ];
    // Every version, in the order recorded: an amendment is a later row with
    // the same (UPN, date, session) and a new code, which the import records
    // as a new version (register marks are append-only, SI 2024/208 reg. 5).
    const markRows: Omit<MarkRow, "source">[] = mine(rows.marks)
      .slice()
      .sort((a, b) => (a.version ?? 1) - (b.version ?? 1))
      .map((m) => ({
        upn: pupils.get(m.pupilId)!.upn, date: isoDate(m.date), session: m.session, code: m.code,
        minutesLate: m.minutesLate ?? null, note: m.amendmentReason ?? null,
      }));

    return {
      academyUrn: academy.urn,
      batch: {
        forms: sourced(file("forms"), formRows),
        staff: sourced(file("staff"), staffRows),
        pupils: sourced(file("pupils"), pupilRows),
        carers: sourced(file("carers"), carerRows),
        calendar: sourced(file("calendar"), calendarRows),
        marks: sourced(file("marks"), markRows),
      },
    };
  });
}
