// Per-request DataLoaders (never shared between requests: a shared cache would
// leak across tenants). Each batches one kind of lookup into one SQL statement.
import DataLoader from "dataloader";
import type { PolicyRegistry } from "@attendance/core";
import type { Mark, PrismaClient } from "@attendance/db";
import { createPolicyLoader, type PolicyLoader } from "./policy.ts";
import { queryStatistics, type Breakdown, type Cohort, type FiguresRow, type GroupKind, type Scope } from "./statistics/sql.ts";

/** One group's figures for a period, cohort and breakdown. */
export interface StatisticsKey {
  kind: GroupKind;
  id: string;
  from: string;
  to: string;
  cohort: Cohort;
  by: Breakdown;
}

export interface CompletionKey {
  academyId: string;
  date: string;
  session: "AM" | "PM";
}

export interface FormCompletion {
  formId: string;
  academyId: string;
  takenAt: Date | null;
}

export interface Loaders {
  /** Every version of a pupil's entry in a register, by "registerId/pupilId", oldest first. */
  markHistory: DataLoader<string, Mark[]>;
  /** A pupil's form, by pupil id (for teachers' per-form access checks). */
  pupilForm: DataLoader<string, string | null>;
  /** A pupil's current academy and form, by pupil id (who reads a moved pupil's earlier marks: register.ts). */
  pupilPlace: DataLoader<string, { academyId: string; formId: string | null } | null>;
  /** Attendance figures, batched into one SQL statement per distinct question. */
  statistics: DataLoader<StatisticsKey, FiguresRow[], string>;
  /** Possible sessions left in an academy's calendar after a date, to the end of its school year. */
  remainingSessions: DataLoader<{ academyId: string; after: string; yearEnd: string }, number, string>;
  /**
   * The attendance fields' arguments once checked (attendance.ts summaryFor),
   * by their dates and cohort: an officer's forms ask for a thousand pupils'
   * figures with the same period, checked once rather than a thousand times.
   */
  summaries: Map<string, { from: string; to: string; cohort: Cohort }>;
  /** Whether each (visible) form's part of a register has been taken. */
  completion: DataLoader<CompletionKey, FormCompletion[], string>;
  /** The policy in force for an academy on a day (policy.ts). */
  policy: PolicyLoader;
  /** A member of staff's e-mail and name by user id (the audit log's actors; null if not visible). */
  staffUser: DataLoader<string, { email: string; displayName: string } | null>;
  /** An academy's URN and name by id (the audit log's academies; null if not visible). */
  academyUrn: DataLoader<string, { urn: number; name: string } | null>;
  /** Current marks a pupil has in a period, by "pupilId|from|to" (Pupil.marks' totalCount). */
  pupilMarkCount: DataLoader<string, number>;
  /** Current marks of the pupils the actor may see in a register, by register id (Register.marks' totalCount). */
  registerMarkCount: DataLoader<string, number>;
}

/** Register/pupil pairs per history statement: 2 bind parameters each, well under PostgreSQL's 65,535. */
export const MAX_PAIRS_PER_STATEMENT = 10_000;

/**
 * A statistics question's key without its group: kind, period, breakdown and
 * cohort. Built from the fields rather than by JSON.stringify of the whole
 * key, twice for each of an officer's thousand pupils (issue 17, item 1).
 */
const questionKey = (k: StatisticsKey) => `${k.kind}|${k.from}|${k.to}|${k.by}|${JSON.stringify(k.cohort)}`;

export function createLoaders(prisma: PrismaClient, scope: Scope, policies: PolicyRegistry): Loaders {
  return {
    summaries: new Map(),
    policy: createPolicyLoader(prisma, policies),
    staffUser: new DataLoader(async (ids) => {
      const rows = await prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, email: true, displayName: true } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    academyUrn: new DataLoader(async (ids) => {
      const rows = await prisma.academy.findMany({ where: { id: { in: [...ids] } }, select: { id: true, urn: true, name: true } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    statistics: new DataLoader(
      async (keys) => {
        // One statement per distinct question; the groups asked about go in
        // together. An officer's forms ask about 1,000 pupils in one batch:
        // each key is stringified once and the rows are sorted to their
        // groups in one pass (filtering every row for every key was a
        // million comparisons a request; issue 17, item 1).
        const questions = new Map<string, { question: Omit<StatisticsKey, "id">; at: number[] }>();
        keys.forEach((k, i) => {
          const q = questionKey(k);
          const entry = questions.get(q);
          if (entry) entry.at.push(i);
          else questions.set(q, { question: k, at: [i] });
        });
        const results: FiguresRow[][] = keys.map(() => []);
        await Promise.all(
          [...questions.values()].map(async ({ question: { kind, from, to, cohort, by }, at }) => {
            const rows = await queryStatistics(prisma, { kind, from, to, cohort, by, scope, ids: at.map((i) => keys[i]!.id) });
            const byGroup = new Map<string, FiguresRow[]>();
            for (const r of rows) {
              const list = byGroup.get(r.groupId);
              if (list) list.push(r);
              else byGroup.set(r.groupId, [r]);
            }
            // DataLoader dedupes keys, so each group is asked once per question.
            for (const i of at) results[i] = byGroup.get(keys[i]!.id) ?? [];
          }),
        );
        return results;
      },
      { cacheKeyFn: (k) => `${k.id}|${questionKey(k)}` },
    ),
    remainingSessions: new DataLoader(
      async (keys) => {
        const rows = await prisma.$queryRawUnsafe<{ key: string; sessions: number }[]>(
          `SELECT k.key, (
             SELECT count(*) * 2 - coalesce(sum(CASE WHEN EXISTS (
                      SELECT 1 FROM school_closure c WHERE c.academy_id = k.academy_id
                        AND d BETWEEN c.start_date AND c.end_date AND c.session IS NOT NULL) THEN 1 ELSE 0 END), 0)
             FROM school_term t, generate_series(t.start_date, t.end_date, interval '1 day') AS d
             WHERE t.academy_id = k.academy_id AND d > k.after AND d <= k.year_end
               AND extract(isodow FROM d) < 6
               AND NOT EXISTS (SELECT 1 FROM school_closure c WHERE c.academy_id = k.academy_id
                                 AND d BETWEEN c.start_date AND c.end_date AND c.session IS NULL)
           )::int AS sessions
           FROM jsonb_to_recordset($1::jsonb) AS k(key text, academy_id uuid, after date, year_end date)`,
          JSON.stringify(keys.map((k) => ({ key: JSON.stringify(k), academy_id: k.academyId, after: k.after, year_end: k.yearEnd }))),
        );
        const byKey = new Map(rows.map((r) => [r.key, r.sessions]));
        return keys.map((k) => byKey.get(JSON.stringify(k)) ?? 0);
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    completion: new DataLoader(
      async (keys) => {
        const rows = await prisma.$queryRawUnsafe<(FormCompletion & { key: string })[]>(
          `SELECT k.key, f.id AS "formId", f.academy_id AS "academyId",
                  (SELECT min(rs.taken_at) FROM register_submission rs JOIN register r ON r.id = rs.register_id
                    WHERE rs.form_id = f.id AND r.date = k.date AND r.session = k.session) AS "takenAt"
           FROM jsonb_to_recordset($1::jsonb) AS k(key text, academy_id uuid, date date, session session)
           JOIN form f ON f.academy_id = k.academy_id
           WHERE f.academy_id IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid)
              OR f.id IN (SELECT jsonb_array_elements_text($3::jsonb)::uuid)
           ORDER BY f.year_group, f.name`,
          JSON.stringify(keys.map((k) => ({ key: JSON.stringify(k), academy_id: k.academyId, date: k.date, session: k.session }))),
          JSON.stringify(scope.academyIds),
          JSON.stringify(scope.formIds),
        );
        return keys.map((k) => rows.filter((r) => r.key === JSON.stringify(k)).map(({ key: _key, ...form }) => form));
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    markHistory: new DataLoader(
      async (keys) => {
        const pairs = keys.map((k) => k.split("/") as [string, string]);
        const marks = await prisma.mark.findMany({
          where: { OR: pairs.map(([registerId, pupilId]) => ({ registerId, pupilId })) },
          orderBy: { version: "asc" },
        });
        const byKey = new Map<string, Mark[]>();
        for (const m of marks) {
          const key = `${m.registerId}/${m.pupilId}`;
          const list = byKey.get(key);
          if (list) list.push(m);
          else byKey.set(key, [m]);
        }
        return keys.map((k) => byKey.get(k) ?? []);
      },
      // Each pair is two bind parameters, and Prisma does not split an OR list:
      // PostgreSQL refuses a statement with more than 65,535 (issue 13 saw
      // "Unexpected error." at about 20,000 marks with their history).
      { maxBatchSize: MAX_PAIRS_PER_STATEMENT },
    ),
    pupilPlace: new DataLoader(async (ids) => {
      const pupils = await prisma.pupil.findMany({ where: { id: { in: [...ids] } }, select: { id: true, academyId: true, formId: true } });
      const places = new Map(pupils.map((p) => [p.id, { academyId: p.academyId, formId: p.formId }]));
      return ids.map((id) => places.get(id) ?? null);
    }),
    pupilForm: new DataLoader(async (ids) => {
      const pupils = await prisma.pupil.findMany({ where: { id: { in: [...ids] } }, select: { id: true, formId: true } });
      const forms = new Map(pupils.map((p) => [p.id, p.formId]));
      return ids.map((id) => forms.get(id) ?? null);
    }),
    // The mark connections' totalCount counts the parents' own marks.
    // plugin-prisma's `totalCount: true` asks Prisma for a relation count,
    // which Prisma joins to an aggregate of the relation over every parent:
    // all marks of the period grouped by pupil, or all current marks by
    // register, then the one wanted picked out (16.7 s and 19.7 s for one
    // pupil's term and one register on the benchmark trust; README,
    // Benchmarks). These count only the parents asked for, through the
    // (pupil_id, date) and register indexes.
    pupilMarkCount: new DataLoader(async (keys) => {
      // One statement per period asked, its pupils together.
      const byPeriod = new Map<string, string[]>();
      for (const key of keys) {
        const [pupilId, from, to] = key.split("|") as [string, string, string];
        byPeriod.set(`${from}|${to}`, [...(byPeriod.get(`${from}|${to}`) ?? []), pupilId]);
      }
      const counts = new Map<string, number>();
      for (const [period, pupilIds] of byPeriod) {
        const [from, to] = period.split("|") as [string, string];
        const rows = await prisma.$queryRawUnsafe<{ pupil_id: string; n: number }[]>(
          `SELECT pupil_id::text, count(*)::int AS n FROM current_mark
           WHERE pupil_id = ANY(uuid_list($1::text)) AND date BETWEEN $2::date AND $3::date GROUP BY 1`,
          `{${pupilIds.join(",")}}`, from, to,
        );
        for (const r of rows) counts.set(`${r.pupil_id}|${period}`, r.n);
      }
      return keys.map((k) => counts.get(k) ?? 0);
    }),
    registerMarkCount: new DataLoader(async (ids) => {
      const rows = await prisma.mark.groupBy({
        by: ["registerId"],
        // The pupils the actor may see (visibility.ts's visiblePupilsWhere, on the same scope).
        where: { registerId: { in: [...ids] }, current: { isNot: null }, pupil: { OR: [{ academyId: { in: scope.academyIds } }, { formId: { in: scope.formIds } }] } },
        _count: { _all: true },
      });
      const counts = new Map(rows.map((r) => [r.registerId, r._count._all]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
  };
}
