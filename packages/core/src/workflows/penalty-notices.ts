// Penalty notices under the national framework from 19 August 2024
// (DESIGN.md §8): a school must consider one when a pupil has 10 sessions of
// unauthorised absence (G, N, O, U, in any mix, not necessarily consecutive)
// within a rolling period of 10 school weeks; a school week is any week with at
// least one session, and the window spans terms, school years and schools. At
// most two notices to the same parent for the same child within three years:
// the third is not offered, and the local authority considers prosecution.
import type { IsoDate } from "../dates.ts";
import { addDays } from "../dates.ts";
import { rollingSchoolWeekWindow, type PupilCalendars } from "../calendar/school-weeks.ts";
import type { UnauthorisedSession } from "../policy/hooks.ts";

/** Codes of unauthorised absence counted (U only where the local authority counts lateness after the close). */
export function countedCodes(countsLateness: boolean): readonly string[] {
  return countsLateness ? ["G", "N", "O", "U"] : ["G", "N", "O"];
}

export interface ThresholdRule {
  thresholdSessions: number;
  windowSchoolWeeks: number;
  countsLateness: boolean;
}

export interface ThresholdResult {
  reached: boolean;
  /** The window that reached the threshold (or, if none did, the one with the most sessions). */
  window: { from: IsoDate; to: IsoDate; schoolWeeks: number; calendarWeeks: number } | null;
  /** The sessions in that window: the evidence. */
  sessions: UnauthorisedSession[];
  reason: string;
}

/**
 * Whether the pupil's unauthorised sessions up to `asOf` reach the threshold in
 * any rolling window of school weeks. Each window ends with the week of one of
 * the sessions (a window ending elsewhere holds no more sessions than one of
 * those). Pass the calendars of every school the pupil was on roll at.
 */
export function penaltyNoticeThreshold(
  calendars: PupilCalendars,
  sessions: readonly UnauthorisedSession[],
  rule: ThresholdRule,
  asOf: IsoDate,
): ThresholdResult {
  const codes = countedCodes(rule.countsLateness);
  const counted = sessions
    .filter((s) => codes.includes(s.code) && s.date <= asOf)
    .sort((a, b) => a.date.localeCompare(b.date) || a.session.localeCompare(b.session));
  let best: Omit<ThresholdResult, "reason"> = { reached: false, window: null, sessions: [] };
  for (const end of new Set(counted.map((s) => s.date))) {
    const w = rollingSchoolWeekWindow(calendars, end, rule.windowSchoolWeeks);
    // Up to the week's end, never after asOf.
    const to = w.to < asOf ? w.to : asOf;
    const inside = counted.filter((s) => w.from <= s.date && s.date <= to);
    if (inside.length > best.sessions.length || (inside.length >= rule.thresholdSessions && !best.reached)) {
      best = { reached: inside.length >= rule.thresholdSessions, window: { from: w.from, to, schoolWeeks: w.schoolWeeks.length, calendarWeeks: w.calendarWeeks }, sessions: inside };
    }
    if (best.reached) break;
  }
  const reason = best.window === null
    ? "No unauthorised sessions."
    : `${best.sessions.length} unauthorised session${best.sessions.length === 1 ? "" : "s"} (${codes.join(", ")}) in the ${best.window.schoolWeeks} school week${best.window.schoolWeeks === 1 ? "" : "s"} from ${best.window.from} to ${best.window.to}; the threshold is ${rule.thresholdSessions} in ${rule.windowSchoolWeeks}.`;
  return { ...best, reason };
}

export type NoticeStatus = "ISSUED" | "PAID" | "UNPAID" | "PROSECUTED" | "WITHDRAWN";

export interface EarlierNotice {
  issuedOn: IsoDate;
  status: NoticeStatus;
}

export interface NoticeAmounts {
  firstAmountWithin21Days: number;
  firstAmountWithin28Days: number;
  secondAmount: number;
  maxInThreeYears: number;
}

export interface NoticeOffer {
  offered: boolean;
  /** 1 for a first notice, 2 for a second. */
  nth: number;
  /** £ if paid within 21 days, and within 28 days (equal for a second notice). */
  amountWithin21Days: number | null;
  amountWithin28Days: number | null;
  reason: string;
}

/** The date three years before `date` (the notices counted towards the limit are issued after it). */
export function threeYearsBefore(date: IsoDate): IsoDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  // 29 February → 28 February three years earlier (never a leap day).
  return addDays(`${y - 3}-${String(m).padStart(2, "0")}-${String(m === 2 && d === 29 ? 28 : d).padStart(2, "0")}`, 0);
}

/**
 * Which notice, if any, may go to one parent for one child on `asOf`: unpaid
 * notices and those that led to prosecution count towards the limit;
 * withdrawn ones do not (DESIGN.md §8).
 */
export function nextNotice(earlier: readonly EarlierNotice[], amounts: NoticeAmounts, asOf: IsoDate): NoticeOffer {
  const since = threeYearsBefore(asOf);
  const counting = earlier.filter((n) => n.status !== "WITHDRAWN" && n.issuedOn > since && n.issuedOn <= asOf);
  const nth = counting.length + 1;
  if (counting.length >= amounts.maxInThreeYears) {
    return {
      offered: false, nth, amountWithin21Days: null, amountWithin28Days: null,
      reason: `${counting.length} notice${counting.length === 1 ? "" : "s"} to this parent for this child since ${since}: no further notice within three years; refer to the local authority to consider prosecution.`,
    };
  }
  if (nth === 1) {
    return {
      offered: true, nth, amountWithin21Days: amounts.firstAmountWithin21Days, amountWithin28Days: amounts.firstAmountWithin28Days,
      reason: `A first notice: £${amounts.firstAmountWithin21Days} if paid within 21 days, £${amounts.firstAmountWithin28Days} within 28 days.`,
    };
  }
  return {
    offered: true, nth, amountWithin21Days: amounts.secondAmount, amountWithin28Days: amounts.secondAmount,
    reason: `A second notice within three years of the first: £${amounts.secondAmount} flat.`,
  };
}

// ─── Evidence is used once ────────────────────────────────────────────────────
//
// A penalty notice offers the parent the discharge of liability for the
// offence the absence constitutes (Education Act 1996, s.444A(1)): the
// sessions it cites are spent. A later notice to the same parent for the same
// child (£160 within three years: The Education (Penalty Notices) (England)
// (Amendment) Regulations 2024) must rest on sessions no earlier notice cited,
// unless that notice was withdrawn (it then discharges nothing). Notices to
// the other parent do not spend them: the national framework provides a
// notice per parent, per child.

/** A notice already recorded for one parent and child, with the sessions it cites. */
export interface CitingNotice {
  id: string;
  issuedOn: IsoDate;
  status: NoticeStatus;
  sessions: readonly Pick<UnauthorisedSession, "date" | "session">[];
}

/** A session of unauthorised absence already cited by a notice that stands. */
export interface UsedSession extends UnauthorisedSession {
  noticeId: string;
  noticeIssuedOn: IsoDate;
  noticeStatus: NoticeStatus;
  reason: string;
}

/** The sessions no standing (not withdrawn) notice cites, and those one does, with which and why. */
export function partitionUsedSessions(
  sessions: readonly UnauthorisedSession[],
  notices: readonly CitingNotice[],
): { fresh: UnauthorisedSession[]; used: UsedSession[] } {
  const citedBy = new Map<string, CitingNotice>();
  for (const n of [...notices].filter((n) => n.status !== "WITHDRAWN").sort((a, b) => a.issuedOn.localeCompare(b.issuedOn))) {
    for (const s of n.sessions) if (!citedBy.has(`${s.date}/${s.session}`)) citedBy.set(`${s.date}/${s.session}`, n);
  }
  const fresh: UnauthorisedSession[] = [];
  const used: UsedSession[] = [];
  for (const s of sessions) {
    const n = citedBy.get(`${s.date}/${s.session}`);
    if (!n) {
      fresh.push(s);
      continue;
    }
    used.push({
      ...s, noticeId: n.id, noticeIssuedOn: n.issuedOn, noticeStatus: n.status,
      reason: `Cited by the penalty notice issued on ${n.issuedOn} (${n.status.toLowerCase()}) to this parent for this child: a session supports one notice only (Education Act 1996, s.444A).`,
    });
  }
  return { fresh, used };
}

/**
 * The offer to one parent once their spent sessions are set aside: withheld
 * when the sessions left (`fresh`) neither reach the threshold nor meet a local
 * authority trigger, with the spent sessions named.
 */
export function offerOnFreshEvidence(offer: NoticeOffer, fresh: ThresholdResult, freshTriggers: number, used: readonly UsedSession[]): NoticeOffer {
  if (!offer.offered || used.length === 0 || fresh.reached || freshTriggers > 0) return offer;
  const notices = [...new Set(used.map((u) => u.noticeIssuedOn))].sort();
  return {
    offered: false, nth: offer.nth, amountWithin21Days: null, amountWithin28Days: null,
    reason: `${used.length} of the unauthorised sessions ${used.length === 1 ? "is" : "are"} already cited by the notice${notices.length === 1 ? "" : "s"} issued on ${notices.join(", ")} to this parent, and a session supports one notice only (Education Act 1996, s.444A). Without them: ${fresh.reason}`,
  };
}
