// The change feed (issue 15 item 4): what changed since a cursor, for systems
// that keep a copy in sync (an MIS, Wonde, Groupcall Xporter, a parent app).
// The rows are written by triggers on mark, pupil, enrolment and case_action
// (migration "change_feed"), so every writer feeds it; this module only reads.
//
// Ordering and visibility. Events are served in (xid, seq) order: the writing
// transaction's id, then the order of writing within it. A transaction's
// events become visible when it commits, and transactions do not commit in
// the order they started, so a reader that served "everything committed so
// far" in seq order could skip an event committed later with a lower seq.
// Instead each page stops before the first event of a transaction that is
// not older than every transaction still running
// (xid < pg_snapshot_xmin(pg_current_snapshot())): every such older
// transaction has finished, and any transaction that commits later has an xid
// at or above that horizon, so it sorts after every event already served and
// no cursor ever passes it (the same rule PostgreSQL's own snapshots use; see
// the PostgreSQL manual, "Transaction ID and Snapshot Information Functions").
// A long transaction (a big import) holds later events back until it ends;
// hasNextPage stays true meanwhile, so a client knows to ask again.
import { type Actor } from "@attendance/core";
import { ChangeKind } from "@attendance/db";
import { builder } from "../builder.ts";
import { badInput, forbidden } from "../errors.ts";
import { CaseActionKindEnum, CaseActionSourceEnum, CaseActionStatusEnum } from "./cases.ts";
import { AttendanceCategoryEnum, GenderEnum, SenProvisionEnum, SessionEnum } from "./enums.ts";
import { DeletionGroundEnum } from "./roll.ts";

/** Most events on one page: a term of one form's marks in a few pages, and a bounded answer (OWASP API4:2023). */
export const MAX_CHANGES_PAGE = 1_000;
const DEFAULT_CHANGES_PAGE = 100;

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

/** One row of change_event as read by the feed. */
export interface ChangeRow {
  seq: string;
  xid: string;
  kind: ChangeKind;
  op: string;
  at: Date;
  academyId: string;
  pupilId: string;
  entityId: string;
  /** The pupil's form now, for a tutor's scope (null if none). */
  pupilFormId: string | null;
  payload: Record<string, unknown>;
}

// ─── Cursors ─────────────────────────────────────────────────────────────────

const CURSOR_PREFIX = "change:";
const CURSOR = /^change:(\d{1,20}):(\d{1,19})$/;

export function encodeChangeCursor(xid: string, seq: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${xid}:${seq}`).toString("base64url");
}

/** The position a cursor names, or BAD_USER_INPUT for anything this API did not hand out. */
export function decodeChangeCursor(cursor: string): { xid: string; seq: string } {
  const text = cursor.length <= 64 ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  // Node decodes base64 leniently (stray characters are dropped): a cursor is
  // accepted only as this API spells it, so none names two positions.
  const match = Buffer.from(text).toString("base64url") === cursor ? CURSOR.exec(text) : null;
  // Both are 64-bit in the database (xid8, bigint): refuse what would overflow.
  if (!match || BigInt(match[1]!) >= 2n ** 64n || BigInt(match[2]!) >= 2n ** 63n) {
    throw badInput("Not a valid cursor: pass the endCursor (or an edge's cursor) of an earlier page.", [{ field: "after", message: "Not a cursor of this feed." }]);
  }
  return { xid: match[1]!, seq: match[2]! };
}

// ─── Who sees what ──────────────────────────────────────────────────────────

/**
 * The feed's reading rules, the same as for the objects themselves (README
 * "Access"): marks, pupils and enrolments for those who read the academy (a
 * tutor: the pupils of their forms only, as Pupil and Mark); case actions only
 * for those who work cases (CaseAction's own rule).
 */
export function feedScope(actor: Actor | null, onlyAcademyId?: string) {
  const fullAcademyIds: string[] = [];
  const formAcademyIds: string[] = [];
  const formIds: string[] = [];
  const caseAcademyIds: string[] = [];
  for (const [academyId, grant] of actor?.academies ?? []) {
    if (onlyAcademyId !== undefined && academyId !== onlyAcademyId) continue;
    if (grant.capabilities.has("read")) {
      if (grant.formIds === undefined) fullAcademyIds.push(academyId);
      else {
        formAcademyIds.push(academyId);
        formIds.push(...grant.formIds);
      }
    }
    if (grant.capabilities.has("workCases")) caseAcademyIds.push(academyId);
  }
  return { fullAcademyIds, formAcademyIds, formIds, caseAcademyIds };
}

// ─── Types ──────────────────────────────────────────────────────────────────

const ChangeKindEnum = builder.enumType(ChangeKind, {
  name: "ChangeKind",
  description: "What a change-feed event is about.",
  values: {
    MARK: { description: "A new version of a register mark: the original entry (CREATED) or an amendment (AMENDED)." },
    PUPIL: { description: "A pupil was created, updated or anonymised." },
    ENROLMENT: { description: "A period on an academy's roll began (ON_ROLL), ended (OFF_ROLL) or was corrected (UPDATED)." },
    CASE_ACTION: { description: "A case action was raised (CREATED) or its status changed (STATUS_CHANGED)." },
  },
});

const CHANGE_OPS = {
  CREATED: "A new mark (version 1), pupil or case action.",
  AMENDED: "A mark was amended: this is the new version; the earlier ones are kept.",
  UPDATED: "A pupil, enrolment or case action changed (for a pupil, perhaps only its cohort flags, which the feed does not carry: read the pupil if you hold them).",
  ANONYMISED: "The pupil was anonymised after the retention period: names, date of birth, UPN and free text are gone, here and in the pupil's earlier events.",
  ON_ROLL: "The pupil was entered on the academy's admission register.",
  OFF_ROLL: "The pupil was deleted from the admission register on a ground of regulation 9(1).",
  STATUS_CHANGED: "A case action was completed, waived, escalated or withdrawn.",
} as const;
type ChangeOp = keyof typeof CHANGE_OPS;

const ChangeOpEnum = builder.enumType("ChangeOp", {
  description: "What happened to the object of a change-feed event.",
  values: Object.fromEntries(Object.entries(CHANGE_OPS).map(([k, description]) => [k, { description }])) as Record<ChangeOp, { description: string }>,
});

const RegistrationTypeEnum = builder.enumType("RegistrationType", {
  description: "Whether the academy is the pupil's only school or one of two (dual registration).",
  values: {
    SINGLE: { description: "The pupil's only school." },
    DUAL_MAIN: { description: "Dual registered: the main school." },
    DUAL_SUBSIDIARY: { description: "Dual registered: the subsidiary school." },
  },
});

const str = (row: ChangeRow, key: string) => (row.payload[key] ?? null) as string | null;
const int = (row: ChangeRow, key: string) => (row.payload[key] ?? null) as number | null;
/** jsonb keeps a date as "yyyy-mm-dd" and an instant as ISO 8601 with its offset. */
const date = (row: ChangeRow, key: string) => {
  const value = str(row, key);
  return value === null ? null : new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
};

const ChangeRef = builder.interfaceRef<ChangeRow>("Change");
ChangeRef.implement({
  description: "An event of the change feed: what changed, when, and the object as it was written (see the implementing types).",
  fields: (t) => ({
    cursor: t.string({ description: "This event's position: pass it as `after` to resume after it.", resolve: (r) => encodeChangeCursor(r.xid, r.seq) }),
    sequence: t.string({ description: "The event's number, unique in the feed (a 64-bit integer, as a string). Events are served in transaction order, then this order within one transaction.", resolve: (r) => r.seq }),
    kind: t.field({ type: ChangeKindEnum, description: "What the event is about.", resolve: (r) => r.kind }),
    op: t.field({ type: ChangeOpEnum, description: "What happened.", resolve: (r) => r.op as ChangeOp }),
    at: t.field({ type: "DateTime", description: "When the change was written (its transaction's start).", resolve: (r) => r.at }),
    academyId: t.id({ description: "The academy's global ID (for a pupil: the academy they were at when this was written).", resolve: (r) => gid("Academy", r.academyId) }),
    pupilId: t.id({ description: "The pupil's global ID.", resolve: (r) => gid("Pupil", r.pupilId) }),
    upn: t.string({ nullable: true, description: "The pupil's Unique Pupil Number: for a mark, the pupil's now; otherwise as written. Replaced, here and in earlier events, once the pupil is anonymised.", resolve: (r) => str(r, "upn") }),
  }),
});

/** A tutor sees a pupil's events only for the forms they tutor, as for the pupil itself. */
const pupilEventScopes = (r: ChangeRow) => ({ form: { academyId: r.academyId, formId: r.pupilFormId, capability: "read" as const } });

builder.objectRef<ChangeRow>("MarkChange").implement({
  description: "A new version of a register mark: the original entry or an amendment. The current mark of a pupil in a register is the one with the highest version.",
  interfaces: [ChangeRef],
  isTypeOf: (r) => (r as ChangeRow).kind === "MARK",
  authScopes: pupilEventScopes,
  fields: (t) => ({
    markId: t.id({ description: "This version's global ID (a Mark).", resolve: (r) => gid("Mark", r.entityId) }),
    registerId: t.id({ description: "The register's global ID.", resolve: (r) => gid("Register", str(r, "registerId")!) }),
    date: t.field({ type: "Date", description: "The register's date.", resolve: (r) => date(r, "date")! }),
    session: t.field({ type: SessionEnum, description: "The register's session.", resolve: (r) => str(r, "session") as "AM" | "PM" }),
    version: t.int({ description: "1 for the original entry, n+1 for the amendment of version n.", resolve: (r) => int(r, "version")! }),
    code: t.string({ description: "The attendance code.", resolve: (r) => str(r, "code")! }),
    category: t.field({
      type: AttendanceCategoryEnum,
      description: "How the Department for Education counts it.",
      resolve: (r) => str(r, "category") as "PRESENT" | "APPROVED_ACTIVITY" | "AUTHORISED_ABSENCE" | "UNAUTHORISED_ABSENCE" | "NOT_POSSIBLE",
    }),
    minutesLate: t.int({ nullable: true, description: "Minutes after the session started, for a late arrival.", resolve: (r) => int(r, "minutesLate") }),
    arrivedAt: t.field({ type: "DateTime", nullable: true, description: "When a late pupil arrived.", resolve: (r) => date(r, "arrivedAt") }),
    note: t.string({ nullable: true, description: "A note with the mark.", resolve: (r) => str(r, "note") }),
    amendmentReason: t.string({ nullable: true, description: "Why this version amends the one before (null for the original).", resolve: (r) => str(r, "amendmentReason") }),
    recordedAt: t.field({ type: "DateTime", description: "When this version was recorded.", resolve: (r) => date(r, "recordedAt")! }),
    recordedBy: t.string({ nullable: true, description: "Who recorded it, by name as it was then (null for entries loaded without an author).", resolve: (r) => str(r, "recordedByName") }),
  }),
});

builder.objectRef<ChangeRow>("PupilChange").implement({
  description:
    "A pupil as written. Safeguarding and cohort flags (free school meals, pupil premium, looked after, social worker) are not carried: read them from the pupil (with read:sensitive), whose reads are audited.",
  interfaces: [ChangeRef],
  isTypeOf: (r) => (r as ChangeRow).kind === "PUPIL",
  authScopes: pupilEventScopes,
  fields: (t) => ({
    legalForename: t.string({ description: "Legal forename.", resolve: (r) => str(r, "legalForename")! }),
    legalSurname: t.string({ description: "Legal surname.", resolve: (r) => str(r, "legalSurname")! }),
    preferredForename: t.string({ nullable: true, description: "The forename the pupil is known by, if not their legal one.", resolve: (r) => str(r, "preferredForename") }),
    dateOfBirth: t.field({ type: "Date", nullable: true, description: "Date of birth; null once anonymised.", resolve: (r) => date(r, "dateOfBirth") }),
    gender: t.field({ type: GenderEnum, description: "Gender as recorded for the census.", resolve: (r) => str(r, "gender") as "FEMALE" | "MALE" | "OTHER" }),
    yearGroup: t.int({ description: "National Curriculum year: -1 nursery, 0 Reception, 1–13.", resolve: (r) => int(r, "yearGroup")! }),
    senProvision: t.field({ type: SenProvisionEnum, description: "Special educational needs provision.", resolve: (r) => str(r, "senProvision") as "NONE" | "SEN_SUPPORT" | "EHCP" }),
    englishAdditionalLanguage: t.boolean({ description: "English is an additional language.", resolve: (r) => r.payload.englishAdditionalLanguage === true }),
    formId: t.id({ nullable: true, description: "The pupil's form's global ID, if they have one.", resolve: (r) => (str(r, "formId") ? gid("Form", str(r, "formId")!) : null) }),
    anonymisedAt: t.field({ type: "DateTime", nullable: true, description: "When the pupil was anonymised; null until then.", resolve: (r) => date(r, "anonymisedAt") }),
  }),
});

builder.objectRef<ChangeRow>("EnrolmentChange").implement({
  description: "A period on an academy's admission register as written.",
  interfaces: [ChangeRef],
  isTypeOf: (r) => (r as ChangeRow).kind === "ENROLMENT",
  authScopes: pupilEventScopes,
  fields: (t) => ({
    enrolmentId: t.id({ description: "The enrolment's identifier (stable: later events about it carry the same).", resolve: (r) => r.entityId }),
    registrationType: t.field({
      type: RegistrationTypeEnum,
      description: "Single or dual registration.",
      resolve: (r) => str(r, "registrationType") as "SINGLE" | "DUAL_MAIN" | "DUAL_SUBSIDIARY",
    }),
    onRollFrom: t.field({ type: "Date", description: "First day on roll.", resolve: (r) => date(r, "onRollFrom")! }),
    onRollTo: t.field({ type: "Date", nullable: true, description: "Last day on roll; null while on roll.", resolve: (r) => date(r, "onRollTo") }),
    deletionGround: t.field({
      type: DeletionGroundEnum,
      nullable: true,
      description: "The lawful ground of the deletion.",
      resolve: (r) => str(r, "deletionGround") as never,
    }),
    deletionNote: t.string({ nullable: true, description: "The evidence for the ground, in words.", resolve: (r) => str(r, "deletionNote") }),
  }),
});

builder.objectRef<ChangeRow>("CaseActionChange").implement({
  description: "A case action as written. Only for those who work cases, as CaseAction itself.",
  interfaces: [ChangeRef],
  isTypeOf: (r) => (r as ChangeRow).kind === "CASE_ACTION",
  authScopes: (r) => ({ academy: { academyId: r.academyId, capability: "workCases" } }),
  fields: (t) => ({
    caseActionId: t.id({ description: "The case action's global ID.", resolve: (r) => gid("CaseAction", r.entityId) }),
    source: t.field({ type: CaseActionSourceEnum, description: "The rule that raised it.", resolve: (r) => str(r, "source") as never }),
    actionKind: t.field({ type: CaseActionKindEnum, description: "What kind of work it is.", resolve: (r) => str(r, "kind") as never }),
    action: t.string({ description: "What to do, in the policy's words.", resolve: (r) => str(r, "action")! }),
    assignee: t.string({ nullable: true, description: "Who acts (a role), where the policy says.", resolve: (r) => str(r, "assignee") }),
    dueOn: t.field({ type: "Date", description: "When it is due.", resolve: (r) => date(r, "dueOn")! }),
    reason: t.string({ description: "Why it was raised, for this pupil.", resolve: (r) => str(r, "reason")! }),
    triggerKey: t.string({ description: "The rule and period it was reached in.", resolve: (r) => str(r, "triggerKey")! }),
    status: t.field({ type: CaseActionStatusEnum, description: "Where it stands.", resolve: (r) => str(r, "status") as never }),
    statusReason: t.string({ nullable: true, description: "Why it was completed, waived, escalated or withdrawn.", resolve: (r) => str(r, "statusReason") }),
    statusAt: t.field({ type: "DateTime", nullable: true, description: "When its status last changed.", resolve: (r) => date(r, "statusAt") }),
    escalatedFromId: t.id({
      nullable: true,
      description: "The global ID of the action this one escalated.",
      resolve: (r) => (str(r, "escalatedFromId") ? gid("CaseAction", str(r, "escalatedFromId")!) : null),
    }),
    createdAt: t.field({ type: "DateTime", description: "When it was raised.", resolve: (r) => date(r, "createdAt")! }),
  }),
});

// ─── The query ──────────────────────────────────────────────────────────────

/**
 * A PostgreSQL array literal of ids or enum names, sent as one text parameter
 * (the driver adapters do not bind JS arrays alike) and cast to a typed array
 * in the statement, so the column's index is still used (DESIGN.md §9).
 */
function arrayLiteral(values: readonly string[]): string {
  if (!values.every((v) => /^[\w-]+$/.test(v))) throw new Error("arrayLiteral: ids and enum names only");
  return `{${values.join(",")}}`;
}

interface RawChange {
  seq: string;
  xid: string;
  kind: ChangeKind;
  op: string;
  at: Date;
  academy_id: string;
  pupil_id: string;
  entity_id: string;
  pupil_form_id: string | null;
  payload: Record<string, unknown>;
  settled: boolean;
}

builder.queryFields((t) => ({
  changes: t.connection(
    {
      type: ChangeRef,
      description:
        "What changed since a cursor, for systems that keep a copy in sync: new mark versions, pupils, enrolments and case actions, oldest first, only those you may read. Start without `after`, then pass each page's `endCursor`. `hasNextPage` is true while there is more, including events a transaction still running holds back for a moment: ask again. See the README, \"Change feed\".",
      args: {
        kinds: t.arg({ type: [ChangeKindEnum], required: false, description: "Only these kinds (default: all you may read)." }),
        academyUrn: t.arg.int({ required: false, description: "Only this academy's events (default: every academy you may read)." }),
      },
      resolve: async (_root, args, ctx) => {
        if (args.last != null || args.before != null) throw badInput("The change feed pages forwards only: use first and after.");
        const first = args.first ?? DEFAULT_CHANGES_PAGE;
        if (first < 1 || first > MAX_CHANGES_PAGE) throw badInput(`first must be 1 to ${MAX_CHANGES_PAGE}.`, [{ field: "first", message: `1 to ${MAX_CHANGES_PAGE}.` }]);
        if (args.kinds != null && args.kinds.length > Object.keys(ChangeKind).length) throw badInput("Name each kind once.");
        const from = args.after != null ? decodeChangeCursor(args.after) : { xid: "0", seq: "0" };
        let onlyAcademyId: string | undefined;
        if (args.academyUrn != null) {
          const academy = await ctx.prisma.academy.findUnique({ where: { urn: args.academyUrn }, select: { id: true } });
          const scope = academy && feedScope(ctx.actor, academy.id);
          if (!academy || !scope || scope.fullAcademyIds.length + scope.formAcademyIds.length === 0) throw forbidden("You may not read this academy's changes.", { capabilities: ["read"] });
          onlyAcademyId = academy.id;
        }
        const scope = feedScope(ctx.actor, onlyAcademyId);
        const kinds = args.kinds?.length ? [...new Set(args.kinds)] : (Object.keys(ChangeKind) as ChangeKind[]);
        // One more than asked, to know whether there is a next page. Rows
        // are read past the visibility horizon (settled = false) only to say
        // hasNextPage: they are never served (see the top of this file).
        const rows = await ctx.prisma.$queryRawUnsafe<RawChange[]>(
          `SELECT e.seq::text AS seq, e.xid::text AS xid, e.kind, e.op, e.at, e.academy_id, e.pupil_id, e.entity_id,
                  p.form_id AS pupil_form_id,
                  -- A mark version is never changed (append-only), so it is read itself.
                  CASE WHEN e.kind = 'MARK' THEN jsonb_build_object(
                    'registerId', m.register_id, 'upn', p.upn, 'date', m.date, 'session', m.session,
                    'version', m.version, 'code', m.code, 'category', m.category, 'minutesLate', m.minutes_late,
                    'arrivedAt', m.arrived_at, 'note', m.note, 'amendmentReason', m.amendment_reason,
                    'recordedAt', m.recorded_at, 'recordedByName', m.recorded_by_name)
                  ELSE e.payload END AS payload,
                  e.xid < pg_snapshot_xmin(pg_current_snapshot()) AS settled
           FROM change_event e
           LEFT JOIN pupil p ON p.id = e.pupil_id
           LEFT JOIN mark m ON e.kind = 'MARK' AND m.id = e.entity_id
           WHERE e.trust_id = $1::uuid
             AND (e.xid, e.seq) > ($2::text::xid8, $3::bigint)
             AND e.kind = ANY ($4::text::change_kind[])
             AND ((e.kind <> 'CASE_ACTION' AND e.academy_id = ANY (uuid_list($5::text)))
               OR (e.kind <> 'CASE_ACTION' AND e.academy_id = ANY (uuid_list($6::text)) AND p.form_id = ANY (uuid_list($7::text)))
               OR (e.kind = 'CASE_ACTION' AND e.academy_id = ANY (uuid_list($8::text))))
           ORDER BY e.xid, e.seq
           LIMIT $9`,
          ctx.actor?.trustId ?? "00000000-0000-0000-0000-000000000000",
          from.xid,
          from.seq,
          arrayLiteral(kinds),
          arrayLiteral(scope.fullAcademyIds),
          arrayLiteral(scope.formAcademyIds),
          arrayLiteral(scope.formIds),
          arrayLiteral(scope.caseAcademyIds),
          first + 1,
        );
        const settled = rows.findIndex((r) => !r.settled);
        const served = rows.slice(0, Math.min(first, settled === -1 ? rows.length : settled));
        const edges = served.map((r) => {
          const node: ChangeRow = {
            seq: r.seq, xid: r.xid, kind: r.kind, op: r.op, at: r.at, academyId: r.academy_id, pupilId: r.pupil_id,
            entityId: r.entity_id, pupilFormId: r.pupil_form_id, payload: r.payload,
          };
          return { cursor: encodeChangeCursor(r.xid, r.seq), node };
        });
        const last = edges.at(-1);
        return {
          edges,
          pageInfo: {
            hasNextPage: rows.length > served.length,
            hasPreviousPage: args.after != null,
            startCursor: edges[0]?.cursor ?? args.after ?? null,
            // With nothing new, the cursor given: resuming from it loses nothing.
            endCursor: last?.cursor ?? args.after ?? null,
          },
        };
      },
    },
    { name: "ChangeConnection", description: "A page of the change feed." },
    { name: "ChangeEdge", description: "An event of the change feed, with its cursor." },
  ),
}));
