// The import phase of pnpm bench (issue 15, must show): 10,000 pupils with one
// or two carers each and a term of marks (60 school days × 2 sessions, 1.2
// million marks), imported with `importBatch(… apply)` into a fresh database,
// against a raw multi-row INSERT of the same rows (pupils, enrolments, carers,
// registers, marks) into another fresh database. Both on PostgreSQL.
// Run alone: pnpm --filter @attendance/bench bench:import.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { addDays, codeOn, weekdayOf, withUpnCheckLetter } from "@attendance/core";
import { applyMigrations, bulkInsert, importBatch, openDatabase, type Database } from "@attendance/db";
import { emptyBatch, writeCsv, type ImportBatch } from "@attendance/exchange";
import { loadCell, loadNow, row, table, type Row } from "./stats.ts";

const TERMS = [
  { name: "Autumn 1", start: "2025-09-03", end: "2025-10-24" },
  { name: "Autumn 2", start: "2025-11-03", end: "2025-12-19" },
];

/** The first `days` school days of the two terms (weekdays within them). */
function schoolDays(days: number): string[] {
  const out: string[] = [];
  for (const term of TERMS) {
    for (let d = term.start; d <= term.end && out.length < days; d = addDays(d, 1)) if (weekdayOf(d) <= 5) out.push(d);
  }
  return out;
}

/** A fixed pseudo-random sequence (mulberry32), so every run imports the same rows. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The batch: pupils with invented names and valid UPNs, one or two carers each, and a term of marks with a plausible code mix. */
export function benchBatch(pupils: number, days: number): ImportBatch {
  const rnd = random(15);
  const batch = emptyBatch();
  const source = { file: "bench.csv" };
  const dates = schoolDays(days);
  for (let i = 0; i < pupils; i++) {
    // LA 999 (no such LA), establishment 1000 + i / 1000, allocated in 2025, serial i mod 1000.
    const upn = withUpnCheckLetter(`999${String(1000 + Math.floor(i / 1000))}25${String(i % 1000).padStart(3, "0")}`);
    const yearGroup = 7 + (i % 5);
    batch.pupils.push({
      source, upn, legalForename: `Pupil${i}`, legalSurname: "Example", dateOfBirth: `${2018 - yearGroup}-0${1 + (i % 9)}-1${i % 9}`,
      gender: i % 2 ? "FEMALE" : "MALE", yearGroup, onRollFrom: "2025-09-03", freeSchoolMeals: rnd() < 0.25,
    });
    const carers = rnd() < 0.6 ? 2 : 1;
    for (let c = 1; c <= carers; c++) {
      batch.carers.push({
        source, upn, contactOrder: c, salutation: c === 1 ? "Ms Example" : "Mr Example", forename: `Carer${c}`, surname: "Example", relationship: c === 1 ? "PAM" : "PAF",
        parentalResponsibility: true, addressLines: [`${i} Example Street`, "Exampleton"], telephones: [{ kind: "MOBILE", number: `07700 900${String(i % 1000).padStart(3, "0")}` }],
        email: null, noContact: false,
      });
    }
    for (const date of dates) {
      for (const session of ["AM", "PM"] as const) {
        const r = rnd();
        const code = r < 0.93 ? (session === "AM" ? "/" : "\\") : r < 0.95 ? "L" : r < 0.98 ? "I" : r < 0.99 ? "M" : "O";
        batch.marks.push({ source, upn, date, session, code, minutesLate: code === "L" ? 5 + Math.floor(rnd() * 20) : null, note: null });
      }
    }
  }
  return batch;
}

async function scratch(serverUrl: string): Promise<Database & { drop: () => Promise<void> }> {
  const name = `bench_import_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(serverUrl), { pathname: "/postgres" }).toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const db = openDatabase({ url: Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString(), onConnectionError: () => {} });
  await applyMigrations(db.migrationAdapterFactory);
  return Object.assign(db, {
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: Object.assign(new URL(serverUrl), { pathname: "/postgres" }).toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  });
}

/** An empty academy with the two terms, as both sides start from. */
async function academyOf(db: Database): Promise<{ id: string; trustId: string }> {
  const la = await db.prisma.localAuthority.create({ data: { code: 999, name: "Example LA" } });
  const trust = await db.prisma.trust.create({ data: { slug: "bench-import", name: "Bench Import Trust" } });
  const academy = await db.prisma.academy.create({ data: { urn: 999_999, name: "Bench Academy", phase: "SECONDARY", trustId: trust.id, localAuthorityId: la.id } });
  await db.prisma.schoolTerm.createMany({
    data: TERMS.map((t) => ({ trustId: trust.id, academyId: academy.id, academicYear: "2025/26", name: t.name, startDate: new Date(t.start), endDate: new Date(t.end) })),
  });
  return academy;
}

/** The same rows as the import writes, by multi-row INSERT with nothing checked. */
async function rawInsert(db: Database, academy: { id: string; trustId: string }, batch: ImportBatch): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    const ids = new Map(batch.pupils.map((p) => [p.upn, randomUUID()]));
    await bulkInsert(tx, "pupil", batch.pupils.map((p) => ({
      id: ids.get(p.upn), academyId: academy.id, trustId: academy.trustId, upn: p.upn, legalForename: p.legalForename, legalSurname: p.legalSurname,
      dateOfBirth: p.dateOfBirth, gender: p.gender, yearGroup: p.yearGroup, freeSchoolMeals: p.freeSchoolMeals ?? false,
    })));
    await bulkInsert(tx, "enrolment", batch.pupils.map((p) => ({ pupilId: ids.get(p.upn), academyId: academy.id, onRollFrom: p.onRollFrom })));
    await bulkInsert(tx, "carer", batch.carers.map((c) => ({
      pupilId: ids.get(c.upn), academyId: academy.id, contactOrder: c.contactOrder, salutation: c.salutation, forename: c.forename, surname: c.surname,
      relationship: c.relationship, parentalResponsibility: c.parentalResponsibility, addressLines: c.addressLines, telephones: c.telephones,
    })));
    const sessions = [...new Set(batch.marks.map((m) => `${m.date}|${m.session}`))].map((k) => {
      const [date, session] = k.split("|");
      return { id: randomUUID(), academyId: academy.id, date, session };
    });
    await bulkInsert(tx, "register", sessions);
    const registers = new Map(sessions.map((s) => [`${s.date}|${s.session}`, s.id]));
    const marks = batch.marks.map((m) => ({
      registerId: registers.get(`${m.date}|${m.session}`), pupilId: ids.get(m.upn), academyId: academy.id, date: m.date, session: m.session, version: 1,
      code: m.code, category: codeOn(m.code, m.date)!.category, minutesLate: m.minutesLate, note: m.note,
    }));
    // As importBatch does, and for the same reason: statistics after the first
    // chunk, or the triggers' joins scan current_mark whole for every chunk.
    await bulkInsert(tx, "mark", marks.slice(0, 20_000));
    await tx.$executeRawUnsafe("ANALYZE mark, current_mark, attendance_week");
    await bulkInsert(tx, "mark", marks.slice(20_000), 20_000);
  }, { timeout: 10 * 60_000, maxWait: 60_000 });
}

/**
 * Runs the phase and returns its rows for the bench table: the import's
 * time against the raw insert's, and the ratio.
 */
export async function benchImport(serverUrl: string, note: (row: Row) => void, options = { pupils: 10_000, days: 60 }): Promise<void> {
  const generated = Date.now();
  const batch = benchBatch(options.pupils, options.days);
  // The files a trust would import (written, to count their size; the import reads the batch they make).
  const bytes = ["pupils", "carers", "marks"].reduce((n, kind) => n + Buffer.byteLength(writeCsv(kind as "pupils", batch)), 0);
  console.error(`import bench: ${batch.pupils.length} pupils, ${batch.carers.length} carers, ${batch.marks.length} marks (${(bytes / 2 ** 20).toFixed(0)} MiB of CSV), generated in ${Date.now() - generated} ms`);

  const a = await scratch(serverUrl);
  const b = await scratch(serverUrl);
  try {
    const loadStart = loadNow();
    const academyA = await academyOf(a);
    const started = Date.now();
    const report = await importBatch(a.prisma, {
      academyId: academyA.id, actor: { kind: "cli", id: null }, apply: true, today: "2026-07-21",
      onProgress: (p) => p.phase === "write" && console.error(`  wrote ${p.kind} (${Date.now() - started} ms)`),
    }, batch);
    const imported = Date.now() - started;
    if (!report.applied) throw new Error(`import bench: the batch has problems: ${JSON.stringify(report.problems.slice(0, 3))}`);
    const academyB = await academyOf(b);
    const rawStarted = Date.now();
    await rawInsert(b, academyB, batch);
    const raw = Date.now() - rawStarted;
    const [importedMarks, rawMarks] = await Promise.all([a.prisma.mark.count(), b.prisma.mark.count()]);
    if (importedMarks !== rawMarks) throw new Error(`import bench: ${importedMarks} marks imported, ${rawMarks} inserted`);
    // One run each (minutes apiece, each into a fresh database): the row says so, and has no p95.
    note(row({
      row: `import ${batch.pupils.length.toLocaleString("en-GB")} pupils, ${batch.carers.length.toLocaleString("en-GB")} carers, ${batch.marks.length.toLocaleString("en-GB")} marks: importBatch vs raw insert`,
      samples: "1 (fewer than 20: one import each, no warm-up, no p95)",
      "GraphQL p50 ms": `importBatch: ${imported}`, "SQL p50 ms": `raw: ${raw}`,
      "ratio p50": `${(imported / raw).toFixed(2)}×`, failures: "none (a failure stops the bench)", "load avg (1 min)": loadCell(loadStart, loadNow()),
    }));
  } finally {
    await a.drop();
    await b.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows: Row[] = [];
  await benchImport(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/attendance_bench", (r) => rows.push(r), { pupils: Number(process.env.BENCH_IMPORT_PUPILS ?? 10_000), days: Number(process.env.BENCH_IMPORT_DAYS ?? 60) });
  console.log(table(rows));
  process.exit(0);
}
