// Every import format by kind: a reader from a file's bytes to an ImportBatch
// and its problems. The CSV formats are in ./csv (docs/import-formats.md);
// the DfE Common Transfer File (pupils with their contacts and attendance) in ./ctf.
import type { ImportBatch, ImportProblem } from "./rows.ts";
import { readCsvBatch, type CsvKind } from "./csv/formats.ts";
import { readCtf } from "./ctf/ctf.ts";

export type ImportKind = CsvKind | "ctf";

export type ImportReader = (bytes: Uint8Array, file: string) => { batch: ImportBatch; problems: ImportProblem[] };

const csv = (kind: CsvKind): ImportReader => (bytes, file) => readCsvBatch(kind, bytes, file);

export const readers: Record<ImportKind, ImportReader> = {
  forms: csv("forms"),
  staff: csv("staff"),
  pupils: csv("pupils"),
  carers: csv("carers"),
  calendar: csv("calendar"),
  marks: csv("marks"),
  ctf: readCtf,
};

/** The kinds a file may be imported as. */
export const IMPORT_KINDS = Object.keys(readers) as ImportKind[];
