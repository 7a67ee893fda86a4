// England's national rules, as a policy plugin, in force from 19 August 2024.
// Law and guidance are kept apart, each value saying what it rests on:
// - REGULATION (enforced): The School Attendance (Pupil Registration)
//   (England) Regulations 2024 (SI 2024/208) and the Education (Penalty
//   Notices) (England) Regulations 2007 as amended by the Education (Penalty
//   Notices) (England) (Amendment) Regulations 2024 (SI 2024/210). The penalty
//   amounts are statutory: they win over a local authority's older code of
//   conduct from that date.
// - GUIDANCE (advisory): "Working together to improve school attendance"
//   (DfE, August 2024), statutory guidance that schools, trusts and local
//   authorities must have regard to, including the national framework for
//   penalty notices. Its values are defaults a local authority's code restates
//   (Greenwich counts lateness too); its limits on what a school publishes
//   (registers open at most 30 minutes, the same every session) are guidance
//   rules: the school's published value applies and a departure is reported as
//   a compliance finding, never silently changed.
// Where a paragraph number could not be checked against the published text,
// the citation names the chapter or part instead of guessing a number.
import {
  BASE_LEAVE_FORM,
  definePolicyPlugin,
  GUIDANCE_MAX_MINUTES_OPEN,
  clockOf,
  minutesOf,
  minutesOpen,
  percent,
  REGULATIONS_2024_IN_FORCE,
  type GuidanceDeparture,
  type GuidanceRule,
  type HookDecision,
  type ResolvedSetting,
  type SessionTimes,
  type SettingKey,
} from "@attendance/core";

const REGULATIONS = "The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208)";
const GUIDANCE = "Working together to improve school attendance (DfE, August 2024)";
const FRAMEWORK = `${GUIDANCE}, national framework for penalty notices`;
const AMOUNTS =
  "The Education (Penalty Notices) (England) Regulations 2007, reg. 4, as amended by the Education (Penalty Notices) (England) (Amendment) Regulations 2024 (SI 2024/210), reg. 4";
const LEAVE = `${REGULATIONS}, reg. 11: leave of absence may be granted only in the circumstances it lists (in term time, exceptional circumstances)`;
/** The guidance on how long a register stays open (code L, "late arrival before the register has closed"). */
const REGISTER_OPEN = `${GUIDANCE}, recording attendance, code L (late arrival before the register has closed): the school's policy sets how long the register is open, the same for every session and no longer than 30 minutes`;
const LATE_DEFINED = `${REGULATIONS}, reg. 10(2), table 1: L is arrival before "the taking of the register has ended", U after; the time is the school's`;

/**
 * The guidance's summary table of responsibilities (restated verbatim in seeds
 * 000 and 002): what schools are expected to do for persistently and severely
 * absent pupils (seed 001 quotes the 2022 table, which said "parenting contracts"
 * where the 2024 one says "attendance contracts"). Statutory guidance, not law: schools must have regard to it,
 * and a local authority's code, a trust's or an academy's own ladder replaces
 * this one wholesale.
 */
const SUMMARY_TABLE = `${GUIDANCE}, summary table of responsibilities for school attendance`;

/**
 * The national floor of the absence ladder: support first, then formal steps
 * (guidance, not law). Thresholds are the guidance's definitions: persistent
 * absence is missing 10% or more of possible sessions (attendance at or below
 * 90%), severe absence 50% or more (at or below 50%). "At risk of persistent
 * absence" has no number in the guidance, so no step is invented for it.
 */
const ABSENCE_FLOOR = [
  {
    below: 0.9,
    inclusive: true,
    actions: [
      "Attendance meeting with the pupil and parents to understand the barriers to attendance and agree additional support to remove them, with partners where necessary (support first)",
      "Review whether the support is engaged with and working; where it is not, hold a more formal conversation with parents, clear about the potential need for legal intervention, and work with the local authority on formal support options",
    ],
  },
  {
    below: 0.5,
    inclusive: true,
    actions: [
      "Referral to the local authority to agree a joint approach for this severely absent pupil, a group all services should make their top priority for support",
      "Where support is not working, being engaged with or appropriate: formal support with the local authority (an attendance contract or an education supervision order), legal intervention as a last resort",
    ],
  },
];

const SESSIONS = [
  ["registerTimes.AM", "morning"],
  ["registerTimes.PM", "afternoon"],
] as const;

function times(settings: ReadonlyMap<SettingKey, ResolvedSetting>, key: SettingKey): SessionTimes | undefined {
  return settings.get(key)?.value as SessionTimes | undefined;
}

/** A register open longer than guidance expects: reported, and the academy's time applies (reg. 10 leaves it to the school). */
const openAtMost30Minutes: GuidanceRule = {
  rule: "registerTimes.openAtMost30Minutes",
  source: REGISTER_OPEN,
  check: (settings) =>
    SESSIONS.flatMap(([key, session]): GuidanceDeparture[] => {
      const t = times(settings, key);
      if (t === undefined || minutesOpen(t) <= GUIDANCE_MAX_MINUTES_OPEN) return [];
      const by = clockOf(minutesOf(t.starts) + GUIDANCE_MAX_MINUTES_OPEN);
      return [{
        key,
        guidanceValue: { maxMinutesOpen: GUIDANCE_MAX_MINUTES_OPEN, closesBy: by },
        academyValue: { starts: t.starts, closes: t.closes, minutesOpen: minutesOpen(t) },
        message: `The ${session} register closes at ${t.closes}, ${minutesOpen(t)} minutes after it starts at ${t.starts}; guidance expects no longer than ${GUIDANCE_MAX_MINUTES_OPEN} minutes (by ${by}). The academy's published time applies (${LATE_DEFINED}).`,
      }];
    }),
};

/** Morning and afternoon registers open for different lengths of time. */
const sameEverySession: GuidanceRule = {
  rule: "registerTimes.sameEverySession",
  source: REGISTER_OPEN,
  check: (settings) => {
    const am = times(settings, "registerTimes.AM");
    const pm = times(settings, "registerTimes.PM");
    if (am === undefined || pm === undefined || minutesOpen(am) === minutesOpen(pm)) return [];
    return [{
      key: "registerTimes.PM",
      guidanceValue: { sameMinutesOpenEverySession: true },
      academyValue: { AM: minutesOpen(am), PM: minutesOpen(pm) },
      message: `The morning register is open ${minutesOpen(am)} minutes and the afternoon register ${minutesOpen(pm)}; guidance expects the same length every session. The academy's published times apply.`,
    }];
  },
};

/** A local value that differs from the national framework's (a local authority's older code, or an academy's own). */
function framework(key: SettingKey, expected: unknown, what: string): GuidanceRule {
  return {
    rule: key,
    source: FRAMEWORK,
    check: (settings) => {
      const s = settings.get(key);
      if (s === undefined || s.source.layer === "national" || JSON.stringify(s.value) === JSON.stringify(expected)) return [];
      return [{
        key,
        guidanceValue: expected,
        academyValue: s.value,
        message: `${what} is ${JSON.stringify(s.value)} (${s.source.plugin}); the national framework says ${JSON.stringify(expected)}. The value in force applies.`,
      }];
    },
  };
}

export default definePolicyPlugin({
  name: "national-england-2024",
  layer: "national",
  document: `${REGULATIONS}; the Education (Penalty Notices) (England) Regulations 2007 as amended (SI 2024/210); ${GUIDANCE}`,
  effectiveFrom: REGULATIONS_2024_IN_FORCE,
  settings: {
    "penaltyNotice.thresholdSessions": {
      value: 10,
      basis: "GUIDANCE",
      passage: `${FRAMEWORK}: a penalty notice must be considered at 10 sessions of unauthorised absence (G, N, O, U in any mix)…`,
    },
    "penaltyNotice.windowSchoolWeeks": { value: 10, basis: "GUIDANCE", passage: `${FRAMEWORK}: …within a rolling period of 10 school weeks, spanning terms and school years.` },
    "penaltyNotice.countsLateness": { value: true, basis: "GUIDANCE", passage: `${FRAMEWORK}: U (arrived after the register closed) is an unauthorised absence and counts.` },
    "penaltyNotice.firstAmountWithin21Days": { value: 80, basis: "REGULATION", passage: `${AMOUNTS}: a first notice is £80 if paid within 21 days.` },
    "penaltyNotice.firstAmountWithin28Days": { value: 160, basis: "REGULATION", passage: `${AMOUNTS}: £160 if paid within 28 days.` },
    "penaltyNotice.secondAmount": {
      value: 160,
      basis: "REGULATION",
      passage: `${AMOUNTS}: a second notice to the same parent for the same child within 3 years of the first is £160, with no reduced amount.`,
    },
    // The limit of two is stated by the national framework; we could not trace
    // it to a regulation, so it rests on guidance here (advisory, not statutory).
    "penaltyNotice.maxInThreeYears": {
      value: 2,
      basis: "GUIDANCE",
      passage: `${FRAMEWORK}: no more than two notices to the same parent for the same child within 3 years; after that the local authority uses another tool (usually prosecution).`,
    },
    // A floor, not a rule that wins: any later layer's absenceLadder replaces it
    // (later wins; it is not statutory), and provenance names this passage.
    absenceLadder: {
      value: ABSENCE_FLOOR,
      basis: "GUIDANCE",
      passage: `${SUMMARY_TABLE}, "Persistently absent pupils" (missing 10% or more): schools are expected to "put additional targeted support in place to remove any barriers", then "where there is a lack of engagement, hold more formal conversations with parents and be clear about the potential need for legal intervention"; "Severely absent pupils" (missing 50% or more): "agree a joint approach for all severely absent pupils with the local authority", with formal support options "including attendance contracts and education supervision orders". Statutory guidance, not law: the steps are what the guidance expects, and any local authority, trust or academy ladder replaces them.`,
    },
    "leave.form": { value: BASE_LEAVE_FORM, basis: "REGULATION", passage: `${LEAVE}; applications are made in writing, in advance (restated in seeds 000 and 002).` },
    "missingEducation.steps": {
      value: [
        { afterSchoolDays: 10, action: "Tell the local authority: 10 consecutive school days of unexplained absence", by: "Attendance officer" },
        {
          afterSchoolDays: 20,
          action: "Consider deletion from the roll on ground 9(1)(i) after joint reasonable enquiries with the local authority (children missing education)",
          by: "Designated safeguarding lead",
        },
      ],
      basis: "REGULATION",
      // The 10-day return is the regulations' duty to tell the local authority
      // of a pupil absent without explanation for 10 consecutive school days, as
      // Working together restates it; its regulation number is not checked here.
      passage: `${REGULATIONS}, returns to the local authority: 10 consecutive school days of unexplained absence; reg. 9(1)(i): deletion once continuously absent 20 school days after joint reasonable enquiries with the local authority.`,
    },
  },
  hooks: {
    preAssessLeave(policy, facts) {
      const decisions: HookDecision[] = [];
      if (facts.requestedOn >= facts.from) {
        decisions.push({
          verdict: "AGAINST",
          rule: "leave.inAdvance",
          reason: `Requested on ${facts.requestedOn}, not before the leave starts on ${facts.from}: leave cannot be authorised retrospectively.`,
          passage: `${LEAVE}; applications must be made in advance (seed 000; seed 003, 6.1 "retrospective authorisation … is not permitted").`,
        });
      }
      const below = policy.get("leave.unlikelyBelowAttendance");
      if (below !== undefined && facts.attendanceRate !== null) {
        const under = facts.attendanceRate < below;
        decisions.push({
          verdict: under ? "AGAINST" : "NOTE",
          rule: "leave.attendance",
          reason: `Attendance this school year is ${percent(facts.attendanceRate)}%, ${under ? "below" : "not below"} the ${percent(below)}% below which leave is unlikely to be authorised.`,
          passage: policy.source("leave.unlikelyBelowAttendance")?.passage ?? "",
        });
      }
      if (facts.earlierRequestsThisYear > 0) {
        decisions.push({
          verdict: "NOTE",
          rule: "leave.pattern",
          reason: `${facts.earlierRequestsThisYear} earlier request${facts.earlierRequestsThisYear === 1 ? "" : "s"} for this pupil this school year: check for a pattern of term-time leave.`,
          passage: 'Seed 003, 6.2: "It is acceptable for the Principal to take a student\'s record of attendance into account when making absence-related decisions."',
        });
      }
      return decisions;
    },
  },
  guidance: [
    openAtMost30Minutes,
    sameEverySession,
    framework("penaltyNotice.thresholdSessions", 10, "The penalty notice threshold (sessions)"),
    framework("penaltyNotice.windowSchoolWeeks", 10, "The penalty notice window (school weeks)"),
  ],
  // Only the law wins over later layers; guidance values are defaults.
  statutory: ["penaltyNotice.firstAmountWithin21Days", "penaltyNotice.firstAmountWithin28Days", "penaltyNotice.secondAmount"],
});
