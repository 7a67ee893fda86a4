// The trust lead's five analytics questions of pnpm bench, each as a GraphQL
// query and the same question's SQL (statisticsSql, as the resolver builds
// it), over the synthetic school year. Shared by the analytics phase
// (main.ts) and the growth phase (growth-phase.ts), so that every size of
// trust is asked exactly what the main table reports.
import { statisticsSql, type StatisticsQuery } from "@attendance/schema";

/** The synthetic school year (2025/26: packages/db/src/synthetic). */
export const FROM = "2025-09-01";
export const TO = "2026-07-21";
export const FIGURES = "pupils possibleSessions present authorisedAbsence unauthorisedAbsence persistentlyAbsent severelyAbsent attendanceRate";

export interface AnalyticsQuestion {
  name: string;
  query: string;
  sql: ReturnType<typeof statisticsSql>;
}

/** The five questions for a trust and its academies (the league table asks for every academy, however many). */
export function analyticsQuestions(trustId: string, academyIds: string[]): AnalyticsQuestion[] {
  const scope = { academyIds, formIds: [] };
  const sql = (q: Omit<StatisticsQuery, "scope">) => statisticsSql({ ...q, scope });
  const trust = { kind: "TRUST" as const, ids: [trustId], from: FROM, to: TO, cohort: {} };
  return [
    {
      name: "trust summary (school year)",
      query: `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { attendance(from: $from, to: $to) { total { ${FIGURES} } } } } } }`,
      sql: sql({ ...trust, by: "TOTAL" }),
    },
    {
      name: `league table: ${academyIds.length} academies`,
      query: `query ($from: Date!, $to: Date!) { academies(first: ${academyIds.length}) { edges { node { name attendance(from: $from, to: $to) { total { ${FIGURES} } } } } } }`,
      sql: sql({ kind: "ACADEMY", ids: academyIds, from: FROM, to: TO, cohort: {}, by: "TOTAL" }),
    },
    {
      name: "weekly trend",
      query: `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { attendance(from: $from, to: $to) { byWeek { key figures { ${FIGURES} } } } } } } }`,
      sql: sql({ ...trust, by: "WEEK" }),
    },
    {
      name: "cohort: free school meals, Year 7",
      query: `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { attendance(from: $from, to: $to, cohort: { freeSchoolMeals: true, yearGroups: [7] }) { total { ${FIGURES} } } } } } }`,
      sql: sql({ ...trust, cohort: { freeSchoolMeals: true, yearGroups: [7] }, by: "TOTAL" }),
    },
    {
      name: "day of the week",
      query: `query ($from: Date!, $to: Date!) { trusts(first: 1) { edges { node { attendance(from: $from, to: $to) { byDayOfWeek { key figures { ${FIGURES} } } } } } } }`,
      sql: sql({ ...trust, by: "DAY_OF_WEEK" }),
    },
  ];
}
