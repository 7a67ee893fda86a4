// pnpm privacy:export --trust <slug> --upn <UPN> [--out <dir>]: a subject
// access export (UK GDPR Art. 15) for the trust's data-protection officer,
// from the operator's shell. Prints the JSON; with --out, also writes one CSV
// file per kind of record there. Recorded in the audit log like the API's.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { databaseOptionsFromEnv, defaultDataDir, openDatabase, pupilRecords } from "@attendance/db";
import { subjectAccessDocument } from "@attendance/schema";

const { values } = parseArgs({ options: { trust: { type: "string" }, upn: { type: "string" }, out: { type: "string" } } });
if (!values.trust || !values.upn) {
  console.error("usage: pnpm privacy:export --trust <slug> --upn <UPN> [--out <dir>]");
  process.exit(2);
}
const db = openDatabase(databaseOptionsFromEnv(process.env.PGLITE_DIR ?? defaultDataDir));
let status = 0;
try {
  const pupil = await db.prisma.pupil.findFirst({ where: { upn: values.upn, academy: { trust: { slug: values.trust } } }, select: { id: true, academy: { select: { trustId: true } } } });
  const records = pupil && (await pupilRecords(db.prisma, pupil.id));
  if (!pupil || !records) {
    console.error(`No pupil with UPN ${values.upn} in trust ${values.trust}.`);
    status = 1;
  } else {
    const document = subjectAccessDocument(records);
    await db.prisma.auditEntry.create({
      data: { actorKind: "cli", trustId: pupil.academy.trustId, operation: "privacy:export", variables: { pupilId: pupil.id, out: values.out ?? null }, outcome: "OK" },
    });
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      for (const section of document.csv) writeFileSync(join(values.out, `${section.name}.csv`), section.csv);
      writeFileSync(join(values.out, "export.json"), `${JSON.stringify(document.json, null, 2)}\n`);
      console.error(`wrote ${document.csv.length} CSV files and export.json to ${values.out}`);
    }
    console.log(JSON.stringify(document.json, null, 2));
  }
} finally {
  await db.close();
}
process.exit(status);
