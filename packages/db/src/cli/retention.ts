// pnpm retention [--today YYYY-MM-DD] [--apply]: the retention job. Without
// --apply, a dry run: lists the pupils whose registers are past their six
// years (School Attendance (Pupil Registration) (England) Regulations 2024,
// reg. 14) and are off roll, and changes nothing. With --apply, anonymises
// them (anonymise_pupil). Both are recorded in the audit log.
import { parseArgs } from "node:util";
import { isIsoDate, isoDateOf } from "@attendance/core";
import { databaseOptionsFromEnv, openDatabase } from "../client.ts";
import { defaultDataDir } from "../paths.ts";
import { runRetention } from "../privacy.ts";

const { values } = parseArgs({ options: { apply: { type: "boolean", default: false }, today: { type: "string" } } });
const today = values.today ?? isoDateOf(new Date());
if (!isIsoDate(today)) {
  console.error("usage: pnpm retention [--today YYYY-MM-DD] [--apply]");
  process.exit(2);
}
const db = openDatabase(databaseOptionsFromEnv(process.env.PGLITE_DIR ?? defaultDataDir));
try {
  const run = await runRetention(db.prisma, { today, apply: values.apply });
  for (const p of run.pupils) console.log(`${p.pupilId}\tacademy ${p.academyId}\tlast entry ${p.lastEntry}\tkept until ${p.retainedUntil}`);
  console.log(`${run.applied ? "anonymised" : "dry run: would anonymise"} ${run.pupils.length} pupil(s) as of ${today}${run.applied ? "" : " (run again with --apply)"}`);
} finally {
  await db.close();
}
