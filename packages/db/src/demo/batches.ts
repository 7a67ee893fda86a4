// The demo's rows as import batches (packages/exchange/src/rows.ts), one per
// academy: so that the demo can be loaded through the bulk-import writer, the
// same path a trust moving in from another MIS takes, and so that its files
// can serve as examples of the formats. Pure: nothing here touches the
// database. Each row's source names an example file per kind and its line
// (line 1 is a CSV's header), as if the rows had been read from CSV files
// (examples/demo/<URN>/, written by `pnpm demo:files`). Rows carry the
// generator's ids (ImportBatch rows' optional id), so that a load has the
// same ids every time and demo tokens name the same users.
//
// Amendments come as a second batch (amendments.csv): a file holds one row a
// session, and an amendment is a later row for a session already recorded.
import { emptyBatch, type CalendarRow, type CarerRow, type FormRow, type ImportBatch, type MarkRow, type PupilRow, type StaffRow, type TelephoneKind } from "@attendance/exchange";
import type { DemoRows } from "./build.ts";

/** The academy roles the staff import takes (rows.ts, StaffRow.role); trust roles are the trust's, not an academy's. */
const ACADEMY_ROLES = new Set(["HEADTEACHER", "ACADEMY_ADMIN", "ATTENDANCE_OFFICER", "TEACHER"]);

const isoDate = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
/** As the CSV reader gives an instant back (cells.ts, instant): UTC, whole seconds without ".000". */
const isoInstant = (d: unknown): string | null => (d == null ? null : new Date(d instanceof Date ? d : String(d)).toISOString().replace(/\.000Z$/, "Z"));

/** One academy's demo rows as import batches: everything but the amendments, then the amendments. */
export interface DemoBatch {
  academyUrn: number;
  batch: ImportBatch;
  amendments: ImportBatch;
}

/** Lines counted from 2: line 1 of each example CSV file is its header. */
function sourced<T>(file: string, rows: T[]): (T & { source: { file: string; line: number } })[] {
  return rows.map((row, i) => ({ ...row, source: { file, line: i + 2 } }));
}

/** One import batch per demo academy, in the order the demo builds them. */
export function demoBatches(rows: DemoRows): DemoBatch[] {
  const users = new Map(rows.users.map((u) => [u.id!, u]));
  const forms = new Map(rows.forms.map((f) => [f.id!, f]));
  const pupils = new Map(rows.pupils.map((p) => [p.id!, p]));
  const tutorsOf = new Map<string, string[]>();
  for (const t of rows.formTutors) tutorsOf.set(t.formId, [...(tutorsOf.get(t.formId) ?? []), users.get(t.userId)!.email]);
  const enrolmentOf = new Map(rows.enrolments.map((e) => [e.pupilId, e]));

  return rows.academies.map((academy) => {
    const file = (kind: string) => `demo/${academy.urn}/${kind}.csv`;
    const mine = <T extends { academyId?: string | null }>(list: T[]) => list.filter((r) => r.academyId === academy.id);

    const formRows: Omit<FormRow, "source">[] = mine(rows.forms).map((f) => ({
      id: f.id!, name: f.name, yearGroup: f.yearGroup, tutorEmails: tutorsOf.get(f.id!) ?? [],
    }));
    const staffRows: Omit<StaffRow, "source">[] = mine(rows.roleAssignments)
      .filter((r) => ACADEMY_ROLES.has(r.role))
      .map((r) => {
        const user = users.get(r.userId)!;
        return { id: r.id!, userId: user.id!, email: user.email, displayName: user.displayName, subject: user.subject ?? null, role: r.role };
      });
    const pupilRows: Omit<PupilRow, "source">[] = mine(rows.pupils).map((p) => ({
      id: p.id!, enrolmentId: enrolmentOf.get(p.id!)!.id!, registrationType: enrolmentOf.get(p.id!)!.registrationType ?? "SINGLE", upn: p.upn, legalForename: p.legalForename, legalSurname: p.legalSurname,
      preferredForename: p.preferredForename ?? null, dateOfBirth: isoDate(p.dateOfBirth),
      gender: p.gender as PupilRow["gender"], yearGroup: p.yearGroup,
      form: p.formId ? forms.get(p.formId)!.name : null, onRollFrom: isoDate(enrolmentOf.get(p.id!)!.onRollFrom),
      senProvision: p.senProvision as PupilRow["senProvision"], freeSchoolMeals: p.freeSchoolMeals ?? false,
      pupilPremium: p.pupilPremium ?? false, englishAdditionalLanguage: p.englishAdditionalLanguage ?? false,
      lookedAfter: p.lookedAfter ?? false, hasSocialWorker: p.hasSocialWorker ?? false,
    }));
    const carerRows: Omit<CarerRow, "source">[] = mine(rows.carers).map((c) => ({
      id: c.id!, upn: pupils.get(c.pupilId)!.upn, contactOrder: c.contactOrder ?? 1, salutation: c.salutation,
      forename: c.forename, surname: c.surname, relationship: c.relationship ?? null,
      parentalResponsibility: c.parentalResponsibility ?? true,
      addressLines: Array.isArray(c.addressLines) ? (c.addressLines as string[]) : [],
      telephones: Array.isArray(c.telephones) ? (c.telephones as { kind: TelephoneKind; number: string }[]) : [],
      email: c.email ?? null, noContact: c.noContact ?? false,
    }));
    const calendarRows: Omit<CalendarRow, "source">[] = [
      ...mine(rows.terms).map((t) => ({
        id: t.id!, kind: "TERM" as const, academicYear: t.academicYear, name: t.name, startDate: isoDate(t.startDate), endDate: isoDate(t.endDate), session: null,
      })),
      ...mine(rows.closures).map((c) => ({
        id: c.id!, kind: "CLOSURE" as const, name: c.reason ?? c.kind, startDate: isoDate(c.startDate), endDate: isoDate(c.endDate),
        closureKind: c.kind, session: (c as { session?: "AM" | "PM" | null }).session ?? null,
      })),
    ];
    // Each version as recorded: the originals, then (a second file) the
    // amendments, which the import records as new versions keeping the
    // originals (register marks are append-only, SI 2024/208 reg. 5).
    const markRow = (m: DemoRows["marks"][number]): Omit<MarkRow, "source"> => ({
      id: m.id!, upn: pupils.get(m.pupilId)!.upn, date: isoDate(m.date), session: m.session, code: m.code,
      minutesLate: m.minutesLate ?? null, note: m.note ?? null, arrivedAt: isoInstant(m.arrivedAt),
      recordedBy: m.recordedById ? users.get(m.recordedById)!.email : null, recordedAt: isoInstant(m.recordedAt),
      amendmentReason: m.amendmentReason ?? null,
    });
    const marks = mine(rows.marks);
    const markRows = marks.filter((m) => (m.version ?? 1) === 1).map(markRow);
    const amendmentRows = marks.filter((m) => (m.version ?? 1) > 1).map(markRow);

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
      amendments: { ...emptyBatch(), marks: sourced(file("amendments"), amendmentRows) },
    };
  });
}
