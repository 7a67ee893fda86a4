// The statistics questions that bench:explain and bench:settings send
// straight to PostgreSQL, built by schema/src/statistics/sql.ts exactly as
// the statistics DataLoader builds them, on the synthetic trust: an
// officer's and a lead's everyday reads over a period, then the trust
// questions of pnpm bench's analytics rows over the school year.
import type { StatisticsQuery } from "@attendance/schema";
import { FROM as YEAR_FROM, TO as YEAR_TO } from "./analytics-questions.ts";

/** Autumn 2 of the synthetic calendar: a half term, Monday to Friday. */
export const HALF_TERM = { from: "2025-11-03", to: "2025-12-19" };

export interface StatisticsQuestion {
  name: string;
  q: StatisticsQuery;
}

/** Reads the synthetic trust's ids with `one` and returns the questions, the everyday ones over `period`. */
export async function statisticsQuestions(
  one: <T>(sql: string, params?: unknown[]) => Promise<T[]>,
  period: { from: string; to: string } = HALF_TERM,
): Promise<StatisticsQuestion[]> {
  const [trust] = await one<{ id: string }>("SELECT id FROM trust WHERE slug = 'synthetic-trust'");
  if (!trust) throw new Error("No synthetic trust in this database: run `pnpm bench` (or `pnpm db:synthetic`) once to load it.");
  const academyIds = (await one<{ id: string }>("SELECT id FROM academy WHERE trust_id = $1 ORDER BY urn", [trust.id])).map((r) => r.id);
  const academy = academyIds[0]!;
  const formIds = (await one<{ id: string }>("SELECT id FROM form WHERE academy_id = $1 ORDER BY year_group, name", [academy])).map((r) => r.id);
  const pupilIds = (await one<{ id: string }>("SELECT id FROM pupil WHERE academy_id = $1 AND form_id IS NOT NULL ORDER BY id", [academy])).map((r) => r.id);
  const { from, to } = period;
  const lead = { academyIds, formIds: [] };
  const officer = { academyIds: [academy], formIds: [] };
  const year = { from: YEAR_FROM, to: YEAR_TO, cohort: {}, scope: lead };
  return [
    { name: "one academy's half term (a lead)", q: { kind: "ACADEMY", ids: [academy], from, to, cohort: {}, by: "TOTAL", scope: lead } },
    { name: `officer view: the academy's ${formIds.length} forms`, q: { kind: "FORM", ids: formIds, from, to, cohort: {}, by: "TOTAL", scope: officer } },
    { name: `officer view: their ${pupilIds.length} pupils`, q: { kind: "PUPIL", ids: pupilIds, from, to, cohort: {}, by: "TOTAL", scope: officer } },
    { name: "the whole trust's half term (a lead)", q: { kind: "TRUST", ids: [trust.id], from, to, cohort: {}, by: "TOTAL", scope: lead } },
    { name: "trust summary (school year)", q: { kind: "TRUST", ids: [trust.id], ...year, by: "TOTAL" } },
    { name: "league table: every academy (school year)", q: { kind: "ACADEMY", ids: academyIds, ...year, by: "TOTAL" } },
    { name: "weekly trend (school year)", q: { kind: "TRUST", ids: [trust.id], ...year, by: "WEEK" } },
    { name: "cohort: free school meals, Year 7 (school year)", q: { kind: "TRUST", ids: [trust.id], ...year, cohort: { freeSchoolMeals: true, yearGroups: [7] }, by: "TOTAL" } },
    { name: "day of the week (school year)", q: { kind: "TRUST", ids: [trust.id], ...year, by: "DAY_OF_WEEK" } },
  ];
}
