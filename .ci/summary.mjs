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
// A test file that failed to load has no tests but is a failure.
const failedSuites = (report.testResults ?? []).filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests + failedSuites} failed, ${skipped} skipped`);
