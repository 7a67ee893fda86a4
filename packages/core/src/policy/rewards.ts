// Reward rules: who may be rewarded for attendance over a period, and why.
// Pure: the academy's resolved settings and the attendance figures in, a
// decision with its reason out.

export interface RewardSettings {
  /** Group rewards only (seed 004 §8: "there will not be individual rewards"). */
  groupOnly: boolean | undefined;
  /** Individual pupils at or above this attendance are rewarded (seed 003 11.2: 98%). */
  individualExpectation: number | undefined;
}

export interface RewardDecision {
  eligible: boolean;
  reason: string;
}

const pct = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

/** Whether an individual pupil with this attendance rate is rewarded for the period. */
export function individualReward(settings: RewardSettings, attendanceRate: number | null): RewardDecision {
  if (settings.groupOnly) return { eligible: false, reason: "The policy gives rewards to groups only, not to individual pupils." };
  if (settings.individualExpectation === undefined) return { eligible: false, reason: "The policy sets no individual reward." };
  if (attendanceRate === null) return { eligible: false, reason: "No possible sessions in the period." };
  return attendanceRate >= settings.individualExpectation
    ? { eligible: true, reason: `Attendance ${pct(attendanceRate)} meets the expectation of ${pct(settings.individualExpectation)}.` }
    : { eligible: false, reason: `Attendance ${pct(attendanceRate)} is below the expectation of ${pct(settings.individualExpectation)}.` };
}

/** The groups with the best attendance (ties share a place), for group rewards. */
export function bestGroups<T extends { attendanceRate: number | null }>(groups: readonly T[], places = 1): T[] {
  const rated = groups.filter((g) => g.attendanceRate !== null).sort((a, b) => b.attendanceRate! - a.attendanceRate!);
  const cutoff = rated[Math.min(places, rated.length) - 1]?.attendanceRate;
  return cutoff == null ? [] : rated.filter((g) => g.attendanceRate! >= cutoff);
}
