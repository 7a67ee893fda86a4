// Writes the demo trusts into an empty database, in one transaction, in
// multi-row inserts (thousands of rows a statement).
import type { PrismaClient } from "../generated/prisma/client.ts";
import { bulkInsert } from "../bulk-insert.ts";
import { buildDemo, type DemoOptions, type DemoRows } from "./build.ts";

export type { DemoOptions, DemoRows };
export { buildDemo, demoSchoolDays } from "./build.ts";
export { ALL_ACADEMIES as DEMO_ACADEMIES, ACADEMIES as DEMO_SEED_ACADEMIES, SIBLINGS as DEMO_SIBLINGS, TRUSTS as DEMO_TRUSTS } from "./trusts.ts";

export async function isDatabaseEmpty(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.trust.count()) === 0;
}

export interface DemoCounts {
  academies: number;
  pupils: number;
  registers: number;
  marks: number;
}

/** How far a demo load has gone, for a progress line on the terminal. */
export interface DemoProgress {
  /** The trust (1-based) and academy (1-based, across the demo) whose marks were written last. */
  trust: number;
  trusts: number;
  academy: number;
  academies: number;
  /** Marks written so far, of `totalMarks`. */
  marks: number;
  totalMarks: number;
  /** What is being done: staff and pupils, marks, or finished. */
  step: "people" | "marks" | "done";
}

/** "demo: trust 2/5, academy 7/16, 42,000 of 154,142 marks…" */
export function formatDemoProgress(p: DemoProgress): string {
  const n = (x: number) => x.toLocaleString("en-GB");
  if (p.step === "people") return `demo: ${p.academies} academies in ${p.trusts} trusts: staff, pupils, parents and calendars…`;
  if (p.step === "done") return `demo: ${p.trusts} trusts, ${p.academies} academies, ${n(p.totalMarks)} marks loaded`;
  return `demo: trust ${p.trust}/${p.trusts}, academy ${p.academy}/${p.academies}, ${n(p.marks)} of ${n(p.totalMarks)} marks…`;
}

/**
 * A progress line on the terminal: rewritten in place on a TTY, else a line
 * every 25,000 marks (logs stay short).
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): (p: DemoProgress) => void {
  let printed = -1;
  return (p) => {
    const line = formatDemoProgress(p);
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K${p.step === "done" ? "\n" : ""}`);
    } else if (p.step !== "marks" || Math.floor(p.marks / 25_000) !== printed) {
      printed = Math.floor(p.marks / 25_000);
      stream.write(`${line}\n`);
    }
  };
}

/** Marks a statement: 2,000-row JSON documents parse faster in PGlite than 10,000-row ones. */
const MARK_CHUNK = 2_000;

/**
 * Loads the demo trusts. The database must be empty (see isDatabaseEmpty).
 * `onProgress` hears after each chunk of marks (for a line on the terminal).
 *
 * Measured (CPU time on PGlite, 16 academies, 154,142 marks): marks through
 * the triggers that keep current_mark and attendance_week cost about the same
 * as marks written with those triggers off followed by the migrations'
 * set-based backfills (PGlite's sort for DISTINCT ON is slow), so the marks
 * go through the triggers, as every other writer's do.
 */
export async function seedDemo(
  prisma: PrismaClient,
  options: DemoOptions = {},
  onProgress?: (progress: DemoProgress) => void,
): Promise<DemoCounts> {
  const rows = buildDemo(options);
  const trustOrder = new Map(rows.trusts.map((t, i) => [t.id!, i + 1]));
  const academyTrust = new Map(rows.academies.map((a) => [a.id!, trustOrder.get(a.trustId)!]));
  const academyOrder = new Map(rows.academies.map((a, i) => [a.id!, i + 1]));
  const progress: DemoProgress = {
    trust: 0, trusts: rows.trusts.length, academy: 0, academies: rows.academies.length,
    marks: 0, totalMarks: rows.marks.length, step: "people",
  };
  onProgress?.({ ...progress });
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
      // The marks are built academy by academy, so chunks follow the academies.
      for (let i = 0; i < rows.marks.length; i += MARK_CHUNK) {
        const chunk = rows.marks.slice(i, i + MARK_CHUNK);
        await bulkInsert(tx, "mark", chunk, MARK_CHUNK);
        const last = chunk[chunk.length - 1]!.academyId;
        Object.assign(progress, { step: "marks", marks: i + chunk.length, academy: academyOrder.get(last)!, trust: academyTrust.get(last)! });
        onProgress?.({ ...progress });
      }
    },
    { timeout: 300_000, maxWait: 10_000 },
  );
  onProgress?.({ ...progress, step: "done" });
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
export { demoBatches } from "./batches.ts";
