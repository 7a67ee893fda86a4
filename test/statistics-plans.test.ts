// The statistics statements can be served by current_mark's indexes (issue
// 17): each question's group and the actor's scope are compared on the
// columns in their own types, so PostgreSQL can reach an academy's or a
// pupil's marks through (academy_id, date) or (pupil_id, date) instead of
// reading every mark of the period. On the small demo the planner may still
// prefer a sequential scan, so sequential scans are priced out here: a
// statement whose filters no index can serve (a column cast to text, a list
// unpacked from JSON, an OR across two tables) still scans current_mark, and
// fails. The answers themselves are held to the every-mark reference by
// statistics.test.ts; the times on 11.5 million marks are in README, Benchmarks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, type PrismaClient } from "@attendance/db";
import { statisticsSql, type StatisticsQuery } from "@attendance/schema";
import { isAcademySized, queryStatistics } from "../schema/src/statistics/sql.ts";
import { startTestServer, type TestServer } from "./support/harness.ts";

describe.each(availableBackends())("statistics plans on %s", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 2, weeks: 2 } });
  });
  afterAll(() => t?.close());

  /** The plan of the statement the statistics DataLoader would send, with sequential scans priced out. */
  async function plan(q: StatisticsQuery, rollup = false): Promise<string> {
    const { sql, params } = statisticsSql(q, { rollup });
    return t.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`, ...params);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  }

  it("reaches one academy's marks, its forms' and its pupils' through current_mark's indexes, for a lead, an officer and a teacher", async () => {
    const prisma = t.db.prisma;
    const academy = await prisma.academy.findFirstOrThrow({ orderBy: { urn: "asc" }, include: { forms: { orderBy: { name: "asc" } } } });
    const academyIds = (await prisma.academy.findMany({ where: { trustId: academy.trustId } })).map((a) => a.id);
    const pupils = (await prisma.pupil.findMany({ where: { academyId: academy.id }, take: 5 })).map((p) => p.id);
    const forms = academy.forms.map((f) => f.id);
    const period = { from: "2025-09-01", to: "2025-09-12", cohort: {}, by: "TOTAL" as const };
    const lead = { academyIds, formIds: [] };
    const officer = { academyIds: [academy.id], formIds: [] };
    const teacher = { academyIds: [], formIds: forms.slice(0, 1) };
    // The index searched for the ids sent, not only joined to row by row.
    const byAcademies = /current_mark_academy_id_date_idx[^\n]*\n\s*Index Cond: \(\(academy_id = ANY/;
    const byPupils = /current_mark_pupil_id_date_idx[^\n]*\n\s*Index Cond: \(\(pupil_id = ANY/;
    const cases: { name: string; q: StatisticsQuery; index: RegExp }[] = [
      { name: "the academy, for a lead", q: { kind: "ACADEMY", ids: [academy.id], scope: lead, ...period }, index: byAcademies },
      { name: "the trust, for a lead", q: { kind: "TRUST", ids: [academy.trustId], scope: lead, ...period }, index: byAcademies },
      { name: "the academy's forms, for its officer", q: { kind: "FORM", ids: forms, scope: officer, ...period }, index: byAcademies },
      { name: "a year group, for its officer", q: { kind: "YEAR_GROUP", ids: [`${academy.id}:${academy.forms[0]!.yearGroup}`], scope: officer, ...period }, index: byAcademies },
      { name: "pupils, for the officer", q: { kind: "PUPIL", ids: pupils, scope: officer, ...period }, index: byPupils },
      { name: "a form, for its teacher", q: { kind: "FORM", ids: forms.slice(0, 1), scope: teacher, ...period }, index: /current_mark_(pupil|academy)_id_date_idx/ },
    ];
    for (const { name, q, index } of cases) {
      const text = await plan(q);
      expect(text, name).not.toMatch(/Seq Scan on current_mark/);
      expect(text, name).toMatch(index);
    }
    // The whole weeks in total from the running totals, through their key
    // (academy_id first); week by week from the weekly rollup, through its
    // (academy_id, week_start) index.
    const rolled = await plan({ kind: "ACADEMY", ids: [academy.id], scope: officer, ...period }, true);
    expect(rolled).not.toMatch(/Seq Scan on attendance_(week|span)/);
    expect(rolled).toMatch(/attendance_span_pkey[^\n]*\n\s*Index Cond: \(\(academy_id = ANY/);
    // By day of the week, from the weekday running totals, through their key.
    for (const q of [{ kind: "ACADEMY" as const, ids: [academy.id], scope: officer }, { kind: "TRUST" as const, ids: [academy.trustId], scope: lead }]) {
      const days = await plan({ ...q, ...period, by: "DAY_OF_WEEK" }, true);
      expect(days, q.kind).not.toMatch(/Seq Scan on attendance_weekday_span/);
      expect(days, q.kind).toMatch(/attendance_weekday_span_pkey[^\n]*\n\s*Index Cond: \(\(academy_id = ANY/);
    }
    const weekly = await plan({ kind: "ACADEMY", ids: [academy.id], scope: officer, ...period, by: "WEEK" }, true);
    expect(weekly).not.toMatch(/Seq Scan on attendance_week/);
    expect(weekly).toMatch(/attendance_week_academy_id_week_start_idx|attendance_week_pkey/);
    // An academy's or the trust's weekly trend with no cohort: its whole weeks
    // from the per-academy rollup, through its key (academy_id, week_start).
    for (const q of [{ kind: "ACADEMY" as const, ids: [academy.id], scope: officer }, { kind: "TRUST" as const, ids: [academy.trustId], scope: lead }]) {
      const trend = await plan({ ...q, ...period, by: "WEEK" }, true);
      expect(trend, q.kind).not.toMatch(/Seq Scan on attendance_(academy_)?week/);
      expect(trend, q.kind).toMatch(/attendance_academy_week_pkey[^\n]*\n\s*Index Cond: \(\(academy_id = ANY/);
    }
    // Never for a form-scoped teacher, nor with a cohort: the table has neither forms nor pupils.
    expect(statisticsSql({ kind: "ACADEMY", ids: [academy.id], scope: teacher, ...period, by: "WEEK" }).sql).not.toMatch(/attendance_academy_week/);
    expect(statisticsSql({ kind: "TRUST", ids: [academy.trustId], scope: lead, ...period, cohort: { gender: "FEMALE" }, by: "WEEK" }).sql).not.toMatch(/attendance_academy_week/);
  });

  it("runs an academy's everyday questions without parallel workers and gives the transaction its setting back; trust questions keep them", async () => {
    // Starting two workers cost 20–25 ms against statements of 4 ms on the
    // benchmark trust (README "PostgreSQL settings"); the trust-wide ones gain from them.
    const prisma = t.db.prisma;
    const academy = await prisma.academy.findFirstOrThrow({ orderBy: { urn: "asc" }, include: { forms: true } });
    const academyIds = (await prisma.academy.findMany({ where: { trustId: academy.trustId } })).map((a) => a.id);
    const period = { from: "2025-09-01", to: "2025-09-12", cohort: {}, by: "TOTAL" as const, scope: { academyIds, formIds: [] } };
    const forms = academy.forms.map((f) => f.id);
    expect(isAcademySized({ kind: "ACADEMY", ids: [academy.id] })).toBe(true);
    expect(isAcademySized({ kind: "FORM", ids: forms })).toBe(true);
    expect(isAcademySized({ kind: "ACADEMY", ids: academyIds })).toBe(academyIds.length <= 1);
    expect(isAcademySized({ kind: "TRUST", ids: [academy.trustId] })).toBe(false);
    expect(isAcademySized({ kind: "PUPIL", ids: Array.from({ length: 2_001 }, (_, i) => String(i)) })).toBe(false);
    t.resetStatements();
    const seen = await prisma.$transaction(async (tx) => {
      const session = (await tx.$queryRawUnsafe<{ v: string }[]>("SELECT current_setting('max_parallel_workers_per_gather') AS v"))[0]!.v;
      await tx.$executeRawUnsafe("SET LOCAL max_parallel_workers_per_gather = 3");
      const during: string[] = [];
      const before = (await tx.$queryRawUnsafe<{ v: string }[]>("SELECT current_setting('max_parallel_workers_per_gather') AS v"))[0]!.v;
      await queryStatistics(tx as PrismaClient, { kind: "FORM", ids: forms, ...period });
      during.push((await tx.$queryRawUnsafe<{ v: string }[]>("SELECT current_setting('max_parallel_workers_per_gather') AS v"))[0]!.v);
      await queryStatistics(tx as PrismaClient, { kind: "TRUST", ids: [academy.trustId], ...period });
      during.push((await tx.$queryRawUnsafe<{ v: string }[]>("SELECT current_setting('max_parallel_workers_per_gather') AS v"))[0]!.v);
      return { session, before, during };
    });
    // SET LOCAL … DEFAULT is the session's value, not the 3 set above: the
    // service never sets it per transaction, so that is what its operations had.
    expect(seen.before).toBe("3");
    expect(seen.during).toEqual([seen.session, seen.session]);
    // The statements as sent: the form question between the two settings, the trust question alone.
    const sent = t.statements.map((sql) => (/max_parallel_workers_per_gather = (\w+)/.exec(sql)?.[0] ?? (/attendance_span|current_mark/.test(sql) ? "question" : "other")));
    const from = sent.indexOf("max_parallel_workers_per_gather = 0");
    expect(sent.slice(from, from + 3)).toEqual(["max_parallel_workers_per_gather = 0", "question", "max_parallel_workers_per_gather = DEFAULT"]);
    expect(sent.slice(from + 3).filter((s) => s !== "other")).toEqual(["question"]);
  });

  it("holds every list of ids, year groups and dates as a constant array, parsed once while planning, never per row", async () => {
    // A list cast in the statement ($n::text::uuid[]) is STABLE: it shows in
    // the plan as '{...}'::cstring and is parsed again for every row a filter
    // reads (12 s on the benchmark trust's weekly rollup). uuid_list and its
    // siblings are IMMUTABLE, so the plan holds '{...}'::uuid[] itself.
    const prisma = t.db.prisma;
    const academy = await prisma.academy.findFirstOrThrow({ orderBy: { urn: "asc" }, include: { forms: true } });
    const academyIds = (await prisma.academy.findMany({ where: { trustId: academy.trustId } })).map((a) => a.id);
    const scope = { academyIds, formIds: academy.forms.map((f) => f.id).slice(0, 1) };
    const cohort = { yearGroups: [7, 8], senProvision: ["NONE" as const] };
    for (const rollup of [false, true]) {
      const text = await plan({ kind: "TRUST", ids: [academy.trustId], from: "2025-09-03", to: "2025-09-19", cohort, by: "TOTAL", scope }, rollup);
      expect(text).not.toMatch(/::cstring\)::(uuid|integer|date|text)\[\]/);
      expect(text).toMatch(/'\{[0-9a-f-]{36}(,[0-9a-f-]{36})*\}'::uuid\[\]/);
    }
  });
});
