// pnpm run import <kind> <file> --academy <URN> [--apply] [--as <email>]
// Imports a file of one kind (docs/import-formats.md) into an academy: by
// default a dry run that reports every problem with its line and what would
// be added, changed or left; with --apply, writes it in one transaction.
// Progress goes to stderr, the report to stdout; the exit code is 1 when the
// file has problems (nothing is written then), 2 for a usage error.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { databaseOptionsFromEnv, defaultDataDir, importFile, openDatabase, type ImportActor } from "@attendance/db";
import { formatReport, IMPORT_KINDS, type ImportKind } from "@attendance/exchange";

const USAGE = `usage: pnpm run import <${IMPORT_KINDS.join("|")}> <file> --academy <URN> [--apply] [--as <email>]`;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { academy: { type: "string" }, apply: { type: "boolean", default: false }, as: { type: "string" } },
});
const [kind, path] = positionals as [ImportKind | undefined, string | undefined];
if (!kind || !IMPORT_KINDS.includes(kind) || !path || !values.academy || !/^\d{6,7}$/.test(values.academy)) {
  console.error(USAGE);
  process.exit(2);
}

const file = basename(path);
const started = Date.now();
const bytes = readFileSync(path);
const db = openDatabase(databaseOptionsFromEnv(process.env.PGLITE_DIR ?? defaultDataDir));
let status = 0;
try {
  const academy = await db.prisma.academy.findUnique({ where: { urn: Number(values.academy) }, select: { id: true, name: true } });
  if (!academy) {
    console.error(`No academy with URN ${values.academy}.`);
    process.exit(2);
  }
  let actor: ImportActor = { kind: "cli", id: null };
  if (values.as) {
    const user = await db.prisma.user.findUnique({ where: { email: values.as.toLowerCase() }, select: { id: true } });
    if (!user) {
      console.error(`No member of staff with the e-mail ${values.as}.`);
      process.exit(2);
    }
    actor = { kind: "user", id: user.id };
  }
  let lastLine = 0;
  const report = await importFile(db.prisma, {
    academyId: academy.id, actor, apply: values.apply, operation: `import ${kind} ${file}`,
    onProgress: (p) => {
      // A line every 1,000 rows checked, and one per kind written.
      if (p.phase === "check" && p.done < lastLine + 1_000 && p.done !== p.total) return;
      if (p.total === 0) return;
      if (p.phase === "check") lastLine = p.done;
      console.error(`${p.phase === "check" ? "checked" : "wrote"} ${p.kind}: ${p.done}/${p.total} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    },
  }, kind, bytes, file);
  console.log(`${academy.name} (URN ${values.academy}), ${kind} from ${file}:`);
  console.log(formatReport(report));
  status = report.problems.length > 0 ? 1 : 0;
} finally {
  await db.close();
}
process.exit(status);
