// Escalation evaluation against the database: the lateness ladder, the absence
// ladder and the unexplained-absence steps of each pupil's academy policy,
// turned into case actions (packages/core/src/workflows/escalations.ts). The
// statements are the same in number whatever the number of pupils, and the
// insert skips trigger keys already recorded, so evaluating twice creates
// nothing twice. Run by the escalation worker after every register write and
// amendment (escalation-queue.ts), and on demand.
import {
  actionCitesSession,
  reevaluationDate,
  withdrawalReason,
  dateOfIso,
  addDays,
  attendanceRate,
  dueActions,
  evaluateAbsenceLadder,
  evaluateLatenessLadder,
  isoDateOf,
  missingEducationSteps,
  schoolYearOf,
  weekdayOf,
  UNEXPLAINED_CODES,
  type DayMarks,
  type DueAction,
  type IsoDate,
} from "@attendance/core";
import type { PrismaClient } from "@attendance/db";
import type { Loaders } from "../loaders.ts";
import { enqueueEvent } from "./events.ts";
import { academyHalfTermOn } from "./calendar.ts";

/** Days an action is due in where the policy does not say: a product default, not a rule (README, "Workflows"). */
export const DEFAULT_ACTION_DUE_DAYS = 5;

/** How far back unexplained absence is followed: longer than any step (20 school days is four weeks). */
const RUN_LOOKBACK_DAYS = 60;

export interface EvaluationResult {
  /** Ids of the actions created by this evaluation. */
  created: string[];
  /** Actions due that were already recorded. */
  existing: number;
  /** Webhook deliveries queued. */
  queued: number;
}

interface Deps {
  prisma: PrismaClient;
  loaders: Pick<Loaders, "policy" | "statistics">;
}

/**
 * Evaluates `pupilIds` (null: every pupil on the academy's roll) on `asOf`, and
 * records the actions due that are not yet recorded.
 */
export async function evaluateEscalations(deps: Deps, academyId: string, pupilIds: readonly string[] | null, asOf: IsoDate): Promise<EvaluationResult> {
  const found = await dueEscalations(deps, academyId, pupilIds, asOf);
  if (!found || found.due.length === 0) return { created: [], existing: 0, queued: 0 };
  return recordDue(deps.prisma, academyId, found);
}

type Due = DueAction & { pupilId: string; evidence: unknown; ruleKey: string };

/** The actions due for `pupilIds` (null: every pupil on roll) on `asOf`, whether recorded or not. */
async function dueEscalations(deps: Deps, academyId: string, pupilIds: readonly string[] | null, asOf: IsoDate) {
  const { prisma, loaders } = deps;
  const policy = await loaders.policy.load({ academyId, date: asOf });
  const lateness = policy.settings.get("latenessLadder");
  const absence = policy.settings.get("absenceLadder");
  const cme = policy.settings.get("missingEducation.steps");
  const dueDays = policy.view.get("escalation.actionDueDays") ?? DEFAULT_ACTION_DUE_DAYS;
  const day = dateOfIso(asOf);
  const year = schoolYearOf(asOf);

  const pupils = await prisma.pupil.findMany({
    where: {
      academyId,
      ...(pupilIds ? { id: { in: [...pupilIds] } } : {}),
      enrolments: { some: { academyId, onRollFrom: { lte: day }, OR: [{ onRollTo: null }, { onRollTo: { gte: day } }] } },
    },
    select: { id: true },
  });
  const ids = pupils.map((p) => p.id);
  if (ids.length === 0) return null;

  const term = await academyHalfTermOn(prisma, academyId, asOf);
  const weekStart = addDays(asOf, 1 - weekdayOf(asOf));
  const lateFrom = term && term.start < weekStart ? term.start : weekStart;

  const [lates, rates, runDays] = await Promise.all([
    lateness
      ? prisma.currentMark.findMany({
          where: { academyId, pupilId: { in: ids }, code: { in: ["L", "U"] }, date: { gte: dateOfIso(lateFrom), lte: day } },
          select: { pupilId: true, markId: true, date: true, session: true, code: true },
        })
      : [],
    absence
      ? Promise.all(ids.map((id) => loaders.statistics.load({ kind: "PUPIL", id, from: year.start, to: asOf, cohort: {}, by: "TOTAL" })))
      : [],
    cme ? unexplainedDays(prisma, academyId, ids, asOf) : new Map<string, DayMarks[]>(),
  ]);

  const due: Due[] = [];
  ids.forEach((pupilId, i) => {
    const own = lates.filter((m) => m.pupilId === pupilId);
    const latePositions = lateness
      ? evaluateLatenessLadder(
          lateness.value as Parameters<typeof evaluateLatenessLadder>[0],
          own.map((m) => isoDateOf(m.date)),
          asOf,
          term ? { start: term.start, end: term.end } : undefined,
        )
      : null;
    const figures = (rates as Awaited<ReturnType<typeof loaders.statistics.load>>[])[i]?.[0];
    const rate = figures ? attendanceRate(figures) : null;
    const absencePositions = absence ? evaluateAbsenceLadder(absence.value as Parameters<typeof evaluateAbsenceLadder>[0], rate) : null;
    const days = runDays.get(pupilId) ?? [];
    const steps = cme ? missingEducationSteps(cme.value as Parameters<typeof missingEducationSteps>[0], days, asOf) : { run: null, due: [] };
    for (const action of dueActions({
      asOf, schoolYear: `${year.start.slice(0, 4)}/${year.end.slice(2, 4)}`, lateness: latePositions, absence: absencePositions,
      missingEducation: steps.due, missingEducationFrom: steps.run?.from ?? null,
    })) {
      let evidence: unknown;
      let ruleKey: string;
      if (action.source === "LATENESS_LADDER") {
        const step = latePositions!.find((s) => action.triggerKey === `lateness:${s.per}:${s.lates}:${s.from}`)!;
        evidence = {
          lates: own
            .filter((m) => isoDateOf(m.date) >= step.from && isoDateOf(m.date) <= step.to)
            .map((m) => ({ markId: m.markId, date: isoDateOf(m.date), session: m.session, code: m.code })),
        };
        ruleKey = "latenessLadder";
      } else if (action.source === "ABSENCE_LADDER") {
        evidence = { from: year.start, to: asOf, attendanceRate: rate, figures };
        ruleKey = "absenceLadder";
      } else {
        evidence = { run: steps.run, days: days.filter((d) => steps.run && d.date >= steps.run.from) };
        ruleKey = "missingEducation.steps";
      }
      due.push({ ...action, pupilId, evidence, ruleKey });
    }
  });
  return { due, policy, dueDays };
}

async function recordDue(prisma: PrismaClient, academyId: string, { due, policy, dueDays }: NonNullable<Awaited<ReturnType<typeof dueEscalations>>>): Promise<EvaluationResult> {
  const rows = due.map((a) => {
    const setting = policy.settings.get(a.ruleKey as "latenessLadder")!;
    return {
      academy_id: academyId,
      pupil_id: a.pupilId,
      trigger_key: a.triggerKey,
      source: a.source,
      kind: a.kind,
      action: a.action,
      assignee: a.assignee,
      // Unexplained-absence steps are due on the day they fall; ladder steps within the academy's days.
      due_on: a.source === "MISSING_EDUCATION" ? a.raisedOn : addDays(a.raisedOn, dueDays),
      reason: a.reason,
      rule: { key: a.ruleKey, ...setting.source },
      evidence: a.evidence,
      notify: a.source === "MISSING_EDUCATION" && a.kind === "REFERRAL" ? a.raisedOn : null,
    };
  });
  return prisma.$transaction(async (tx) => {
    const inserted = await tx.$queryRawUnsafe<{ id: string; pupil_id: string; kind: string; trigger_key: string; action: string; due_on: Date }[]>(
      `INSERT INTO case_action (academy_id, pupil_id, trigger_key, source, kind, action, assignee, due_on, reason, rule, evidence)
       SELECT academy_id, pupil_id, trigger_key, source::case_action_source, kind::case_action_kind, action, assignee, due_on, reason, rule, evidence
       FROM jsonb_to_recordset($1::jsonb) AS x(academy_id uuid, pupil_id uuid, trigger_key text, source text, kind text, action text,
            assignee text, due_on date, reason text, rule jsonb, evidence jsonb)
       ON CONFLICT (pupil_id, trigger_key) DO NOTHING
       RETURNING id, pupil_id, kind::text, trigger_key, action, due_on`,
      JSON.stringify(rows),
    );
    // Unexplained absence the local authority must be told of: queued in the roll-change outbox.
    let queued = 0;
    const notify = rows.filter((r) => r.notify && inserted.some((i) => i.pupil_id === r.pupil_id && i.trigger_key === r.trigger_key));
    if (notify.length > 0) {
      await tx.$executeRawUnsafe(
        `INSERT INTO local_authority_notification (local_authority_id, academy_id, pupil_id, kind, due_by)
         SELECT a.local_authority_id, a.id, x.pupil_id, 'UNEXPLAINED_ABSENCE', x.due_by
         FROM jsonb_to_recordset($1::jsonb) AS x(pupil_id uuid, due_by date) JOIN academy a ON a.id = $2::uuid`,
        JSON.stringify(notify.map((n) => ({ pupil_id: n.pupil_id, due_by: n.notify }))),
        academyId,
      );
      queued += await enqueueEvent(tx, academyId, "notification.due", notify.map((n) => ({ pupilId: n.pupil_id, kind: "UNEXPLAINED_ABSENCE", dueBy: n.notify })));
    }
    queued += await enqueueEvent(
      tx,
      academyId,
      "case_action.created",
      inserted.map((i) => ({ caseActionId: i.id, pupilId: i.pupil_id, kind: i.kind, action: i.action, dueOn: isoDateOf(i.due_on), triggerKey: i.trigger_key })),
    );
    return { created: inserted.map((i) => i.id), existing: rows.length - inserted.length, queued };
  });
}

/** Each pupil's marked days over the look-back, for pupils whose latest marked day was unexplained. */
async function unexplainedDays(prisma: PrismaClient, academyId: string, pupilIds: readonly string[], asOf: IsoDate): Promise<Map<string, DayMarks[]>> {
  const rows = await prisma.$queryRawUnsafe<{ pupil_id: string; date: Date; codes: string[] }[]>(
    `WITH latest AS (
       SELECT DISTINCT ON (pupil_id) pupil_id, date FROM current_mark
       WHERE academy_id = $1::uuid AND pupil_id IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid) AND date <= $3::date AND date > $3::date - $4::int
       ORDER BY pupil_id, date DESC)
     SELECT m.pupil_id, m.date, array_agg(m.code ORDER BY m.session) AS codes
     FROM current_mark m JOIN latest l ON l.pupil_id = m.pupil_id
     WHERE m.academy_id = $1::uuid AND m.date <= $3::date AND m.date > $3::date - $4::int
       AND EXISTS (SELECT 1 FROM current_mark x WHERE x.pupil_id = l.pupil_id AND x.date = l.date AND x.code IN (SELECT jsonb_array_elements_text($5::jsonb)))
     GROUP BY m.pupil_id, m.date`,
    academyId,
    JSON.stringify(pupilIds),
    asOf,
    RUN_LOOKBACK_DAYS,
    JSON.stringify(UNEXPLAINED_CODES),
  );
  const out = new Map<string, DayMarks[]>();
  for (const r of rows) out.set(r.pupil_id, [...(out.get(r.pupil_id) ?? []), { date: isoDateOf(r.date), codes: r.codes }]);
  return out;
}

/** The amendment an open action is checked against. */
export interface Amendment {
  academyId: string;
  pupilId: string;
  /** The version amended, and the new one. */
  previousMarkId: string;
  markId: string;
  date: IsoDate;
  session: "AM" | "PM";
  from: string;
  to: string;
  reason: string;
  /** The member of staff who amended it (null for an API client). */
  byUserId: string | null;
}

/**
 * Cases follow the marks (issue 14, item 5): each open action of the pupil
 * whose evidence includes the amended session is evaluated again on the date
 * it was raised for, with the register as it now stands; one whose trigger key
 * is no longer due is closed as WITHDRAWN with the amendment as its reason
 * (kept, never deleted) and a case_action.withdrawn event is queued. Returns
 * the ids withdrawn and the deliveries queued.
 */
export async function followAmendment(deps: Deps, amendment: Amendment): Promise<{ withdrawn: string[]; queued: number }> {
  const { prisma } = deps;
  const open = await prisma.caseAction.findMany({
    where: { academyId: amendment.academyId, pupilId: amendment.pupilId, status: "OPEN" },
    select: { id: true, source: true, triggerKey: true, dueOn: true, evidence: true },
    orderBy: { createdAt: "asc" },
  });
  const session = { markId: amendment.previousMarkId, date: amendment.date, session: amendment.session };
  const cited = open
    .map((a) => ({ ...a, dueOn: isoDateOf(a.dueOn) }))
    .filter((a) => actionCitesSession(a, session));
  if (cited.length === 0) return { withdrawn: [], queued: 0 };
  // One evaluation per date the cited actions were raised for.
  const stillDue = new Map<IsoDate, Set<string>>();
  for (const on of new Set(cited.map((a) => reevaluationDate(a)))) {
    const found = await dueEscalations(deps, amendment.academyId, [amendment.pupilId], on);
    stillDue.set(on, new Set((found?.due ?? []).map((d) => d.triggerKey)));
  }
  const lapsed = cited.filter((a) => !stillDue.get(reevaluationDate(a))!.has(a.triggerKey));
  if (lapsed.length === 0) return { withdrawn: [], queued: 0 };
  const reason = withdrawalReason({ ...session, from: amendment.from, to: amendment.to, reason: amendment.reason });
  const withdrawn: string[] = [];
  for (const a of lapsed) {
    // Only while still open: an action closed meanwhile keeps its own outcome.
    const { count } = await prisma.caseAction.updateMany({
      where: { id: a.id, status: "OPEN" },
      data: { status: "WITHDRAWN", statusReason: reason, statusAt: new Date(), statusById: amendment.byUserId },
    });
    if (count === 1) withdrawn.push(a.id);
  }
  const queued = await enqueueEvent(
    prisma,
    amendment.academyId,
    "case_action.withdrawn",
    lapsed.filter((a) => withdrawn.includes(a.id)).map((a) => ({
      caseActionId: a.id, pupilId: amendment.pupilId, triggerKey: a.triggerKey, status: "WITHDRAWN", reason,
      markId: amendment.markId, amendedMarkId: amendment.previousMarkId,
    })),
  );
  return { withdrawn, queued };
}
