// Writes the demo trusts into an empty database through the import writer.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { bulkInsert } from "../bulk-insert.ts";
import { importBatch, type ImportProgress } from "../import/import.ts";
import { buildDemo, type DemoOptions, type DemoRows } from "./build.ts";
import { demoBatches } from "./batches.ts";

export type { DemoOptions, DemoRows };
export { buildDemo, demoSchoolDays } from "./build.ts";
export { ALL_ACADEMIES as DEMO_ACADEMIES, ACADEMIES as DEMO_SEED_ACADEMIES, SIBLINGS as DEMO_SIBLINGS, TRUSTS as DEMO_TRUSTS } from "./trusts.ts";

export async function isDatabaseEmpty(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.trust.count()) === 0;
}

export interface SeedDemoOptions extends DemoOptions {
  /**
   * Write each academy's marks set-based (ImportOptions.setBasedMarks:
   * triggers off, their work done once per import; same rows, a third of the
   * time on PGlite). Default true; false writes them through the triggers,
   * for the test that compares the two.
   */
  setBasedMarks?: boolean;
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

/**
 * What of the demo no import format carries, in one transaction: local
 * authorities, trusts, academies, trust-wide staff and calendars, and the
 * registers (with the generator's ids, so that the register submissions
 * written after the imports find them).
 */
export async function writeDemoStructure(prisma: PrismaClient, rows: DemoRows): Promise<void> {
  const trustRoles = rows.roleAssignments.filter((r) => r.academyId == null);
  const trustUsers = new Set(trustRoles.map((r) => r.userId));
  await prisma.$transaction(
    async (tx) => {
      await bulkInsert(tx, "local_authority", rows.localAuthorities);
      await bulkInsert(tx, "trust", rows.trusts);
      await bulkInsert(tx, "academy", rows.academies);
      await bulkInsert(tx, "app_user", rows.users.filter((u) => trustUsers.has(u.id!)));
      await bulkInsert(tx, "role_assignment", trustRoles);
      await bulkInsert(tx, "school_term", rows.terms.filter((t) => t.academyId == null));
      await bulkInsert(tx, "school_closure", rows.closures.filter((c) => c.academyId == null));
      await bulkInsert(tx, "register", rows.registers);
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/**
 * Loads the demo trusts. The database must be empty (see isDatabaseEmpty).
 * `onProgress` hears after each chunk of marks (for a line on the terminal).
 *
 * Each academy's forms, staff and their roles, pupils, parents, calendar and
 * marks go through the import writer (importBatch, packages/db/src/import),
 * the same checks and writes as `pnpm run import` and the importFile
 * mutation, from the rows of the files in examples/demo/<URN>/ (a test keeps
 * those files equal to the generator's rows): one transaction an academy,
 * then its amendments as a second import. What no import format carries is
 * written directly first: local authorities, trusts, academies, trust-wide
 * staff and calendars, and the registers (with the generator's ids); and
 * after, which forms' registers were taken by whom and when.
 */
export async function seedDemo(
  prisma: PrismaClient,
  options: SeedDemoOptions = {},
  onProgress?: (progress: DemoProgress) => void,
): Promise<DemoCounts> {
  const { setBasedMarks = true, ...demoOptions } = options;
  const rows = buildDemo(demoOptions);
  const trustOrder = new Map(rows.trusts.map((t, i) => [t.id!, i + 1]));
  const progress: DemoProgress = {
    trust: 0, trusts: rows.trusts.length, academy: 0, academies: rows.academies.length,
    marks: 0, totalMarks: rows.marks.length, step: "people",
  };
  onProgress?.({ ...progress });
  await writeDemoStructure(prisma, rows);
  // The import refuses marks after the academy's today; the demo's are in 2025/26.
  const academies = new Map(rows.academies.map((a, i) => [a.urn, { id: a.id!, order: i + 1, trust: trustOrder.get(a.trustId)! }]));
  const registerAcademy = new Map(rows.registers.map((r) => [r.id!, r.academyId]));
  let written = 0;
  for (const { academyUrn, batch, amendments } of demoBatches(rows)) {
    const academy = academies.get(academyUrn)!;
    const options = (operation: string) => ({
      academyId: academy.id, actor: { kind: "cli" as const, id: null }, apply: true, operation, setBasedMarks,
      onProgress: (p: ImportProgress) => {
        if (p.phase !== "write" || p.kind !== "marks") return;
        Object.assign(progress, { step: "marks", marks: written + p.done, academy: academy.order, trust: academy.trust });
        onProgress?.({ ...progress });
      },
    });
    for (const [operation, input] of [[`demo: load ${academyUrn}`, batch], [`demo: amendments ${academyUrn}`, amendments]] as const) {
      const report = await importBatch(prisma, options(operation), input);
      if (!report.applied) {
        const [first] = report.problems;
        throw new Error(`The demo's import of ${academyUrn} was refused (${report.problems.length} problems), first: ${first?.source.file} line ${first?.source.line}: ${first?.message}`);
      }
      written += input.marks.length;
    }
    await bulkInsert(prisma, "register_submission", rows.submissions.filter((s) => registerAcademy.get(s.registerId) === academy.id));
  }
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
export { demoBatches, type DemoBatch } from "./batches.ts";
export { demoFiles, DEMO_FILES } from "./files.ts";
