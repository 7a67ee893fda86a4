// An academy's school calendar as the core's calendar functions read it.
import { isoDateOf, schoolCalendar, type SchoolCalendar } from "@attendance/core";
import type { Prisma } from "@attendance/db";

export async function academyCalendar(db: Prisma.TransactionClient, academyId: string): Promise<SchoolCalendar> {
  const [terms, closures] = await Promise.all([
    db.schoolTerm.findMany({ where: { academyId }, orderBy: { startDate: "asc" } }),
    db.schoolClosure.findMany({ where: { academyId } }),
  ]);
  return schoolCalendar({
    terms: terms.map((t) => ({ name: t.name, academicYear: t.academicYear, start: isoDateOf(t.startDate), end: isoDateOf(t.endDate) })),
    closures: closures.map((c) => ({
      kind: c.kind, start: isoDateOf(c.startDate), end: isoDateOf(c.endDate), ...(c.session ? { session: c.session } : {}), ...(c.reason ? { reason: c.reason } : {}),
    })),
  });
}
