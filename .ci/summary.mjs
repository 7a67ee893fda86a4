// Prints vitest's own counts from its JSON report as one plain line:
// "N passed, N failed, N skipped". With no report (install or start-up
// failed), says so as a failure.
import { existsSync, readFileSync } from "node:fs";

const file = process.argv[2] ?? ".vitest-results.json";
if (!existsSync(file)) {
  console.log("0 passed, 1 failed");
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, "utf8"));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// A test file that failed without a failing test (it failed to load, or a
// beforeAll threw and its tests were skipped) is a failure too.
const failedSuites = (report.testResults ?? []).filter((r) => r.status === "failed" && !r.assertionResults.some((a) => a.status === "failed")).length;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests + failedSuites} failed, ${skipped} skipped`);
