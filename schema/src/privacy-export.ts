// A subject access export: everything held about one pupil, as JSON and as
// one CSV table per kind of record (UK GDPR Art. 15(3): a copy of the data,
// "in a commonly used electronic form"). Used by Query.subjectAccessExport
// and by `pnpm privacy:export`.
import { stringify } from "csv-stringify/sync";
import type { PupilRecords } from "@attendance/db";

export interface SubjectAccessDocument {
  generatedAt: Date;
  pupilId: string;
  /** Every record, by kind (pupil, enrolments, marks, ...). */
  json: Record<string, unknown>;
  /** The same records, one CSV table per kind. */
  csv: { name: string; rows: number; csv: string }[];
}

function cell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return value as string | number | boolean;
}

/** Rows as CSV (RFC 4180) with a header, formula-safe; columns: the given ones, or every key seen. Also used by the exports (modules/exports.ts). */
export function table(rows: Record<string, unknown>[], columnOrder?: string[]): string {
  const columns = columnOrder ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  // Cells starting with = + - @ are prefixed so a spreadsheet does not run
  // them as formulas (OWASP "CSV Injection").
  return stringify(rows.map((r) => columns.map((c) => cell(r[c]))), { header: true, columns, escape_formulas: true });
}

export function subjectAccessDocument(records: PupilRecords, generatedAt = new Date()): SubjectAccessDocument {
  const json = JSON.parse(JSON.stringify(records)) as Record<string, unknown>;
  const sections = Object.entries(records).map(([name, value]) => {
    const rows = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
    return { name, rows: rows.length, csv: table(rows) };
  });
  return { generatedAt, pupilId: records.pupil.id, json, csv: sections };
}
