// Writes the demo trusts into an empty database, in one transaction, in
// multi-row inserts (thousands of rows a statement).
import type { PrismaClient } from "../generated/prisma/client.ts";
import { bulkInsert } from "../bulk-insert.ts";
import { buildDemo, type DemoOptions, type DemoRows } from "./build.ts";

export type { DemoOptions, DemoRows };
export { buildDemo, demoSchoolDays } from "./build.ts";
export { ACADEMIES as DEMO_ACADEMIES, TRUSTS as DEMO_TRUSTS } from "./trusts.ts";

export async function isDatabaseEmpty(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.trust.count()) === 0;
}

export interface DemoCounts {
  academies: number;
  pupils: number;
  registers: number;
  marks: number;
}

/** Loads the demo trusts. The database must be empty (see isDatabaseEmpty). */
export async function seedDemo(prisma: PrismaClient, options: DemoOptions = {}): Promise<DemoCounts> {
  const rows = buildDemo(options);
  await prisma.$transaction(
    async (tx) => {
      // In dependency order.
      await bulkInsert(tx, "local_authority", rows.localAuthorities);
      await bulkInsert(tx, "trust", rows.trusts);
      await bulkInsert(tx, "academy", rows.academies);
      await bulkInsert(tx, "form", rows.forms);
      await bulkInsert(tx, "app_user", rows.users);
      await bulkInsert(tx, "role_assignment", rows.roleAssignments);
      await bulkInsert(tx, "form_tutor", rows.formTutors);
      await bulkInsert(tx, "pupil", rows.pupils);
      await bulkInsert(tx, "carer", rows.carers);
      await bulkInsert(tx, "enrolment", rows.enrolments);
      await bulkInsert(tx, "school_term", rows.terms);
      await bulkInsert(tx, "school_closure", rows.closures);
      await bulkInsert(tx, "register", rows.registers);
      await bulkInsert(tx, "register_submission", rows.submissions);
      await bulkInsert(tx, "mark", rows.marks);
    },
    { timeout: 300_000, maxWait: 10_000 },
  );
  return { academies: rows.academies.length, pupils: rows.pupils.length, registers: rows.registers.length, marks: rows.marks.length };
}

/**
 * A demo user by role, from the demo rows built in memory (the ids are the
 * same as in any database the demo was loaded into): for `pnpm demo:token`,
 * which must work while the server holds the PGlite database open.
 */
export function demoUser(
  role: DemoRows["roleAssignments"][number]["role"],
  where: { academyUrn?: number; trustSlug?: string } = {},
): { id: string; email: string; displayName: string } {
  const rows = buildDemo();
  const academy = where.academyUrn === undefined ? undefined : rows.academies.find((a) => a.urn === where.academyUrn);
  if (where.academyUrn !== undefined && !academy) throw new Error(`No demo academy has URN ${where.academyUrn}.`);
  const trust = where.trustSlug === undefined ? undefined : rows.trusts.find((t) => t.slug === where.trustSlug);
  if (where.trustSlug !== undefined && !trust) throw new Error(`No demo trust is called ${where.trustSlug}.`);
  const assignment = rows.roleAssignments.find(
    (a) => a.role === role && (!academy || a.academyId === academy.id) && (!trust || a.trustId === trust.id),
  );
  if (!assignment) throw new Error(`No demo user is ${role}${academy ? ` at ${academy.name}` : ""}${trust ? ` in ${trust.name}` : ""}.`);
  const user = rows.users.find((u) => u.id === assignment.userId)!;
  return { id: user.id!, email: user.email, displayName: user.displayName };
}
export { HALF_TERMS as DEMO_HALF_TERMS, CLOSURES as DEMO_CLOSURES } from "./school-year.ts";
