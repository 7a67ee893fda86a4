// pnpm db:synthetic: loads the benchmark trust (30 academies × 1,000 pupils ×
// a school year, about 11.4 million marks) into DATABASE_URL, with progress.
import { openDatabase, databaseOptionsFromEnv } from "../client.ts";
import { loadSyntheticTrust, syntheticTrustExists } from "../synthetic/trust.ts";
import { progressBar } from "../synthetic/progress.ts";

const academies = Number(process.env.SYNTHETIC_ACADEMIES ?? 30);
const pupilsPerAcademy = Number(process.env.SYNTHETIC_PUPILS ?? 1_000);
const db = await openDatabase(databaseOptionsFromEnv());
try {
  if (await syntheticTrustExists(db.prisma)) {
    console.log("The synthetic trust is already loaded.");
  } else {
    const bar = progressBar("academies");
    const result = await loadSyntheticTrust(db.prisma, { academies, pupilsPerAcademy, onProgress: bar.update });
    bar.done();
    console.log(`Loaded ${result.academies} academies, ${result.pupils} pupils, ${result.marks.toLocaleString("en-GB")} marks in ${result.seconds.toFixed(0)} s.`);
  }
} finally {
  await db.close();
  process.exit(0);
}
