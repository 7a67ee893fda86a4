// The import writer: checks an ImportBatch (read from a CSV file, a Common
// Transfer File or the demo's generator) against the database and, with
// apply, writes it in one transaction (issue 15, item 3).
//
// - Dry run first: without apply nothing is written; the report lists every
//   problem with its file and line and what would be added, changed or left.
// - Never half-applied: any problem, and nothing is written.
// - Idempotent by natural keys (pupil: trust and UPN; carer: UPN and contact
//   order; staff: e-mail; role: e-mail, role and academy; form: academy and
//   name; term: academy and start date; closure: academy, start date and
//   session; mark: UPN, date and session), so a second run changes nothing.
// - Marks are append-only (seed 003, amending the register; DESIGN.md §3): a
//   different code for a session already marked is a new version with the
//   reason given (amendment_reason) or "Imported from <file> line <n>"; a
//   code the session has had (now or before an amendment) is unchanged.
// - Multi-row statements (bulk-insert.ts), never one statement per row.
import { randomUUID } from "node:crypto";
import {
  codeOn,
  codeProblem,
  effectiveCalendar,
  isoDateOf,
  registerRefusal,
  rollRefusal,
  schoolYearLabel,
  type CalendarLayer,
  type Closure,
  type HalfTerm,
  type RollStay,
} from "@attendance/core";
import { emptyBatch, readers, type ImportBatch, type ImportKind, type ImportProblem, type ImportReport, type Sourced } from "@attendance/exchange";
import { DateTime } from "luxon";
import { bulkInsert, bulkUpdate } from "../bulk-insert.ts";
import { beginMarksSetBased, canWriteMarksSetBased, completeMarksSetBased, needsAuthorPosition, NEW_MARK_TABLE } from "./set-based-marks.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";

/** Who runs the import: recorded on the marks it writes and in the audit row. */
export interface ImportActor {
  kind: "user" | "apiClient" | "cli";
  /** The user's or API client's id; null for the command line without --as. */
  id: string | null;
}

export interface ImportProgress {
  phase: "check" | "write";
  kind: keyof ImportBatch;
  done: number;
  total: number;
}

export interface ImportOptions {
  academyId: string;
  actor: ImportActor;
  apply: boolean;
  /** Called every PROGRESS_EVERY rows checked and after each kind written. */
  onProgress?: (progress: ImportProgress) => void;
  /** The academy's local date today (default: now in its time zone); marks after it are refused. */
  today?: string;
  /** The operation named in the audit row, e.g. "import pupils pupils.csv". */
  operation?: string;
  /**
   * Write the marks with the triggers off and do the triggers' work once for
   * all of them (set-based-marks.ts), where that is exact; else as always.
   * For bulk loads nothing else writes to at the same time: the demo loader.
   * Default false.
   */
  setBasedMarks?: boolean;
}

export const PROGRESS_EVERY = 1_000;
/** Marks per INSERT statement (each one JSON parameter: 20,000 marks are about 5 MB). */
const MARKS_PER_STATEMENT = 20_000;

/** How long the applying transaction may take when the client is not already in one (10,000 pupils with a term of marks). */
const APPLY_TIMEOUT_MS = 10 * 60_000;

type Counts = ImportReport["counts"];
const KINDS: (keyof ImportBatch)[] = ["forms", "staff", "pupils", "carers", "calendar", "marks"];

function zeroCounts(): Counts {
  return Object.fromEntries(KINDS.map((k) => [k, { added: 0, changed: 0, unchanged: 0 }])) as Counts;
}

const problem = (row: Sourced, code: string, message: string, field?: string): ImportProblem => ({ source: row.source, ...(field ? { field } : {}), code, message });
const where = (row: Sourced) => `${row.source.file}${row.source.line ? ` line ${row.source.line}` : row.source.element ? ` ${row.source.element}` : ""}`;

/** Reports each row whose natural key an earlier row of the batch already has. */
function duplicates<R extends Sourced>(rows: readonly R[], key: (r: R) => string, what: string, problems: ImportProblem[]): void {
  const first = new Map<string, R>();
  for (const row of rows) {
    const k = key(row);
    const earlier = first.get(k);
    if (earlier) problems.push(problem(row, "DUPLICATE_ROW", `The same ${what} as ${where(earlier)}.`));
    else first.set(k, row);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Checks `batch` against the academy's data and, with apply and no problem, writes it in one transaction. */
export async function importBatch(prisma: PrismaClient, options: ImportOptions, input: Partial<ImportBatch>): Promise<ImportReport> {
  const batch: ImportBatch = { ...emptyBatch(), ...input };
  const problems: ImportProblem[] = [];
  const counts = zeroCounts();
  const academy = await prisma.academy.findUniqueOrThrow({ where: { id: options.academyId }, select: { id: true, trustId: true, timezone: true } });
  const today = options.today ?? DateTime.now().setZone(academy.timezone).toISODate()!;
  const progress = (phase: ImportProgress["phase"], kind: keyof ImportBatch, done: number) =>
    options.onProgress?.({ phase, kind, done, total: batch[kind].length });

  duplicates(batch.forms, (f) => f.name, "form name", problems);
  duplicates(batch.staff, (s) => `${s.email}|${s.role}`, "e-mail and role", problems);
  duplicates(batch.pupils, (p) => p.upn, "UPN", problems);
  duplicates(batch.carers, (c) => `${c.upn}|${c.contactOrder}`, "UPN and contact order", problems);
  duplicates(batch.calendar, (c) => `${c.kind}|${c.startDate}|${c.session ?? ""}`, "kind, start date and session", problems);
  duplicates(batch.marks, (m) => `${m.upn}|${m.date}|${m.session}`, "UPN, date and session", problems);

  // ─── Staff and their roles in this academy ─────────────────────────────────
  const staffEmails = [...new Set(batch.staff.map((s) => s.email))];
  const tutorEmails = [...new Set(batch.forms.flatMap((f) => f.tutorEmails ?? []))];
  const recorderEmails = [...new Set(batch.marks.map((m) => m.recordedBy).filter((e): e is string => !!e))];
  const users = new Map(
    (await prisma.user.findMany({
      where: { email: { in: [...new Set([...staffEmails, ...tutorEmails, ...recorderEmails])] } },
      select: { id: true, email: true, displayName: true, subject: true, roles: { where: { revokedAt: null }, select: { role: true, academyId: true, trustId: true } } },
    })).map((u) => [u.email, u]),
  );
  const newUsers = new Map<string, { id: string; email: string; displayName: string; subject: string | null }>();
  const userChanges: { id: string; displayName: string; subject: string | null }[] = [];
  const newRoles: { id?: string; userId: string; role: string; trustId: string; academyId: string }[] = [];
  for (const s of batch.staff) {
    const user = users.get(s.email);
    // A user acts in exactly one trust (their token names no trust): one
    // holding a role in another trust is not given one here.
    if (user?.roles.some((r) => r.trustId !== academy.trustId)) {
      problems.push(problem(s, "EMAIL_IN_USE_ELSEWHERE", `${s.email} is a member of staff of another trust.`, "email"));
      continue;
    }
    const known = user ?? newUsers.get(s.email);
    const userId = known?.id ?? s.userId ?? randomUUID();
    if (!known) newUsers.set(s.email, { id: userId, email: s.email, displayName: s.displayName, subject: s.subject ?? null });
    const hasRole = user?.roles.some((r) => r.role === s.role && r.academyId === academy.id) ?? false;
    const detailsDiffer = user !== undefined && (user.displayName !== s.displayName || (s.subject != null && user.subject !== s.subject));
    if (detailsDiffer && !userChanges.some((c) => c.id === user.id)) userChanges.push({ id: user.id, displayName: s.displayName, subject: s.subject ?? user.subject });
    if (!hasRole) newRoles.push({ ...(s.id ? { id: s.id } : {}), userId, role: s.role, trustId: academy.trustId, academyId: academy.id });
    if (!user) counts.staff.added++;
    else if (!hasRole || detailsDiffer) counts.staff.changed++;
    else counts.staff.unchanged++;
  }
  const userIdOf = (email: string) => users.get(email)?.id ?? newUsers.get(email)?.id;

  // ─── Forms and their tutors ────────────────────────────────────────────────
  const forms = new Map(
    (await prisma.form.findMany({ where: { academyId: academy.id }, select: { id: true, name: true, yearGroup: true, tutors: { select: { userId: true, revokedAt: true } } } }))
      .map((f) => [f.name, f]),
  );
  const formIds = new Map([...forms.values()].map((f) => [f.name, f.id]));
  const newForms: { id: string; academyId: string; name: string; yearGroup: number }[] = [];
  const formChanges: { id: string; yearGroup: number }[] = [];
  const newTutors: { formId: string; userId: string }[] = [];
  const restoredTutors: { formId: string; userId: string }[] = [];
  for (const f of batch.forms) {
    const existing = forms.get(f.name);
    const formId = existing?.id ?? f.id ?? randomUUID();
    if (!existing) {
      newForms.push({ id: formId, academyId: academy.id, name: f.name, yearGroup: f.yearGroup });
      formIds.set(f.name, formId);
    }
    let changed = existing !== undefined && existing.yearGroup !== f.yearGroup;
    if (changed) formChanges.push({ id: formId, yearGroup: f.yearGroup });
    for (const email of f.tutorEmails ?? []) {
      const userId = userIdOf(email);
      if (!userId) {
        problems.push(problem(f, "UNKNOWN_STAFF", `No member of staff has the e-mail ${email}: import them in a staff file first.`, "tutor_emails"));
        continue;
      }
      const tutor = existing?.tutors.find((t) => t.userId === userId);
      if (!tutor) newTutors.push({ formId, userId });
      else if (tutor.revokedAt) restoredTutors.push({ formId, userId });
      else continue;
      changed = true;
    }
    if (!existing) counts.forms.added++;
    else if (changed) counts.forms.changed++;
    else counts.forms.unchanged++;
  }

  // ─── Pupils (UPNs are unique in the trust: only the trust's are looked at) ─
  const pupilUpns = [...new Set([...batch.pupils, ...batch.carers, ...batch.marks].map((r) => r.upn))];
  const known = new Map(
    (await prisma.pupil.findMany({
      where: { trustId: academy.trustId, upn: { in: pupilUpns } },
      select: {
        id: true, upn: true, academyId: true, formId: true, legalForename: true, legalSurname: true, preferredForename: true, dateOfBirth: true, gender: true,
        yearGroup: true, senProvision: true, freeSchoolMeals: true, pupilPremium: true, englishAdditionalLanguage: true, lookedAfter: true, hasSocialWorker: true,
        enrolments: { where: { academyId: academy.id }, select: { onRollFrom: true, onRollTo: true } },
      },
    })).map((p) => [p.upn, p]),
  );
  const pupilIds = new Map<string, string>();
  const stays = new Map<string, RollStay[]>();
  for (const p of known.values()) {
    if (p.academyId === academy.id) pupilIds.set(p.upn, p.id);
    stays.set(p.upn, p.enrolments.map((e) => ({ from: isoDateOf(e.onRollFrom), to: e.onRollTo && isoDateOf(e.onRollTo) })));
  }
  const newPupils: Record<string, unknown>[] = [];
  const newEnrolments: Record<string, unknown>[] = [];
  const pupilChanges: ({ id: string } & Record<string, unknown>)[] = [];
  for (const [i, p] of batch.pupils.entries()) {
    if (i % PROGRESS_EVERY === 0) progress("check", "pupils", i);
    const existing = known.get(p.upn);
    if (existing && existing.academyId !== academy.id) {
      problems.push(problem(p, "UPN_ON_ANOTHER_ROLL", `${p.upn} is a pupil of another academy of the trust: transfer them rather than import them.`, "upn"));
      continue;
    }
    let formId: string | null = null;
    if (p.form) {
      formId = formIds.get(p.form) ?? null;
      if (!formId) {
        problems.push(problem(p, "UNKNOWN_FORM", `The academy has no form "${p.form}": import the forms file first.`, "form"));
        continue;
      }
    }
    if (p.onRollFrom > today) problems.push(problem(p, "FUTURE_DATE", `on_roll_from ${p.onRollFrom} is after today (${today}).`, "on_roll_from"));
    if (p.dateOfBirth >= p.onRollFrom) problems.push(problem(p, "BAD_VALUE", `date_of_birth ${p.dateOfBirth} is not before on_roll_from ${p.onRollFrom}.`, "date_of_birth"));
    const details = {
      formId, legalForename: p.legalForename, legalSurname: p.legalSurname, preferredForename: p.preferredForename ?? null, dateOfBirth: p.dateOfBirth,
      gender: p.gender, yearGroup: p.yearGroup, senProvision: p.senProvision ?? "NONE", freeSchoolMeals: p.freeSchoolMeals ?? false, pupilPremium: p.pupilPremium ?? false,
      englishAdditionalLanguage: p.englishAdditionalLanguage ?? false, lookedAfter: p.lookedAfter ?? false, hasSocialWorker: p.hasSocialWorker ?? false,
    };
    if (!existing) {
      const id = p.id ?? randomUUID();
      pupilIds.set(p.upn, id);
      stays.set(p.upn, [{ from: p.onRollFrom, to: null }]);
      newPupils.push({ id, academyId: academy.id, trustId: academy.trustId, upn: p.upn, ...details });
      newEnrolments.push({
        ...(p.enrolmentId ? { id: p.enrolmentId } : {}), pupilId: id, academyId: academy.id, onRollFrom: p.onRollFrom, registrationType: p.registrationType ?? "SINGLE",
      });
      counts.pupils.added++;
      continue;
    }
    // The enrolment is the roll's to change (admissions and deletions), not an import's: only the details are compared.
    const current = { ...existing, dateOfBirth: existing.dateOfBirth && isoDateOf(existing.dateOfBirth) };
    const differs = Object.entries(details).some(([k, v]) => !same(v, current[k as keyof typeof current]));
    if (differs) {
      pupilChanges.push({ id: existing.id, ...details });
      counts.pupils.changed++;
    } else counts.pupils.unchanged++;
  }
  const pupilOf = (row: Sourced & { upn: string }, field = "upn") => {
    const id = pupilIds.get(row.upn);
    if (!id) problems.push(problem(row, "UNKNOWN_PUPIL", `No pupil with UPN ${row.upn} on this academy's roll.`, field));
    return id;
  };

  // ─── Carers ────────────────────────────────────────────────────────────────
  const carerPupilIds = [...new Set(batch.carers.map((c) => pupilIds.get(c.upn)).filter((id): id is string => id !== undefined))];
  const carers = new Map(
    (await prisma.carer.findMany({ where: { pupilId: { in: carerPupilIds } } })).map((c) => [`${c.pupilId}|${c.contactOrder}`, c]),
  );
  const newCarers: Record<string, unknown>[] = [];
  const carerChanges: ({ id: string } & Record<string, unknown>)[] = [];
  for (const [i, c] of batch.carers.entries()) {
    if (i % PROGRESS_EVERY === 0) progress("check", "carers", i);
    const pupilId = pupilOf(c);
    if (!pupilId) continue;
    const details = {
      salutation: c.salutation, forename: c.forename, surname: c.surname, relationship: c.relationship ?? null, parentalResponsibility: c.parentalResponsibility,
      addressLines: c.addressLines, telephones: c.telephones, email: c.email ?? null, noContact: c.noContact ?? false,
    };
    const existing = carers.get(`${pupilId}|${c.contactOrder}`);
    if (!existing) {
      newCarers.push({ ...(c.id ? { id: c.id } : {}), pupilId, academyId: academy.id, contactOrder: c.contactOrder, ...details });
      counts.carers.added++;
    } else if (Object.entries(details).some(([k, v]) => !same(v, existing[k as keyof typeof existing]))) {
      carerChanges.push({ id: existing.id, ...details });
      counts.carers.changed++;
    } else counts.carers.unchanged++;
  }

  // ─── Calendar: terms and closures of the academy's own layer ───────────────
  const [trustTerms, ownTerms, trustClosures, ownClosures] = await Promise.all([
    prisma.schoolTerm.findMany({ where: { trustId: academy.trustId, academyId: null, replacedAt: null } }),
    prisma.schoolTerm.findMany({ where: { academyId: academy.id, replacedAt: null } }),
    prisma.schoolClosure.findMany({ where: { trustId: academy.trustId, academyId: null, withdrawnAt: null } }),
    prisma.schoolClosure.findMany({ where: { academyId: academy.id, withdrawnAt: null } }),
  ]);
  const termOf = (t: { name: string; academicYear: string; startDate: Date; endDate: Date }): HalfTerm => ({ name: t.name, academicYear: t.academicYear, start: isoDateOf(t.startDate), end: isoDateOf(t.endDate) });
  const closureOf = (c: { kind: Closure["kind"]; startDate: Date; endDate: Date; session: "AM" | "PM" | null; reason: string | null }): Closure => ({
    kind: c.kind, start: isoDateOf(c.startDate), end: isoDateOf(c.endDate), ...(c.session ? { session: c.session } : {}), ...(c.reason ? { reason: c.reason } : {}),
  });
  const ownLayer = { terms: ownTerms.map(termOf), closures: ownClosures.map(closureOf) };
  const newTerms: Record<string, unknown>[] = [];
  const replacedTerms: string[] = [];
  const newClosures: Record<string, unknown>[] = [];
  const withdrawnClosures: string[] = [];
  const actorUserId = options.actor.kind === "user" ? options.actor.id : null;
  for (const c of batch.calendar) {
    if (c.kind === "TERM") {
      const academicYear = c.academicYear ?? schoolYearLabel(c.startDate);
      // A half term lies within its school year, 1 September to 31 August (Education Act 1996, s. 579(1)).
      if (academicYear !== schoolYearLabel(c.startDate) || academicYear !== schoolYearLabel(c.endDate)) {
        problems.push(problem(c, "BAD_VALUE", `${c.startDate}–${c.endDate} is not within the school year ${academicYear}.`, "academic_year"));
        continue;
      }
      const existing = ownTerms.find((t) => isoDateOf(t.startDate) === c.startDate);
      const term = { name: c.name, academicYear, start: c.startDate, end: c.endDate };
      const overlapping = [...ownLayer.terms, ...newTerms.map((t) => t as unknown as HalfTerm)].find((t) => t.start !== c.startDate && t.start <= c.endDate && c.startDate <= t.end);
      if (overlapping) {
        problems.push(problem(c, "OVERLAPPING_TERM", `${c.startDate}–${c.endDate} overlaps the term ${overlapping.name} (${overlapping.start}–${overlapping.end}).`, "start_date"));
        continue;
      }
      if (existing && same(termOf(existing), term)) {
        counts.calendar.unchanged++;
        continue;
      }
      // Terms are replaced, never edited (the calendar keeps who set what: migration 20261204230951_calendars).
      if (existing) {
        replacedTerms.push(existing.id);
        ownLayer.terms = ownLayer.terms.filter((t) => t.start !== c.startDate);
        counts.calendar.changed++;
      } else counts.calendar.added++;
      ownLayer.terms = [...ownLayer.terms, term];
      newTerms.push({ ...(c.id ? { id: c.id } : {}), trustId: academy.trustId, academyId: academy.id, academicYear, name: c.name, startDate: c.startDate, endDate: c.endDate, createdById: actorUserId });
    } else {
      const existing = ownClosures.find((x) => isoDateOf(x.startDate) === c.startDate && (x.session ?? null) === (c.session ?? null));
      const closure = closureOf({ kind: c.closureKind as Closure["kind"], startDate: new Date(`${c.startDate}T00:00:00Z`), endDate: new Date(`${c.endDate}T00:00:00Z`), session: c.session ?? null, reason: c.name });
      if (existing && same(closureOf(existing), closure)) {
        counts.calendar.unchanged++;
        continue;
      }
      if (existing) {
        withdrawnClosures.push(existing.id);
        ownLayer.closures = ownLayer.closures.filter((x) => !(x.start === c.startDate && (x.session ?? null) === (c.session ?? null)));
        counts.calendar.changed++;
      } else counts.calendar.added++;
      ownLayer.closures = [...ownLayer.closures, closure];
      newClosures.push({ ...(c.id ? { id: c.id } : {}), trustId: academy.trustId, academyId: academy.id, kind: c.closureKind, startDate: c.startDate, endDate: c.endDate, session: c.session ?? null, reason: c.name, createdById: actorUserId });
    }
  }
  const calendar = effectiveCalendar({ terms: trustTerms.map(termOf), closures: trustClosures.map(closureOf) } as CalendarLayer, ownLayer);
  // A closure is of days the academy would otherwise meet: within one half term (as addSchoolClosure requires).
  for (const c of batch.calendar) {
    if (c.kind === "CLOSURE" && !calendar.terms.some((t) => t.start <= c.startDate && c.endDate <= t.end)) {
      problems.push(problem(c, "CLOSURE_OUTSIDE_TERM", `${c.startDate}–${c.endDate} is not within one half term of the academy's calendar.`, "start_date"));
    }
  }

  // ─── Marks ─────────────────────────────────────────────────────────────────
  const markPupilIds = [...new Set(batch.marks.map((m) => pupilIds.get(m.upn)).filter((id): id is string => id !== undefined))];
  // Each session's newest version and every code it has had: a row with a
  // code the session already had is unchanged, so an older file imported
  // again never undoes a later amendment (the demo's marks.csv after its
  // amendments.csv), and a re-run changes nothing.
  const current = new Map<string, { codes: string[]; version: number }>();
  if (markPupilIds.length > 0) {
    const dates = batch.marks.map((m) => m.date).sort();
    const rows = await prisma.$queryRawUnsafe<{ pupil_id: string; date: string; session: string; codes: string[]; version: number }[]>(
      `SELECT pupil_id::text, to_char(date, 'YYYY-MM-DD') AS date, session::text, array_agg(code) AS codes, max(version) AS version FROM mark
       WHERE academy_id = $1::uuid AND date BETWEEN $2::date AND $3::date AND pupil_id = ANY($4::uuid[])
       GROUP BY pupil_id, date, session`,
      academy.id, dates[0], dates.at(-1), markPupilIds,
    );
    for (const r of rows) current.set(`${r.pupil_id}|${r.date}|${r.session}`, { codes: r.codes, version: r.version });
  }
  // Who recorded each mark, in the position the mark_author_position trigger
  // would record (a role in this academy first, then a trust-wide one, then by
  // name; seed 003, Appendix 1 §2.2): resolved here once per person, so that
  // a large import does not run that trigger once per row.
  const authors = new Map<string, { id: string; role: string; academyId: string | null; name: string } | string>();
  for (const email of recorderEmails) {
    const user = users.get(email);
    const id = userIdOf(email);
    const roles = [
      ...(user?.roles ?? []).filter((r) => r.trustId === academy.trustId && (r.academyId === academy.id || r.academyId === null)),
      ...newRoles.filter((r) => r.userId === id),
    ].sort((a, b) => Number(b.academyId !== null) - Number(a.academyId !== null) || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
    if (!id) authors.set(email, `No member of staff has the e-mail ${email}: import them in a staff file first.`);
    else if (roles.length === 0) authors.set(email, `${email} holds no role in this academy or its trust.`);
    else authors.set(email, { id, role: roles[0]!.role, academyId: roles[0]!.academyId, name: user?.displayName ?? newUsers.get(email)!.displayName });
  }
  const sessionChecked = new Map<string, string | undefined>();
  const newMarks: (Record<string, unknown> & { date: string; session: string })[] = [];
  for (const [i, m] of batch.marks.entries()) {
    if (i % PROGRESS_EVERY === 0) progress("check", "marks", i);
    const pupilId = pupilOf(m);
    if (!pupilId) continue;
    // Only sessions the academy meets have a register (SI 2024/208, reg. 10(1)), judged by the same rule as takeRegister.
    const key = `${m.date}|${m.session}`;
    if (!sessionChecked.has(key)) {
      const refusal = registerRefusal(calendar, m.date, m.session, today, 0);
      sessionChecked.set(key, refusal && `${refusal.reason === "TOO_FAR_AHEAD" ? "FUTURE_DATE" : "NOT_A_SESSION"}\t${refusal.message}`);
    }
    const refused = sessionChecked.get(key);
    if (refused) {
      const [code, message] = refused.split("\t") as [string, string];
      problems.push(problem(m, code, message, "date"));
      continue;
    }
    const national = codeOn(m.code, m.date);
    if (!national) {
      problems.push(problem(m, "UNKNOWN_CODE", `"${m.code}" is not an attendance code in force on ${m.date} (SI 2024/208, table 1).`, "code"));
      continue;
    }
    // The present codes are per session: / in the morning, \ in the afternoon (SI 2024/208, table 1).
    const disagrees = codeProblem(m.code, m.session, undefined, undefined);
    if (disagrees) {
      problems.push(problem(m, "CODE_DISAGREES", disagrees.message, "code"));
      continue;
    }
    // A pupil has sessions only while on the admission register (SI 2024/208, regs 8 and 9).
    const offRoll = rollRefusal(stays.get(m.upn) ?? [], m.date);
    if (offRoll) {
      problems.push(problem(m, offRoll.reason, offRoll.message, "date"));
      continue;
    }
    const author = m.recordedBy ? authors.get(m.recordedBy)! : undefined;
    if (typeof author === "string") {
      problems.push(problem(m, "UNKNOWN_STAFF", author, "recorded_by"));
      continue;
    }
    if (m.recordedAt && m.recordedAt.slice(0, 10) < m.date) {
      problems.push(problem(m, "BAD_VALUE", `recorded_at ${m.recordedAt} is before the register's date ${m.date}.`, "recorded_at"));
      continue;
    }
    const existing = current.get(`${pupilId}|${m.date}|${m.session}`);
    if (existing?.codes.includes(m.code)) {
      counts.marks.unchanged++;
      continue;
    }
    newMarks.push({
      ...(m.id ? { id: m.id } : {}),
      pupilId, academyId: academy.id, date: m.date, session: m.session, version: existing ? existing.version + 1 : 1, code: m.code, category: national.category,
      minutesLate: m.minutesLate ?? null, note: m.note ?? null, arrivedAt: m.arrivedAt ?? null,
      amendmentReason: existing ? (m.amendmentReason ?? `Imported from ${where(m)}`) : null,
      ...(author
        ? { recordedById: author.id, recordedByRole: author.role, recordedByAcademyId: author.academyId, recordedByName: author.name }
        : { recordedById: actorUserId, recordedByApiClientId: options.actor.kind === "apiClient" ? options.actor.id : null }),
      ...(m.recordedAt ? { recordedAt: m.recordedAt } : {}),
    });
    if (existing) counts.marks.changed++;
    else counts.marks.added++;
  }
  progress("check", "marks", batch.marks.length);

  problems.sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : (a.source.line ?? 0) - (b.source.line ?? 0)));
  if (problems.length > 0 || !options.apply) return { applied: false, problems, counts };

  // ─── Apply, in one transaction ─────────────────────────────────────────────
  await prisma.$transaction(async (tx) => {
    const wrote = (kind: keyof ImportBatch) => progress("write", kind, batch[kind].length);
    // Under row-level security (GraphQL: the application role, one trust) a
    // user holding no role in the trust yet cannot be inserted directly
    // (app_user's policy): app_enrol_user, where the database has it
    // (migration pupil_search), creates or finds them for this trust. As the
    // owner (the command line, the demo loader), one multi-row insert.
    const [scoped] = newUsers.size === 0 ? [] : await tx.$queryRawUnsafe<{ trust: boolean; enrol: boolean }[]>(
      `SELECT app_trust_id() IS NOT NULL AS trust, to_regprocedure('app_enrol_user(text,text,text)') IS NOT NULL AS enrol`,
    );
    if (scoped?.trust && scoped.enrol) {
      for (const user of newUsers.values()) {
        const [row] = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT app_enrol_user($1, $2, $3)::text AS id`, user.email, user.displayName, user.subject);
        for (const role of newRoles) if (role.userId === user.id) role.userId = row!.id;
        for (const tutor of newTutors) if (tutor.userId === user.id) tutor.userId = row!.id;
      }
    } else await bulkInsert(tx, "app_user", [...newUsers.values()]);
    await bulkUpdate(tx, "app_user", userChanges);
    await bulkInsert(tx, "role_assignment", newRoles);
    wrote("staff");
    await bulkInsert(tx, "form", newForms);
    await bulkUpdate(tx, "form", formChanges);
    await bulkInsert(tx, "form_tutor", newTutors);
    for (const t of restoredTutors) await tx.formTutor.update({ where: { formId_userId: t }, data: { revokedAt: null } });
    wrote("forms");
    await bulkInsert(tx, "pupil", newPupils);
    await bulkInsert(tx, "enrolment", newEnrolments);
    await bulkUpdate(tx, "pupil", pupilChanges);
    wrote("pupils");
    await bulkInsert(tx, "carer", newCarers);
    await bulkUpdate(tx, "carer", carerChanges);
    wrote("carers");
    if (replacedTerms.length > 0) await tx.schoolTerm.updateMany({ where: { id: { in: replacedTerms } }, data: { replacedAt: new Date(), replacedById: actorUserId } });
    if (withdrawnClosures.length > 0) {
      await tx.schoolClosure.updateMany({ where: { id: { in: withdrawnClosures } }, data: { withdrawnAt: new Date(), withdrawnById: actorUserId, withdrawalReason: `Replaced by ${batch.calendar[0]?.source.file ?? "an import"}` } });
    }
    await bulkInsert(tx, "school_term", newTerms);
    await bulkInsert(tx, "school_closure", newClosures);
    wrote("calendar");
    if (newMarks.length > 0) {
      // The registers the marks belong in, made as takeRegister makes them (one per academy, date and session).
      const sessions = [...new Map(newMarks.map((m) => [`${m.date}|${m.session}`, { date: m.date, session: m.session }])).values()];
      await tx.$executeRawUnsafe(
        `INSERT INTO register (academy_id, date, session)
         SELECT $1::uuid, x.date, x.session FROM jsonb_to_recordset($2::jsonb) AS x(date date, session session)
         ON CONFLICT (academy_id, date, session) DO NOTHING`,
        academy.id, JSON.stringify(sessions),
      );
      const registers = await tx.$queryRawUnsafe<{ id: string; date: string; session: string }[]>(
        `SELECT r.id::text, to_char(r.date, 'YYYY-MM-DD') AS date, r.session::text FROM register r
         JOIN jsonb_to_recordset($2::jsonb) AS x(date date, session session) ON r.date = x.date AND r.session = x.session
         WHERE r.academy_id = $1::uuid`,
        academy.id, JSON.stringify(sessions),
      );
      const registerIds = new Map(registers.map((r) => [`${r.date}|${r.session}`, r.id]));
      const setBased = options.setBasedMarks === true && !newMarks.some(needsAuthorPosition) && (await canWriteMarksSetBased(tx));
      const rows = newMarks.map((m) => ({ ...m, registerId: registerIds.get(`${m.date}|${m.session}`) }));
      if (setBased) await beginMarksSetBased(tx);
      for (let i = 0; i < rows.length; i += MARKS_PER_STATEMENT) {
        await bulkInsert(tx, setBased ? NEW_MARK_TABLE : "mark", rows.slice(i, i + MARKS_PER_STATEMENT), MARKS_PER_STATEMENT);
        // A large load into tables the planner still takes for empty: the
        // triggers that keep current_mark and attendance_week join them and,
        // without statistics, scan them whole for every chunk. Measured with
        // pnpm bench (1.2 million marks into a new academy): 2.5 s a chunk at
        // first, 180 s a chunk past a million. ANALYZE (which counts this
        // transaction's own rows) after the first chunk keeps it linear; a
        // role that may not analyse a table is skipped with a warning.
        if (i === 0 && rows.length > 4 * MARKS_PER_STATEMENT) await tx.$executeRawUnsafe("ANALYZE mark, current_mark, attendance_week");
        progress("write", "marks", Math.min(i + MARKS_PER_STATEMENT, rows.length));
      }
      if (setBased) await completeMarksSetBased(tx);
    }
    await tx.auditEntry.createMany({
      data: [{
        actorKind: options.actor.kind,
        actorId: options.actor.kind === "user" ? options.actor.id : null,
        apiClientId: options.actor.kind === "apiClient" ? options.actor.id : null,
        trustId: academy.trustId,
        academyId: academy.id,
        operation: options.operation ?? "import",
        variables: { counts } as never,
        outcome: "OK",
      }],
    });
  }, { timeout: APPLY_TIMEOUT_MS, maxWait: 60_000 });
  return { applied: true, problems, counts };
}

/**
 * Reads a file of `kind` and imports it: the problems of reading it and of
 * checking its readable rows are reported together, in line order, so one
 * run lists everything to fix; nothing is written while there is any.
 */
export async function importFile(prisma: PrismaClient, options: ImportOptions, kind: ImportKind, bytes: Uint8Array, file: string): Promise<ImportReport> {
  const { batch, problems } = readers[kind](bytes, file);
  const report = await importBatch(prisma, problems.length > 0 ? { ...options, apply: false } : options, batch);
  if (problems.length === 0) return report;
  const all = [...problems, ...report.problems].sort((a, b) => (a.source.line ?? 0) - (b.source.line ?? 0));
  return { applied: false, problems: all, counts: report.counts };
}
