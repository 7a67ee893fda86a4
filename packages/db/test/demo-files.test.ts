// The demo's import files (examples/demo/<URN>/, issue 15 item 7): what the
// generator writes, readable by the CSV readers without a problem, and
// importable by a school: one invented academy's files imported into an
// empty academy, dry run first, then applied, then applied again unchanged.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsvBatch, type ImportBatch } from "@attendance/exchange";
import { openScratchDatabase, type Database } from "../src/index.ts";
import { buildDemo, demoBatches, demoFiles, DEMO_FILES, writeDemoStructure } from "../src/demo/load.ts";
import { importFile } from "../src/import/import.ts";
import { repoRoot } from "../src/paths.ts";

const root = join(repoRoot, "examples", "demo");
const rows = buildDemo();
const batches = demoBatches(rows);
const expected = demoFiles(batches);
const committed = (path: string) => readFileSync(join(root, path), "utf8");
/** The fields a file carries: not the generator's ids, nor where a row was read. */
const contents = (list: readonly object[]) =>
  (list as Record<string, unknown>[]).map(({ id: _i, enrolmentId: _e, userId: _u, source: _s, ...rest }) => rest);

describe("the demo's import files", () => {
  it("are exactly what the generator writes (pnpm demo:files writes them again)", () => {
    const onDisk = readdirSync(root).flatMap((urn) => readdirSync(join(root, urn)).map((name) => `${urn}/${name}`)).sort();
    expect(onDisk).toEqual([...expected.keys()].sort());
    for (const [path, text] of expected) expect(committed(path) === text, `${path} differs: run pnpm demo:files`).toBe(true);
  });

  it("read back through the CSV readers without a problem, as the rows the demo loads", () => {
    for (const b of batches) {
      for (const f of DEMO_FILES) {
        const file = `demo/${b.academyUrn}/${f.name}`;
        const { batch, problems } = readCsvBatch(f.kind, new TextEncoder().encode(committed(`${b.academyUrn}/${f.name}`)), file);
        expect(problems, file).toEqual([]);
        const key = (f.kind === "marks" ? "marks" : f.kind) as keyof ImportBatch;
        expect(contents(batch[key]), file).toEqual(contents((b[f.of] as ImportBatch)[key]));
      }
    }
  });
});

describe("one invented academy's files imported by a school", () => {
  let db: Database;
  const sibling = batches.find((b) => b.academyUrn === 940101)!;
  let academyId: string;
  beforeAll(async () => {
    db = await openScratchDatabase("pglite");
    // The trust, the academy and the registers: what no import file carries.
    await writeDemoStructure(db.prisma, rows);
    academyId = rows.academies.find((a) => a.urn === 940101)!.id!;
  });
  afterAll(() => db?.close());

  const importAll = async (apply: boolean) => {
    const reports = [];
    for (const f of DEMO_FILES) {
      const path = `${sibling.academyUrn}/${f.name}`;
      const report = await importFile(db.prisma, { academyId, actor: { kind: "cli", id: null }, apply }, f.kind, new TextEncoder().encode(committed(path)), path);
      expect(report.problems, path).toEqual([]);
      reports.push({ file: f.name, counts: report.counts });
      // A dry run writes nothing, so the files after the first cannot be checked against it: only the first.
      if (!apply) break;
    }
    return reports;
  };

  it("dry run: no problem, every staff row to add, nothing written", async () => {
    const [staff] = await importAll(false);
    expect(staff!.counts.staff.added).toBe(sibling.batch.staff.length);
    expect(await db.prisma.pupil.count()).toBe(0);
  });

  it("applied: every row of every file, amendments as new versions; applied again: nothing changes", async () => {
    const first = await importAll(true);
    const added = Object.fromEntries(first.map((r) => [r.file, r.counts]));
    expect(added["pupils.csv"]!.pupils.added).toBe(sibling.batch.pupils.length);
    expect(added["marks.csv"]!.marks.added).toBe(sibling.batch.marks.length);
    expect(added["amendments.csv"]!.marks.changed).toBe(sibling.amendments.marks.length);
    expect(await db.prisma.pupil.count({ where: { academyId } })).toBe(sibling.batch.pupils.length);
    expect(await db.prisma.mark.count({ where: { academyId } })).toBe(sibling.batch.marks.length + sibling.amendments.marks.length);
    expect(await db.prisma.mark.count({ where: { academyId, version: 2, amendmentReason: { not: null } } })).toBe(sibling.amendments.marks.length);
    // Lates keep their arrival time; every mark who recorded it, in their position.
    expect(await db.prisma.mark.count({ where: { academyId, code: "L", arrivedAt: null } })).toBe(0);
    expect(await db.prisma.mark.count({ where: { academyId, OR: [{ recordedById: null }, { recordedByRole: null }] } })).toBe(0);

    const again = await importAll(true);
    for (const r of again) {
      for (const [kind, c] of Object.entries(r.counts)) expect({ file: r.file, kind, added: c.added, changed: c.changed }).toEqual({ file: r.file, kind, added: 0, changed: 0 });
    }
    expect(await db.prisma.mark.count({ where: { academyId } })).toBe(sibling.batch.marks.length + sibling.amendments.marks.length);
  });
});
