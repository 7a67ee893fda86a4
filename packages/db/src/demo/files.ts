// The demo's import batches as the CSV files a school would import
// (examples/demo/<URN>/*.csv, docs/import-formats.md): the committed examples
// of every format, which a test keeps equal to what the generator writes and
// reads back through the CSV readers. Pure: nothing here touches the disk.
import { writeCsv, type CsvKind, type ImportBatch } from "@attendance/exchange";
import type { DemoBatch } from "./batches.ts";

/** The files of one academy, in the order they are imported (staff before the forms naming their tutors). */
export const DEMO_FILES: readonly { name: string; kind: CsvKind; of: "batch" | "amendments" }[] = [
  { name: "staff.csv", kind: "staff", of: "batch" },
  { name: "forms.csv", kind: "forms", of: "batch" },
  { name: "pupils.csv", kind: "pupils", of: "batch" },
  { name: "carers.csv", kind: "carers", of: "batch" },
  { name: "calendar.csv", kind: "calendar", of: "batch" },
  { name: "marks.csv", kind: "marks", of: "batch" },
  { name: "amendments.csv", kind: "marks", of: "amendments" },
];

/** Each file's path under examples/demo/ (e.g. "100741/marks.csv") and its text. */
export function demoFiles(batches: readonly DemoBatch[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const b of batches) {
    for (const f of DEMO_FILES) files.set(`${b.academyUrn}/${f.name}`, writeCsv(f.kind, b[f.of] as ImportBatch));
  }
  return files;
}
