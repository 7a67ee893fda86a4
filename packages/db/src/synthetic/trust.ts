// A synthetic trust for benchmarks (issue 8): 30 academies × 1,000 pupils × a
// full school year of two sessions a day, about 11.4 million marks. The
// people, forms and calendars are made here and bulk-inserted; the marks are
// made by PostgreSQL itself, one INSERT … SELECT per academy, from a hash of
// (seed, pupil, date, session), so nothing crosses the wire but the statement
// and every run with the same seed gives the same marks. Each pupil has an
// absence propensity (most near 4%, some persistent, a few severe), a code
// mix for absence and lateness, and a few amendments (N → I, the original
// kept). current_mark and the rollups are kept by the database's triggers.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { bulkInsert } from "../bulk-insert.ts";
import { seededRandom } from "../demo/random.ts";
import { ACADEMIC_YEAR, CLOSURES, HALF_TERMS, TRUST_YEARS } from "../demo/school-year.ts";
import { BOYS, GIRLS, SURNAMES } from "../demo/names.ts";

export const SYNTHETIC_TRUST_SLUG = "synthetic-trust";

export interface SyntheticOptions {
  academies?: number;
  pupilsPerAcademy?: number;
  seed?: number;
  /** Called after each academy's marks: done, total, marks so far. */
  onProgress?: (done: number, total: number, marks: number) => void;
}

export interface SyntheticResult {
  trustId: string;
  academies: number;
  pupils: number;
  marks: number;
  seconds: number;
}

const date = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/** The year's school days: weekdays in the half terms, minus whole-day closures. */
export function syntheticSchoolDays(): string[] {
  const closed = new Set(CLOSURES.map((c) => c.start));
  const days: string[] = [];
  for (const term of HALF_TERMS) {
    for (let d = date(term.start); d <= date(term.end); d = new Date(d.getTime() + 86_400_000)) {
      const iso = d.toISOString().slice(0, 10);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !closed.has(iso)) days.push(iso);
    }
  }
  return days;
}

export async function syntheticTrustExists(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.trust.count({ where: { slug: SYNTHETIC_TRUST_SLUG } })) > 0;
}

export async function loadSyntheticTrust(prisma: PrismaClient, options: SyntheticOptions = {}): Promise<SyntheticResult> {
  const started = performance.now();
  const academies = options.academies ?? 30;
  const perAcademy = options.pupilsPerAcademy ?? 1_000;
  const seed = options.seed ?? 20_260_101;
  const random = seededRandom(seed);
  const days = syntheticSchoolDays();

  const laId = random.uuid();
  const trustId = random.uuid();
  const rows = {
    la: [{ id: laId, code: 990, name: "Synthetic Borough", policyPlugin: "la-greenwich" }],
    trust: [{ id: trustId, slug: SYNTHETIC_TRUST_SLUG, name: "Synthetic Trust (benchmark)", policyPlugin: "trust-vale-academy-trust" }],
    academies: [] as object[], forms: [] as object[], pupils: [] as object[], enrolments: [] as object[],
    terms: [] as object[], closures: [] as object[], registers: [] as object[], users: [] as object[], roles: [] as object[],
  };
  // The trust's calendars for the years around the synthetic one (the demo's
  // dates), from their own stream so that every other row is as it was.
  const calendarRandom = seededRandom(seed + 2);
  for (const year of TRUST_YEARS) {
    for (const term of year.terms) rows.terms.push({ id: calendarRandom.uuid(), trustId, academyId: null, academicYear: year.academicYear, name: term.name, startDate: date(term.start), endDate: date(term.end) });
    for (const c of year.closures) rows.closures.push({ id: calendarRandom.uuid(), trustId, academyId: null, kind: c.kind, startDate: date(c.start), endDate: date(c.end), reason: c.reason });
  }
  const leadId = random.uuid();
  rows.users.push({ id: leadId, email: "lead@synthetic-trust.example", displayName: "Synthetic Lead" });
  rows.roles.push({ id: random.uuid(), userId: leadId, role: "TRUST_ATTENDANCE_LEAD", trustId, academyId: null });
  let upn = 0;
  for (let a = 0; a < academies; a++) {
    const academyId = random.uuid();
    rows.academies.push({
      id: academyId, trustId, localAuthorityId: laId, urn: 900_001 + a, name: `Synthetic Academy ${String(a + 1).padStart(2, "0")}`,
      phase: "SECONDARY", policyPlugin: "academy-woolwich-polytechnic",
    });
    for (const term of HALF_TERMS) rows.terms.push({ id: random.uuid(), trustId, academyId, academicYear: ACADEMIC_YEAR, name: term.name, startDate: date(term.start), endDate: date(term.end) });
    for (const c of CLOSURES) rows.closures.push({ id: random.uuid(), trustId, academyId, kind: c.kind, startDate: date(c.start), endDate: date(c.end), reason: c.reason });
    for (const day of days) for (const session of ["AM", "PM"]) rows.registers.push({ id: random.uuid(), academyId, date: date(day), session });
    // Years 7–11, forms of about 29.
    const formIds: { id: string; yearGroup: number }[] = [];
    for (let y = 7; y <= 11; y++) {
      for (let f = 0; f < Math.ceil(perAcademy / 5 / 29); f++) {
        const id = random.uuid();
        formIds.push({ id, yearGroup: y });
        rows.forms.push({ id, academyId, name: `${y}${"ABCDEFGH"[f]}`, yearGroup: y });
      }
    }
    for (let p = 0; p < perAcademy; p++) {
      const form = formIds[p % formIds.length]!;
      const id = random.uuid();
      const girl = random.chance(0.5);
      const fsm = random.chance(0.23);
      rows.pupils.push({
        id, academyId, trustId, formId: form.id, upn: `S${String(++upn).padStart(12, "0")}`,
        legalForename: (girl ? GIRLS : BOYS)[random.int(0, 35)]!, legalSurname: SURNAMES[random.int(0, SURNAMES.length - 1)]!,
        dateOfBirth: date(`${2025 - form.yearGroup - 5}-0${random.int(1, 8)}-1${random.int(0, 9)}`), gender: girl ? "FEMALE" : "MALE",
        yearGroup: form.yearGroup, senProvision: random.chance(0.13) ? "SEN_SUPPORT" : "NONE", freeSchoolMeals: fsm, pupilPremium: fsm,
      });
      rows.enrolments.push({ id: random.uuid(), pupilId: id, academyId, onRollFrom: date(HALF_TERMS[0]!.start) });
    }
  }
  await prisma.$transaction(
    async (tx) => {
      await bulkInsert(tx, "local_authority", rows.la);
      await bulkInsert(tx, "trust", rows.trust);
      await bulkInsert(tx, "academy", rows.academies);
      await bulkInsert(tx, "form", rows.forms);
      await bulkInsert(tx, "pupil", rows.pupils);
      await bulkInsert(tx, "enrolment", rows.enrolments);
      await bulkInsert(tx, "school_term", rows.terms);
      await bulkInsert(tx, "school_closure", rows.closures);
      await bulkInsert(tx, "register", rows.registers);
      await bulkInsert(tx, "app_user", rows.users);
      await bulkInsert(tx, "role_assignment", rows.roles);
    },
    { timeout: 600_000 },
  );

  let marks = 0;
  const academyIds = (rows.academies as { id: string }[]).map((a) => a.id);
  for (const [i, academyId] of academyIds.entries()) {
    marks += await prisma.$transaction(
      async (tx) => {
        // Bulk-load mode, for this transaction only and only where the role may
        // (a superuser, as on these machines): row triggers — the foreign-key
        // checks and current_mark's trigger — are skipped, and current_mark is
        // filled below in one statement. The rows are made consistent by
        // construction; without the privilege the triggers do it, about 3× slower.
        const bulk = await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica").then(() => true, () => false);
        let n = await tx.$executeRawUnsafe(MARKS_SQL, academyId, String(seed));
        n += await tx.$executeRawUnsafe(AMENDMENTS_SQL, academyId, String(seed));
        if (bulk) {
          await tx.$executeRawUnsafe(CURRENT_SQL, academyId);
          await tx.$executeRawUnsafe(ROLLUP_SQL, academyId);
          // attendance_week's own trigger keeps the running totals; skipped here too (migration attendance_span).
          await tx.$executeRawUnsafe("SELECT attendance_span_rebuild($1::uuid)", academyId);
          // And the per-academy weekly rollup (migration attendance_academy_week).
          // The synthetic trust registers each pupil at one academy, so no
          // academy's shared count depends on an academy loaded later.
          await tx.$executeRawUnsafe("SELECT attendance_academy_week_rebuild($1::uuid)", academyId);
          // And the weekday running totals, which current_mark's trigger keeps (migration attendance_weekday_span).
          await tx.$executeRawUnsafe("SELECT attendance_weekday_span_rebuild($1::uuid)", academyId);
        }
        return n;
      },
      { timeout: 3_600_000 },
    );
    options.onProgress?.(i + 1, academyIds.length, marks);
  }
  await prisma.$executeRawUnsafe("ANALYZE");
  return { trustId, academies, pupils: academies * perAcademy, marks, seconds: (performance.now() - started) / 1000 };
}

// A uniform number in [0, 1) from a text and the seed (hashtextextended is
// stable within a PostgreSQL major version: it backs hash partitioning).
const uniform = (text: string) => `((hashtextextended(${text}, $2::bigint) & 2147483647)::float8 / 2147483648)`;

// Each pupil's absence propensity: 80% near 4%, 15% persistent (10–34%), 5% severe-ish (35–65%).
// Each session: absent with that probability, the code by the shares below;
// present otherwise, a few late (L) before the close or on an approved visit (V).
const MARKS_SQL = `
  WITH pupils AS (
    SELECT id, CASE WHEN who < 0.80 THEN 0.04 WHEN who < 0.95 THEN 0.10 + (who - 0.80) * 1.6 ELSE 0.35 + (who - 0.95) * 6 END AS absence
    FROM (SELECT id, ${uniform("id::text")} AS who FROM pupil WHERE academy_id = $1::uuid) w
  ), rolls AS (
    SELECT r.id AS register_id, p.id AS pupil_id, r.academy_id, r.date, r.session, p.absence,
           ${uniform("p.id::text || r.date::text || r.session::text")} AS roll
    FROM register r CROSS JOIN pupils p
    WHERE r.academy_id = $1::uuid
    OFFSET 0
  ), coded AS (
    SELECT *, CASE
        WHEN roll < absence * 0.50 THEN 'I'
        WHEN roll < absence * 0.58 THEN 'M'
        WHEN roll < absence * 0.62 THEN 'C'
        WHEN roll < absence * 0.80 THEN 'O'
        WHEN roll < absence * 0.88 THEN 'G'
        WHEN roll < absence * 0.94 THEN 'N'
        WHEN roll < absence THEN 'U'
        WHEN roll < absence + 0.03 THEN 'L'
        WHEN roll < absence + 0.035 THEN 'V'
        WHEN session = 'AM' THEN '/'
        ELSE '\\' END AS code
    FROM rolls
  )
  INSERT INTO mark (register_id, pupil_id, academy_id, date, session, version, code, category, minutes_late)
  SELECT register_id, pupil_id, academy_id, date, session, 1, code,
         (CASE WHEN code IN ('I', 'M', 'C') THEN 'AUTHORISED_ABSENCE' WHEN code IN ('O', 'G', 'N', 'U') THEN 'UNAUTHORISED_ABSENCE'
               WHEN code = 'V' THEN 'APPROVED_ACTIVITY' ELSE 'PRESENT' END)::attendance_category,
         CASE code WHEN 'U' THEN 35 WHEN 'L' THEN 10 END
  FROM coded`;

// One in five N marks is later explained as illness: a second version, the original kept.
const AMENDMENTS_SQL = `
  INSERT INTO mark (register_id, pupil_id, academy_id, date, session, version, code, category, amendment_reason)
  SELECT m.register_id, m.pupil_id, m.academy_id, m.date, m.session, 2, 'I', 'AUTHORISED_ABSENCE', 'Parent telephoned: illness'
  FROM mark m
  WHERE m.academy_id = $1::uuid AND m.code = 'N' AND m.version = 1
    AND ${uniform("m.id::text")} < 0.2`;

// What the rollup triggers keep (migration "rollups"), for a bulk load that skipped them.
const ROLLUP_SQL = `
  INSERT INTO attendance_week (academy_id, pupil_id, week_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
  SELECT academy_id, pupil_id, date_trunc('week', date)::date,
         count(*) FILTER (WHERE category <> 'NOT_POSSIBLE'), count(*) FILTER (WHERE category = 'PRESENT'),
         count(*) FILTER (WHERE category = 'APPROVED_ACTIVITY'), count(*) FILTER (WHERE category = 'AUTHORISED_ABSENCE'),
         count(*) FILTER (WHERE category = 'UNAUTHORISED_ABSENCE'), count(*) FILTER (WHERE code = 'L' AND category = 'PRESENT'),
         count(*) FILTER (WHERE code = 'U' AND category = 'UNAUTHORISED_ABSENCE')
  FROM current_mark WHERE academy_id = $1::uuid GROUP BY 1, 2, 3`;

// What mark_keep_current keeps, for a bulk load that skipped it.
const CURRENT_SQL = `
  INSERT INTO current_mark (register_id, pupil_id, mark_id, academy_id, date, session, version, code, category, minutes_late)
  SELECT DISTINCT ON (register_id, pupil_id) register_id, pupil_id, id, academy_id, date, session, version, code, category, minutes_late
  FROM mark WHERE academy_id = $1::uuid
  ORDER BY register_id, pupil_id, version DESC`;
