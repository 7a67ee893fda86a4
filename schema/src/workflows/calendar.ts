// An academy's school calendar as the core's calendar functions read it: the
// trust's calendar with the academy's own on top (packages/core/src/calendar/
// inheritance.ts). Every caller that needs terms or closures (registers,
// statistics, leave, the roll, escalations) reads it through here, so all of
// them follow the same calendar. Replaced half terms and withdrawn closures
// are kept in the tables but are not part of any calendar.
import { effectiveCalendar, halfTermOn, isoDateOf, type CalendarLayer, type EffectiveCalendar, type HalfTerm, type IsoDate } from "@attendance/core";
import type { Prisma } from "@attendance/db";

type Db = Prisma.TransactionClient;

type TermRow = { name: string; academicYear: string; startDate: Date; endDate: Date };
type ClosureRow = { kind: "INSET" | "BANK_HOLIDAY" | "PLANNED" | "UNEXPECTED"; startDate: Date; endDate: Date; session: "AM" | "PM" | null; reason: string | null };

export const termOf = (t: TermRow): HalfTerm => ({ name: t.name, academicYear: t.academicYear, start: isoDateOf(t.startDate), end: isoDateOf(t.endDate) });
export const closureOf = (c: ClosureRow) => ({
  kind: c.kind, start: isoDateOf(c.startDate), end: isoDateOf(c.endDate), ...(c.session ? { session: c.session } : {}), ...(c.reason ? { reason: c.reason } : {}),
});

/** The half terms and closures in force of one layer: the trust's (academyId null) or an academy's own. */
export async function calendarLayer(db: Db, trustId: string, academyId: string | null, academicYear?: string): Promise<CalendarLayer> {
  const [terms, closures] = await Promise.all([
    db.schoolTerm.findMany({ where: { trustId, academyId, replacedAt: null, ...(academicYear ? { academicYear } : {}) }, orderBy: { startDate: "asc" } }),
    db.schoolClosure.findMany({ where: { trustId, academyId, withdrawnAt: null }, orderBy: [{ startDate: "asc" }, { id: "asc" }] }),
  ]);
  return { terms: terms.map(termOf), closures: closures.map(closureOf) };
}

/** The academy's calendar: its own half terms for each year it has any, else its trust's; the closures of both within them. */
export async function academyCalendar(db: Db, academyId: string): Promise<EffectiveCalendar> {
  const academy = await db.academy.findUniqueOrThrow({ where: { id: academyId }, select: { trustId: true } });
  const [trust, own] = await Promise.all([calendarLayer(db, academy.trustId, null), calendarLayer(db, academy.trustId, academyId)]);
  return effectiveCalendar(trust, own);
}

/** The half term of the academy's calendar that contains `date` (undefined in a holiday or outside the calendar). */
export async function academyHalfTermOn(db: Db, academyId: string, date: IsoDate): Promise<HalfTerm | undefined> {
  return halfTermOn(await academyCalendar(db, academyId), date);
}
