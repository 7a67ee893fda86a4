// pnpm export census    --academy <URN> (--year 2025/26 --term AUTUMN|SPRING|SUMMER | --from <date> --to <date>) [--as <email>] [--out <file>]
// pnpm export attendance --academy <URN> --list PUPIL|FORM|YEAR_GROUP|MARK --from <date> --to <date> [--as <email>] [--out <file>]
// pnpm export ctf       --academy <URN> --upn <UPN> [--dest-lea <code>] [--dest-estab <nnnn>] [--as <email>] [--out <file>]
//
// Runs the same GraphQL operations as the API, in process, as the member of
// staff named by --as (default: a trust admin of the academy's trust), so the
// same access rules and audit apply: what the user may not read through the
// API, they may not export here either. Writes the file to --out, or stdout.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { databaseOptionsFromEnv, defaultDataDir, openDatabase } from "@attendance/db";
import { configFromEnv, jwtSecretOf } from "../config.ts";
import { createLogger } from "../logger.ts";
import { signStaffToken } from "../auth/tokens.ts";
import { createAttendanceYoga } from "../yoga.ts";

const USAGE = `usage:
  pnpm export census --academy <URN> (--year 2025/26 --term AUTUMN|SPRING|SUMMER | --from <yyyy-mm-dd> --to <yyyy-mm-dd>) [--as <email>] [--out <file>]
  pnpm export attendance --academy <URN> --list PUPIL|FORM|YEAR_GROUP|MARK --from <yyyy-mm-dd> --to <yyyy-mm-dd> [--as <email>] [--out <file>]
  pnpm export ctf --academy <URN> --upn <UPN> [--dest-lea <code>] [--dest-estab <nnnn>] [--as <email>] [--out <file>]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    academy: { type: "string" },
    as: { type: "string" },
    out: { type: "string" },
    year: { type: "string" },
    term: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    list: { type: "string" },
    upn: { type: "string" },
    "dest-lea": { type: "string" },
    "dest-estab": { type: "string" },
  },
});
const what = positionals[0];
const urn = Number(values.academy);
if (!["census", "attendance", "ctf"].includes(what ?? "") || !Number.isInteger(urn)) {
  console.error(USAGE);
  process.exit(2);
}

/** The operation and variables for each export, and where its file is in the answer. */
function operation(): { query: string; variables: Record<string, unknown>; pick: (data: Record<string, { fileName: string; csv?: string; xml?: string }>) => string } {
  switch (what) {
    case "census":
      return {
        query: `query ExportCensus($urn: Int!, $year: String, $term: CensusTerm, $from: Date, $to: Date) {
          censusAttendanceCsv(academyUrn: $urn, academicYear: $year, term: $term, from: $from, to: $to) { fileName csv } }`,
        variables: { urn, year: values.year, term: values.term?.toUpperCase(), from: values.from, to: values.to },
        pick: (d) => d.censusAttendanceCsv!.csv!,
      };
    case "attendance":
      return {
        query: `query ExportAttendance($urn: Int!, $list: AttendanceList!, $from: Date!, $to: Date!) {
          attendanceCsv(academyUrn: $urn, list: $list, from: $from, to: $to) { fileName csv } }`,
        variables: { urn, list: (values.list ?? "PUPIL").toUpperCase(), from: values.from, to: values.to },
        pick: (d) => d.attendanceCsv!.csv!,
      };
    default:
      return {
        query: `query ExportCtf($upn: String!, $lea: Int, $estab: String) { ctfExport(upn: $upn, destinationLea: $lea, destinationEstab: $estab) { fileName xml } }`,
        variables: { upn: values.upn, lea: values["dest-lea"] === undefined ? undefined : Number(values["dest-lea"]), estab: values["dest-estab"] },
        pick: (d) => d.ctfExport!.xml!,
      };
  }
}

const config = configFromEnv();
const secret = jwtSecretOf(config);
if (!secret) {
  console.error("The server verifies tokens against JWT_JWKS_URL: the CLI cannot act as a user. Set JWT_SECRET.");
  process.exit(2);
}
const db = openDatabase(databaseOptionsFromEnv(process.env.PGLITE_DIR ?? defaultDataDir));
let status = 0;
try {
  const academy = await db.prisma.academy.findUnique({ where: { urn }, select: { trustId: true } });
  const user = values.as
    ? await db.prisma.user.findUnique({ where: { email: values.as }, select: { id: true, email: true } })
    : academy
      ? (await db.prisma.roleAssignment.findFirst({ where: { trustId: academy.trustId, role: "TRUST_ADMIN", revokedAt: null }, orderBy: { createdAt: "asc" }, select: { user: { select: { id: true, email: true } } } }))?.user
      : null;
  if (!academy || !user) {
    console.error(!academy ? `No academy with URN ${urn}.` : values.as ? `No user with e-mail ${values.as}.` : "The academy's trust has no trust admin: name a user with --as.");
    status = 1;
  } else {
    console.error(`exporting ${what} as ${user.email}`);
    // A token for this one request, signed as the identity provider's would be.
    const token = await signStaffToken(user.id, { secret, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
    const yoga = createAttendanceYoga({ prisma: db.prisma, logger: createLogger(process.env.LOG_LEVEL ?? "warn"), config });
    const { query, variables, pick } = operation();
    const response = await yoga.fetch("http://cli.invalid/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, { fileName: string; csv?: string; xml?: string }> | null; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length || !body.data) {
      for (const e of body.errors ?? []) console.error(`${e.extensions?.code ?? "ERROR"}: ${e.message}`);
      status = 1;
    } else {
      const text = pick(body.data);
      if (values.out) {
        writeFileSync(values.out, text);
        console.error(`wrote ${values.out}`);
      } else process.stdout.write(text);
    }
  }
} finally {
  await db.close();
}
process.exit(status);
