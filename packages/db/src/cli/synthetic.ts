// pnpm db:synthetic: loads the benchmark trust (30 academies × 1,000 pupils ×
// a school year, about 11.4 million marks) into DATABASE_URL, with progress.
import { openDatabase, databaseOptionsFromEnv } from "../client.ts";
import { loadSyntheticTrust, syntheticTrustExists } from "../synthetic/trust.ts";
import { progressBar } from "../synthetic/progress.ts";

const academies = Number(process.env.SYNTHETIC_ACADEMIES ?? 30);
const pupilsPerAcademy = Number(process.env.SYNTHETIC_PUPILS ?? 1_000);
const db = await openDatabase(databaseOptionsFromEnv());
let failed = false;
try {
  if (await syntheticTrustExists(db.prisma)) {
    console.log("The synthetic trust is already loaded.");
  } else {
    const bar = progressBar("academies");
    const result = await loadSyntheticTrust(db.prisma, { academies, pupilsPerAcademy, onProgress: bar.update });
    bar.done();
    console.log(`Loaded ${result.academies} academies, ${result.pupils} pupils, ${result.marks.toLocaleString("en-GB")} marks in ${result.seconds.toFixed(0)} s.`);
  }
} catch (error) {
  // An exit in `finally` alone swallowed the error (an empty database without
  // its migrations exited 0 with nothing said).
  failed = true;
  console.error(error instanceof Error ? error.message : error);
  console.error("Run `pnpm db:migrate` with the same DATABASE_URL first if the tables are missing.");
} finally {
  await db.close();
  process.exit(failed ? 1 : 0);
}
