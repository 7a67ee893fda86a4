// @attendance/core: the pure attendance domain. No database, no GraphQL, no I/O.
export * from "./dates.ts";
export * from "./codes/national-codes.ts";
export * from "./codes/lookup.ts";
export * from "./access/roles.ts";
export * from "./access/actor.ts";
export * from "./policy/register-times.ts";
export * from "./policy/contract.ts";
export * from "./attendance/summary.ts";
export * from "./calendar/calendar.ts";
export * from "./calendar/half-terms.ts";
export * from "./calendar/sessions.ts";
export * from "./calendar/school-weeks.ts";
export * from "./attendance/percent.ts";
export * from "./policy/lateness-ladder.ts";
export * from "./policy/rewards.ts";
