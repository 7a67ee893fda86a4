// The lead's review in one query (issue 16, item 2): per academy, the pupils
// who crossed a threshold since the last review date (newly persistently or
// severely absent, or attendance fallen by more than n points), with the case
// actions raised for them and those with none.
//
// For those who work cases only (a trust's attendance lead for every academy
// of the trust; an academy's attendance officer or headteacher for their
// own): the list names children by their absence, next to their case work,
// which a teacher, a trust admin or an API client has no need to know (UK
// GDPR Art. 5(1)(c), data minimisation; the same rule as cases.ts).
//
// Statements per request are flat: one to find the academies, one for every
// academy's figures and flags (statistics/review.ts), and, for the page(s)
// served, one for the pupils and one for their case actions (batched).
import DataLoader from "dataloader";
import { academiesWhere, dateOfIso, daysInPeriod, isoDateOf, schoolYearOf, type IsoDate } from "@attendance/core";
import type { CaseAction } from "@attendance/db";
import { resolveArrayConnection } from "@pothos/plugin-relay";
import { builder } from "../builder.ts";
import { badInput, forbidden, type InputProblem } from "../errors.ts";
import type { GraphQLContext } from "../context.ts";
import { queryReview, type ReviewRow } from "../statistics/review.ts";

/** The longest review: a school year and a day (a lead compares to the last review, weeks ago, or a year ago at most). */
export const MAX_REVIEW_DAYS = 366;
/** Default fall that flags a pupil, in percentage points: a product default, not a rule (README, "The lead's review"). */
export const DEFAULT_FALL_POINTS = 5;
/** Page sizes, as for every other list. */
const MAX_PAGE = 500;
const DEFAULT_PAGE = 20;

interface Review {
  since: IsoDate;
  to: IsoDate;
  fallByMoreThan: number;
  academies: AcademyReview[];
  /** The case actions of the pupils served, one statement per selection (never shared between requests). */
  caseActions: (query: object) => DataLoader<string, CaseAction[]>;
}

interface AcademyReview {
  academy: { id: string; urn: number; name: string; trustId: string };
  rows: ReviewPupil[];
  review: Review;
}

interface ReviewPupil extends ReviewRow {
  review: Review;
}

const CriterionEnum = builder.enumType("ReviewCriterion", {
  description: "A threshold a pupil crossed between the two dates of a review.",
  values: {
    NEWLY_PERSISTENT: { description: "Persistently absent (10% or more of possible sessions missed) in the school year to `to`, but not to `since`." },
    NEWLY_SEVERE: { description: "Severely absent (50% or more missed) in the school year to `to`, but not to `since`." },
    FALLING: { description: "Attendance to `to` more than `fallByMoreThan` percentage points below attendance to `since`." },
  },
});

const ReviewFiguresRef = builder.objectRef<{ from: IsoDate; to: IsoDate; possible: number; attended: number; absent: number }>("ReviewFigures");
ReviewFiguresRef.implement({
  description: "A pupil's attendance over the school year up to one of the review's dates (the Department for Education's definitions: the best mark of each session, over possible sessions).",
  authScopes: { authenticated: true },
  fields: (t) => ({
    from: t.field({ type: "Date", description: "First day counted: the start of that school year (1 September).", resolve: (f) => dateOfIso(f.from) }),
    to: t.field({ type: "Date", description: "Last day counted.", resolve: (f) => dateOfIso(f.to) }),
    possibleSessions: t.exposeInt("possible", { description: "Sessions the pupil could have attended." }),
    attended: t.exposeInt("attended", { description: "Present or at an approved educational activity." }),
    absent: t.exposeInt("absent", { description: "Authorised or unauthorised absence." }),
    attendanceRate: t.float({ nullable: true, description: "Attended over possible sessions, unrounded (null with none possible).", resolve: (f) => (f.possible === 0 ? null : f.attended / f.possible) }),
    persistentlyAbsent: t.boolean({ description: "Missed 10% or more of possible sessions.", resolve: (f) => f.possible > 0 && f.absent * 10 >= f.possible }),
    severelyAbsent: t.boolean({ description: "Missed 50% or more of possible sessions.", resolve: (f) => f.possible > 0 && f.absent * 2 >= f.possible }),
  }),
});

const ReviewPupilRef = builder.objectRef<ReviewPupil>("ReviewPupil");
ReviewPupilRef.implement({
  description: "A pupil who crossed a threshold between the review's two dates, with their figures at each and the case actions standing for them.",
  authScopes: (row) => ({ academy: { academyId: row.academyId, capability: "workCases" } }),
  fields: (t) => ({
    pupil: t.prismaField({
      type: "Pupil",
      description: "The pupil.",
      // Prisma batches the page's findUnique calls into one statement.
      resolve: (query, row, _args, ctx) => ctx.prisma.pupil.findUniqueOrThrow({ ...query, where: { id: row.pupilId } }),
    }),
    crossed: t.field({
      type: [CriterionEnum],
      description: "The thresholds crossed (one or more).",
      resolve: (row) => criteriaOf(row),
    }),
    atSince: t.field({
      type: ReviewFiguresRef,
      description: "Figures for the school year up to `since` (the last review).",
      resolve: (row) => ({ from: yearStart(row.review.since), to: row.review.since, possible: row.sincePossible, attended: row.sinceAttended, absent: row.sinceAbsent }),
    }),
    atTo: t.field({
      type: ReviewFiguresRef,
      description: "Figures for the school year up to `to`.",
      resolve: (row) => ({ from: yearStart(row.review.to), to: row.review.to, possible: row.toPossible, attended: row.toAttended, absent: row.toAbsent }),
    }),
    pointsFallen: t.float({
      nullable: true,
      description: "Attendance to `since` minus attendance to `to`, in percentage points, unrounded (negative if it rose; null if either has no possible sessions).",
      resolve: (row) => (row.sincePossible === 0 || row.toPossible === 0 ? null : (row.sinceAttended / row.sincePossible - row.toAttended / row.toPossible) * 100),
    }),
    hasCaseActions: t.exposeBoolean("hasCaseActions", { description: "Whether any case action is open for the pupil, or was raised since `since`." }),
    caseActions: t.prismaField({
      type: ["CaseAction"],
      description: "The pupil's case actions open now or raised since `since` (from the start of that day), newest first, at academies where you work cases.",
      resolve: (query, row) => row.review.caseActions(query).load(row.pupilId),
    }),
  }),
});

function criteriaOf(row: ReviewRow): ("NEWLY_PERSISTENT" | "NEWLY_SEVERE" | "FALLING")[] {
  return [
    ...(row.newlyPersistent ? ["NEWLY_PERSISTENT" as const] : []),
    ...(row.newlySevere ? ["NEWLY_SEVERE" as const] : []),
    ...(row.fell ? ["FALLING" as const] : []),
  ];
}

const yearStart = (date: IsoDate): IsoDate => schoolYearOf(date).start;

/** A page size within bounds, or BAD_USER_INPUT naming the argument. */
function checkPage(args: { first?: number | null; last?: number | null }) {
  for (const name of ["first", "last"] as const) {
    const n = args[name];
    if (n != null && (n < 1 || n > MAX_PAGE)) throw badInput(`${name} must be 1 to ${MAX_PAGE}.`, [{ field: name, message: `1 to ${MAX_PAGE}.` }]);
  }
}

const AcademyReviewRef = builder.objectRef<AcademyReview>("AcademyReview");
AcademyReviewRef.implement({
  description: "One academy's part of the review: how many pupils crossed each threshold, and who.",
  authScopes: (a) => ({ academy: { academyId: a.academy.id, capability: "workCases" } }),
  fields: (t) => ({
    academy: t.prismaField({
      type: "Academy",
      description: "The academy.",
      resolve: (query, a, _args, ctx) => ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: a.academy.id } }),
    }),
    newlyPersistent: t.int({ description: "Pupils newly persistently absent.", resolve: (a) => a.rows.filter((r) => r.newlyPersistent).length }),
    newlySevere: t.int({ description: "Pupils newly severely absent.", resolve: (a) => a.rows.filter((r) => r.newlySevere).length }),
    falling: t.int({ description: "Pupils whose attendance fell by more than `fallByMoreThan` points.", resolve: (a) => a.rows.filter((r) => r.fell).length }),
    withoutCaseActions: t.int({ description: "Pupils listed who have no case action open or raised since `since`.", resolve: (a) => a.rows.filter((r) => !r.hasCaseActions).length }),
    pupils: t.connection(
      {
        type: ReviewPupilRef,
        description: "The pupils who crossed a threshold, worst attendance to `to` first. Filter by threshold, or to those with no case action.",
        args: {
          crossed: t.arg({ type: CriterionEnum, required: false, description: "Only pupils who crossed this threshold." }),
          withoutCaseActions: t.arg.boolean({ required: false, description: "true: only pupils with no case action open or raised since `since`; false: only those with one." }),
        },
        resolve: (a, args) => {
          checkPage(args);
          const rows = a.rows.filter(
            (r) => (args.crossed == null || criteriaOf(r).includes(args.crossed)) && (args.withoutCaseActions == null || r.hasCaseActions !== args.withoutCaseActions),
          );
          return { ...resolveArrayConnection({ args, defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE }, rows), totalCount: rows.length };
        },
      },
      {
        name: "ReviewPupilConnection",
        description: "A page of the pupils who crossed a threshold, with how many there are.",
        fields: (c) => ({ totalCount: c.int({ description: "How many items the whole list has, across all pages.", resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }),
      },
      { name: "ReviewPupilEdge", description: "A pupil who crossed a threshold, with its cursor." },
    ),
  }),
});

const ReviewRef = builder.objectRef<Review>("AttendanceReview");
ReviewRef.implement({
  description: "The attendance lead's review: per academy, the pupils who crossed a threshold between the last review date and `to`, with their case actions.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    since: t.field({ type: "Date", description: "The last review date.", resolve: (r) => dateOfIso(r.since) }),
    to: t.field({ type: "Date", description: "The date reviewed to.", resolve: (r) => dateOfIso(r.to) }),
    fallByMoreThan: t.exposeInt("fallByMoreThan", { description: "The fall in attendance, in percentage points, beyond which a pupil is listed." }),
    academies: t.connection(
      {
        type: AcademyReviewRef,
        description: "Each academy reviewed, by name.",
        resolve: (r, args) => {
          checkPage(args);
          return { ...resolveArrayConnection({ args, defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE }, r.academies), totalCount: r.academies.length };
        },
      },
      {
        name: "AcademyReviewConnection",
        description: "A page of the academies reviewed, with how many there are.",
        fields: (c) => ({ totalCount: c.int({ description: "How many items the whole list has, across all pages.", resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }),
      },
      { name: "AcademyReviewEdge", description: "An academy reviewed, with its cursor." },
    ),
  }),
});

/** The review's arguments, checked: every problem at once, BAD_USER_INPUT, nothing read. */
function reviewArgs(args: { since: Date; to?: Date | null; fallByMoreThan?: number | null }, today: IsoDate) {
  const since = isoDateOf(args.since);
  const to = args.to ? isoDateOf(args.to) : today;
  const fall = args.fallByMoreThan ?? DEFAULT_FALL_POINTS;
  const problems: InputProblem[] = [];
  if (since >= to) problems.push({ field: "since", message: "The last review date must be before `to`." });
  else if (daysInPeriod(since, to) > MAX_REVIEW_DAYS) problems.push({ field: "since", message: `A review covers at most ${MAX_REVIEW_DAYS} days.` });
  if (!Number.isInteger(fall) || fall < 1 || fall > 100) problems.push({ field: "fallByMoreThan", message: "Whole percentage points, 1 to 100." });
  if (problems.length > 0) throw badInput("The review's arguments cannot be used: see problems.", problems);
  return { since, to, fall };
}

async function buildReview(ctx: GraphQLContext, args: { since: Date; to?: Date | null; academyUrn?: number | null; fallByMoreThan?: number | null }): Promise<Review> {
  const { since, to, fall } = reviewArgs(args, isoDateOf(new Date()));
  const caseAcademyIds = academiesWhere(ctx.actor, "workCases");
  const trustId = ctx.actor?.trustId ?? null;
  // Another trust's URN and an unknown one are answered alike (tenancy.ts).
  const academies = trustId
    ? await ctx.prisma.academy.findMany({
        where: { trustId, id: { in: caseAcademyIds }, ...(args.academyUrn != null ? { urn: args.academyUrn } : {}) },
        select: { id: true, urn: true, name: true, trustId: true },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      })
    : [];
  if (academies.length === 0) throw forbidden("The review is for staff who work cases in the academy (a trust attendance lead, an attendance officer, a headteacher).", { capabilities: ["workCases"] });
  const rows = await queryReview(ctx.prisma, { academyIds: academies.map((a) => a.id), caseAcademyIds, since, to, fallByMoreThan: fall });
  const caseActionLoaders = new Map<string, DataLoader<string, CaseAction[]>>();
  const review: Review = {
    since,
    to,
    fallByMoreThan: fall,
    academies: [],
    caseActions: (query) => {
      // One loader per selection (the same field aliased twice may select differently).
      const key = JSON.stringify(query);
      let loader = caseActionLoaders.get(key);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          // The selection, keeping the columns this loader and the type's scopes read.
          const select = (query as { select?: object }).select;
          const found = await ctx.prisma.caseAction.findMany({
            ...(select ? { select: { ...select, pupilId: true, academyId: true } } : query),
            where: { pupilId: { in: [...ids] }, academyId: { in: caseAcademyIds }, OR: [{ status: "OPEN" }, { createdAt: { gte: dateOfIso(since) } }] },
            orderBy: [{ createdAt: "desc" }, { id: "asc" }],
          });
          return ids.map((id) => found.filter((a) => a.pupilId === id));
        });
        caseActionLoaders.set(key, loader);
      }
      return loader;
    },
  };
  review.academies = academies.map((academy) => ({ academy, review, rows: rows.filter((r) => r.academyId === academy.id).map((r) => ({ ...r, review })) }));
  return review;
}

builder.queryFields((t) => ({
  attendanceReview: t.field({
    type: ReviewRef,
    nullable: true,
    description:
      "The lead's review in one query: for every academy where you work cases (or the one named), the pupils who crossed a threshold between the last review date and `to` (newly persistently absent, newly severely absent, or attendance fallen by more than `fallByMoreThan` points, each over the school year to that date), with the case actions standing for them and those with none. FORBIDDEN for who does not work cases there, and alike for another trust's or an unknown URN. See the README, \"The lead's review\".",
    args: {
      since: t.arg({ type: "Date", required: true, description: "The last review date." }),
      to: t.arg({ type: "Date", required: false, description: "Review to this date (default today); after `since`, at most 366 days later." }),
      academyUrn: t.arg.int({ required: false, description: "Only this academy (default: every academy where you work cases)." }),
      fallByMoreThan: t.arg.int({ required: false, description: `List pupils whose attendance fell by more than this many percentage points (1 to 100, default ${DEFAULT_FALL_POINTS}).` }),
    },
    resolve: (_root, args, ctx) => buildReview(ctx, args),
  }),
}));
