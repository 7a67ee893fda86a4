// One pupil's register entries over the demo half term: mostly present, with
// absence in runs (illness lasts days, not sessions), lateness, approved
// activities and the odd not-possible session, as a real register looks.
import type { Random } from "./random.ts";

export type Profile = "typical" | "persistentAbsentee" | "severeAbsentee";

export interface PupilTraits {
  profile: Profile;
  /** Chance of arriving late on a day they attend. */
  lateRate: number;
  /** Dual registered: at the other school on Wednesdays and Thursdays (code D). */
  dualRegistered: boolean;
  /** Caught by the travel disruption day (code Y2). */
  travelDisrupted: boolean;
  /** On a trip with their form on this date (code V), if any. */
  tripDay: string | undefined;
  /** Attends LA-arranged provision on Mondays (code K). */
  alternativeProvision: boolean;
  /** Plays in a fixture on Friday afternoons (code P). */
  sportsTeam: boolean;
  /** On work experience (code W) for the school week of this date, if any. */
  workExperienceWeek: string | undefined;
  secondary: boolean;
}

/** An academy's morning lateness window, in minutes after registration starts. */
export interface LatenessWindow {
  /** Arriving after this is late (L). */
  lateAfter: number;
  /** Arriving after this is after the register closed (U). */
  closes: number;
}

export interface SessionEntry {
  session: "AM" | "PM";
  code: string;
  minutesLate?: number;
}

/** Share of pupils with the persistent-absentee profile (see traitsFor). */
export const PERSISTENT_SHARE = 0.1;

/** Chance that an absence starts on a given day, by profile: about 3%, 15% and 60% of sessions. */
const ABSENCE_START: Record<Profile, number> = { typical: 0.018, persistentAbsentee: 0.09, severeAbsentee: 0.45 };

interface Reason {
  code: string;
  weight: number;
  days: [number, number];
  halfDay?: boolean;
}

const TYPICAL_REASONS: readonly Reason[] = [
  { code: "I", weight: 62, days: [1, 3] },
  { code: "M", weight: 10, days: [1, 1], halfDay: true },
  { code: "O", weight: 5, days: [1, 1] },
  { code: "N", weight: 6, days: [1, 1] },
  { code: "G", weight: 3, days: [3, 5] },
  { code: "C", weight: 4, days: [1, 2] },
  { code: "R", weight: 3, days: [1, 1] },
  { code: "E", weight: 2, days: [1, 3] },
  { code: "T", weight: 1, days: [2, 4] },
  { code: "B", weight: 4, days: [1, 1], halfDay: true },
];

const ABSENTEE_REASONS: readonly Reason[] = [
  { code: "I", weight: 45, days: [1, 4] },
  { code: "O", weight: 20, days: [1, 3] },
  { code: "N", weight: 12, days: [1, 2] },
  { code: "G", weight: 10, days: [3, 5] },
  { code: "M", weight: 5, days: [1, 1], halfDay: true },
  { code: "E", weight: 5, days: [1, 3] },
  { code: "C", weight: 3, days: [1, 2] },
];

function pickReason(random: Random, reasons: readonly Reason[]): Reason {
  const total = reasons.reduce((sum, r) => sum + r.weight, 0);
  let roll = random.next() * total;
  for (const reason of reasons) {
    roll -= reason.weight;
    if (roll < 0) return reason;
  }
  return reasons[0]!;
}

/** ISO weekday of an ISO date: 1 Monday … 5 Friday. */
function weekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (weekday(date) - 1));
  return d.toISOString().slice(0, 10);
}

/** The pupil's AM and PM entries for each school day (in order), from `days`. */
export function pupilSessions(
  random: Random,
  traits: PupilTraits,
  days: readonly string[],
  travelDay: string,
  lateness: LatenessWindow,
): Map<string, SessionEntry[]> {
  const out = new Map<string, SessionEntry[]>();
  const reasons = traits.profile === "typical" ? TYPICAL_REASONS : ABSENTEE_REASONS;
  let run = 0;
  let runCode = "I";
  for (const day of days) {
    const dow = weekday(day);
    const both = (code: string): SessionEntry[] => [{ session: "AM", code }, { session: "PM", code }];
    let entries: SessionEntry[] | undefined;
    if (traits.dualRegistered && (dow === 3 || dow === 4)) {
      entries = both("D");
    } else if (traits.travelDisrupted && day === travelDay) {
      entries = both("Y2");
    } else if (traits.tripDay === day) {
      entries = both("V");
    } else if (traits.workExperienceWeek !== undefined && mondayOf(day) === mondayOf(traits.workExperienceWeek)) {
      entries = both("W");
    } else if (traits.alternativeProvision && dow === 1) {
      entries = both("K");
    } else if (run > 0) {
      run--;
      entries = both(runCode);
    } else if (random.chance(ABSENCE_START[traits.profile])) {
      const reason = pickReason(random, reasons);
      if (reason.halfDay) {
        entries = [{ session: "AM", code: reason.code }, { session: "PM", code: "\\" }];
      } else {
        runCode = reason.code;
        run = random.int(reason.days[0], reason.days[1]) - 1;
        entries = both(runCode);
      }
    }
    if (!entries) {
      entries = [attendingMorning(random, traits, lateness), { session: "PM", code: "\\" }];
      if (traits.sportsTeam && dow === 5) entries[1] = { session: "PM", code: "P" };
    }
    out.set(day, entries);
  }
  return out;
}

/**
 * Present, or late before (L) or after (U) the register closed, by the
 * academy's own times. Minutes late count from the start of registration, as
 * core's classifyArrival does.
 */
function attendingMorning(random: Random, traits: PupilTraits, lateness: LatenessWindow): SessionEntry {
  if (!random.chance(traits.lateRate)) return { session: "AM", code: "/" };
  if (random.chance(0.85)) return { session: "AM", code: "L", minutesLate: random.int(lateness.lateAfter + 1, lateness.closes) };
  return { session: "AM", code: "U", minutesLate: random.int(lateness.closes + 1, lateness.closes + 45) };
}

/**
 * A pupil's habits. `chosen` marks the one or two pupils per academy picked to
 * be severely absent (50% or more, DESIGN.md §8) and the one or two per
 * secondary dual registered with another school (code D). Persistent absence
 * (10% or more) has run at about 15–20% of pupils nationally since 2022: a
 * tenth of pupils have the absentee profile, and some typical pupils cross the
 * line with one long illness, for 11–15% an academy in Autumn 1.
 */
export function traitsFor(
  random: Random,
  secondary: boolean,
  yearGroup: number,
  chosen: { severe: boolean; dualRegistered: boolean } = { severe: false, dualRegistered: false },
): PupilTraits {
  const roll = random.next();
  const profile: Profile = chosen.severe ? "severeAbsentee" : roll < PERSISTENT_SHARE ? "persistentAbsentee" : "typical";
  const latecomer = random.chance(0.1);
  return {
    profile,
    lateRate: latecomer ? 0.15 + random.next() * 0.2 : random.next() * 0.04,
    dualRegistered: chosen.dualRegistered,
    travelDisrupted: random.chance(0.04),
    tripDay: undefined,
    alternativeProvision: secondary && yearGroup >= 9 && random.chance(0.01),
    sportsTeam: random.chance(0.05),
    workExperienceWeek: undefined,
    secondary,
  };
}
