// Reading a CSV import file: UTF-8 only, a header row whose names are checked,
// and each cell validated by its column's zod schema. Every problem names its
// file and line (the header is line 1), so a data manager can fix the file.
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { ImportProblem } from "../rows.ts";

/** One column of a format: its header name, whether it must be present and non-empty, and how a cell is read. */
export interface Column {
  name: string;
  required: boolean;
  /** Reads a non-empty cell (already trimmed); a failure is reported with `code`. */
  schema: z.ZodType;
  /** The problem code when the schema refuses a cell (default BAD_VALUE). */
  code?: string;
  description: string;
  example: string;
}

export interface CsvRecord {
  line: number;
  /** Column name → parsed value (absent for an empty optional cell). */
  values: Record<string, unknown>;
}

/** At most this many data rows in one file: 10,000 pupils with a term of marks is 1.2 million marks. */
export const MAX_ROWS = 2_000_000;

/**
 * The text of a file, or a BAD_ENCODING problem naming the first line with a
 * byte sequence that is not UTF-8 (the formats are UTF-8 only: an export from
 * a spreadsheet in Windows-1252 would silently garble names otherwise). A
 * leading byte-order mark, which Excel writes, is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string } | { problem: ImportProblem } {
  let start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start)) };
  } catch {
    // Decode line by line to find the first bad one.
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let line = 1;
    for (let i = start; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    return { problem: { source: { file, line }, code: "BAD_ENCODING", message: `Line ${line} is not valid UTF-8: save the file as "CSV UTF-8".` } };
  }
}

/** Reads `bytes` as a CSV file of `columns`: the records that are wholly valid, and every problem. */
export function readCsv(bytes: Uint8Array, file: string, columns: readonly Column[]): { records: CsvRecord[]; problems: ImportProblem[] } {
  const decoded = decodeUtf8(bytes, file);
  if ("problem" in decoded) return { records: [], problems: [decoded.problem] };
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(decoded.text, { info: true, relax_column_count: true, skip_empty_lines: true }) as never;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { records: [], problems: [{ source: { file, line }, code: "BAD_CSV", message: `Not readable as CSV: ${(error as Error).message}` }] };
  }
  const problems: ImportProblem[] = [];
  const header = rows[0]?.record.map((h) => h.trim().toLowerCase()) ?? [];
  const byName = new Map(columns.map((c) => [c.name, c]));
  for (const name of header) {
    if (!byName.has(name)) problems.push({ source: { file, line: 1 }, field: name, code: "UNKNOWN_COLUMN", message: `Unknown column "${name}": the columns are ${columns.map((c) => c.name).join(", ")}.` });
  }
  for (const c of columns) {
    if (c.required && !header.includes(c.name)) problems.push({ source: { file, line: 1 }, field: c.name, code: "MISSING_COLUMN", message: `The required column "${c.name}" is missing.` });
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) problems.push({ source: { file, line: 1 }, field: name, code: "DUPLICATE_COLUMN", message: `The column "${name}" appears twice.` });
    seen.add(name);
  }
  if (problems.length > 0) return { records: [], problems };
  if (rows.length - 1 > MAX_ROWS) return { records: [], problems: [{ source: { file }, code: "TOO_MANY_ROWS", message: `At most ${MAX_ROWS} rows in one file.` }] };

  const records: CsvRecord[] = [];
  for (const row of rows.slice(1)) {
    const line = row.info.lines;
    if (row.record.length !== header.length) {
      problems.push({ source: { file, line }, code: "BAD_ROW", message: `Line ${line} has ${row.record.length} cells; the header has ${header.length}.` });
      continue;
    }
    const values: Record<string, unknown> = {};
    let ok = true;
    for (const [i, name] of header.entries()) {
      const column = byName.get(name)!;
      const cell = row.record[i]!.trim();
      if (cell === "") {
        if (column.required) {
          problems.push({ source: { file, line }, field: name, code: "MISSING_VALUE", message: `${name} is required.` });
          ok = false;
        }
        continue;
      }
      const parsed = column.schema.safeParse(cell);
      if (parsed.success) values[name] = parsed.data;
      else {
        problems.push({ source: { file, line }, field: name, code: column.code ?? "BAD_VALUE", message: `${name} "${cell.slice(0, 60)}": ${parsed.error.issues[0]?.message ?? "not valid"}` });
        ok = false;
      }
    }
    if (ok) records.push({ line, values });
  }
  return { records, problems };
}

/** A cell as CSV writes it: quoted when it holds a comma, a quote, a line break or edge spaces (RFC 4180, section 2). */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV file: the header and one line per row, CRLF as RFC 4180 has it. */
export function csvText(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
