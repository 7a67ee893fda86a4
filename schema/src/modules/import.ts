// Bulk import through GraphQL: a file uploaded as multipart/form-data (the
// GraphQL multipart request specification, read by graphql-yoga), read by the
// format of its kind (packages/exchange) and checked, then written with apply,
// by the same writer as `pnpm import` (packages/db/src/import). Issue 15, item 3.
import { can, canInTrust } from "@attendance/core";
import { importFile } from "@attendance/db";
import { type ImportKind, type ImportProblem, type ImportReport } from "@attendance/exchange";
import { builder, isUploadedFile } from "../builder.ts";
import { badInput, conflict, forbidden, isUniqueViolation } from "../errors.ts";

/**
 * The largest file accepted (the whole multipart request is bounded the same
 * in packages/server, ProtectionLimits.maxUploadBytes): 20 MB holds a marks
 * file of about 400,000 rows, a large secondary school's whole year.
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** At most this many problems in an answer (problemCount says how many there were). */
export const MAX_REPORTED_PROBLEMS = 1_000;

const KINDS = ["FORMS", "STAFF", "PUPILS", "CARERS", "CALENDAR", "MARKS", "CTF"] as const;
const ImportKindEnum = builder.enumType("ImportKind", {
  description: "What a file holds: each kind but CTF has its own CSV format (docs/import-formats.md); CTF is the DfE Common Transfer File.",
  values: {
    FORMS: { description: "Forms: name, year group, tutors' e-mails." },
    STAFF: { description: "Staff and their roles in the academy: e-mail, display name, identity-provider subject, role." },
    PUPILS: { description: "Pupils: UPN, names, date of birth, gender, year group, form, first day on roll, cohort flags." },
    CARERS: { description: "Carers of the academy's pupils: UPN, contact order, names, relationship, address, telephones, e-mail." },
    CALENDAR: { description: "Half terms and closures of the academy." },
    MARKS: { description: "Historical register marks: UPN, date, session, code, minutes late, note." },
    CTF: { description: "A DfE Common Transfer File (XML): pupils with their contacts and attendance; problems name the element." },
  },
});

const ImportProblemRef = builder.objectRef<ImportProblem>("ImportProblem").implement({
  description: "Something in the file that stops it being imported, at its line.",
  fields: (t) => ({
    file: t.string({ description: "The file's name.", resolve: (p) => p.source.file }),
    line: t.int({ nullable: true, description: "The line, in a CSV file (the header is line 1).", resolve: (p) => p.source.line ?? null }),
    element: t.string({ nullable: true, description: "The element's path, in a Common Transfer File, e.g. CTfile/CTFpupilData/Pupil[3]/Contacts/Contact[1].", resolve: (p) => p.source.element ?? null }),
    field: t.string({ nullable: true, description: "The column, when the problem is in one.", resolve: (p) => p.field ?? null }),
    code: t.exposeString("code", { description: "A stable code, e.g. MISSING_COLUMN, BAD_UPN, UNKNOWN_CODE, NOT_A_SESSION, BAD_ENCODING." }),
    message: t.exposeString("message", { description: "What is wrong, in words." }),
  }),
});

/** The kinds of row a report counts (a CTF file adds pupils, carers and marks). */
const COUNTED = KINDS.filter((k) => k !== "CTF");
type KindCount = { kind: (typeof KINDS)[number]; added: number; changed: number; unchanged: number };
const ImportCountRef = builder.objectRef<KindCount>("ImportCount").implement({
  description: "Rows of one kind the import adds, changes or leaves as they are.",
  fields: (t) => ({
    kind: t.field({ type: ImportKindEnum, description: "The kind of row.", resolve: (c) => c.kind }),
    added: t.exposeInt("added", { description: "New rows (with apply: added)." }),
    changed: t.exposeInt("changed", { description: "Rows that differ (a mark: an amendment, the original kept)." }),
    unchanged: t.exposeInt("unchanged", { description: "Rows already as the file has them." }),
  }),
});

const ImportReportRef = builder.objectRef<ImportReport>("ImportReport").implement({
  description: "What an import found and did. With any problem nothing is written.",
  fields: (t) => ({
    applied: t.exposeBoolean("applied", { description: "Whether the file was written (apply and no problem)." }),
    problemCount: t.int({ description: "How many problems the file has.", resolve: (r) => r.problems.length }),
    problems: t.field({
      type: [ImportProblemRef],
      description: `The problems in file order, the first ${MAX_REPORTED_PROBLEMS} (problemCount says how many).`,
      resolve: (r) => r.problems.slice(0, MAX_REPORTED_PROBLEMS),
    }),
    counts: t.field({
      type: [ImportCountRef],
      description: "Rows per kind added, changed and unchanged (without apply: what applying would do).",
      resolve: (r) => COUNTED.map((kind) => ({ kind, ...r.counts[kind.toLowerCase() as keyof ImportReport["counts"]] })),
    }),
  }),
});

builder.mutationFields((t) => ({
  importFile: t.field({
    type: ImportReportRef,
    description:
      "Imports a CSV file or a Common Transfer File into an academy: by default a dry run that lists every problem by line (or element) and what would be added, changed or left; with apply, writes it all in one transaction, or nothing if it has any problem. Idempotent: the same file applied again changes nothing. Trust admins, and the academy's headteacher and admins.",
    args: {
      input: t.arg({
        type: builder.inputType("ImportFileInput", {
          description: "The file and where it goes.",
          fields: (f) => ({
            kind: f.field({ type: ImportKindEnum, required: true, description: "What the file holds." }),
            academyUrn: f.int({ required: true, description: "The academy imported into." }),
            file: f.field({ type: "File", required: true, description: `The file, UTF-8 CSV, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB.` }),
            apply: f.boolean({ required: false, defaultValue: false, description: "Write the file (default false: a dry run that writes nothing)." }),
          }),
        }),
        required: true,
        description: "The import.",
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      // Decided before the file is read or anything written.
      const academy = await ctx.prisma.academy.findUnique({ where: { urn: input.academyUrn }, select: { id: true, trustId: true } });
      // Staff only (an API client's scopes may reach configureAcademy, but bulk
      // writes of pupils and staff are a data manager's, signed in).
      const staff = ctx.actor?.kind === "user";
      if (!academy || !staff || !(can(ctx.actor, "configureAcademy", academy.id) || canInTrust(ctx.actor, "importData", academy.trustId))) {
        throw forbidden("You may not import into this academy.", { capabilities: ["configureAcademy"], trustCapability: "importData", staffOnly: true });
      }
      if (!isUploadedFile(input.file)) throw badInput("Send the file as a multipart/form-data upload (the GraphQL multipart request specification).");
      if (input.file.size > MAX_IMPORT_BYTES) throw badInput(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it.`);
      const name = (input.file.name || "upload.csv").slice(0, 200);
      const kind = input.kind.toLowerCase() as ImportKind;
      const actor = ctx.actor!;
      const bytes = new Uint8Array(await input.file.arrayBuffer());
      try {
        return await importFile(ctx.prisma, { academyId: academy.id, actor: { kind: actor.kind, id: actor.id }, apply: input.apply ?? false, operation: `importFile ${kind} ${name}` }, kind, bytes, name);
      } catch (error) {
        // A staff e-mail that app_enrol_user refuses (held by another trust's
        // member of staff), or a row another writer added at the same moment.
        if (isUniqueViolation(error)) throw conflict("Nothing was imported: an e-mail or key in the file is already in use (by another trust's staff, or by a change made at the same moment).");
        throw error;
      }
    },
  }),
}));
