// File formats for moving a trust's data in and out: see README "Import and export".
export * from "./rows.ts";
export * from "./ctf/index.ts";
export * from "./formats.ts";
export { CSV_COLUMNS, CSV_KINDS, readCsvBatch, writeCsv, type CsvKind } from "./csv/formats.ts";
export { decodeUtf8, readCsv, csvText, MAX_ROWS, type Column } from "./csv/read.ts";
export { formatReport } from "./report.ts";
