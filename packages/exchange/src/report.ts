// An import report as a terminal shows it: each problem as file:line, then the counts.
import type { ImportBatch, ImportReport } from "./rows.ts";

export function formatReport(report: ImportReport, maxProblems = 200): string {
  const lines: string[] = [];
  for (const p of report.problems.slice(0, maxProblems)) {
    const at = `${p.source.file}${p.source.line ? `:${p.source.line}` : ""}${p.source.element ? ` ${p.source.element}` : ""}`;
    lines.push(`${at}: ${p.code}${p.field ? ` (${p.field})` : ""}: ${p.message}`);
  }
  if (report.problems.length > maxProblems) lines.push(`… and ${report.problems.length - maxProblems} more problems`);
  for (const [kind, c] of Object.entries(report.counts) as [keyof ImportBatch, { added: number; changed: number; unchanged: number }][]) {
    if (c.added + c.changed + c.unchanged > 0) lines.push(`${kind}: ${c.added} added, ${c.changed} changed, ${c.unchanged} unchanged`);
  }
  lines.push(
    report.problems.length > 0
      ? `${report.problems.length} problem(s): nothing written.`
      : report.applied ? "Applied." : "Dry run: nothing written (add --apply to write).",
  );
  return lines.join("\n");
}
