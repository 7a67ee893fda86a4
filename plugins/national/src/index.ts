// England's national rules, as a policy plugin: "Working together to improve
// school attendance" and the School Attendance (Pupil Registration) (England)
// Regulations 2024, in force from 19 August 2024 (DESIGN.md §8). The penalty
// notice amounts and the three-year limit are statutory: they win over a local
// authority's older code of conduct from that date. The threshold and window
// are the national default, which a local authority's code restates or adds
// triggers to (Greenwich counts lateness too), so they are not statutory here.
import { capRegisterTimes, definePolicyPlugin, REGULATIONS_2024_IN_FORCE, type SessionTimes } from "@attendance/core";

const THIRTY_MINUTES =
  "School Attendance (Pupil Registration) (England) Regulations 2024: the register may stay open for at most 30 minutes after the session starts (DESIGN.md §8)";

const FRAMEWORK = "National framework for penalty notices (DESIGN.md §8)";

export default definePolicyPlugin({
  name: "national-england-2024",
  layer: "national",
  document: "Working together to improve school attendance (2024) and the School Attendance (Pupil Registration) (England) Regulations 2024",
  effectiveFrom: REGULATIONS_2024_IN_FORCE,
  settings: {
    "penaltyNotice.thresholdSessions": {
      value: 10,
      passage: `${FRAMEWORK}: a penalty notice must be considered at 10 sessions of unauthorised absence (G, N, O, U in any mix)…`,
    },
    "penaltyNotice.windowSchoolWeeks": { value: 10, passage: `${FRAMEWORK}: …within a rolling period of 10 school weeks, spanning terms and school years.` },
    "penaltyNotice.countsLateness": { value: true, passage: `${FRAMEWORK}: U (arrived after the register closed) is an unauthorised absence and counts.` },
    "penaltyNotice.firstAmountWithin21Days": { value: 80, passage: `${FRAMEWORK}: first notice £80 if paid within 21 days.` },
    "penaltyNotice.firstAmountWithin28Days": { value: 160, passage: `${FRAMEWORK}: £160 if paid within 28 days.` },
    "penaltyNotice.secondAmount": { value: 160, passage: `${FRAMEWORK}: a second notice to the same parent for the same child within 3 years: £160 flat.` },
    "penaltyNotice.maxInThreeYears": { value: 2, passage: `${FRAMEWORK}: no third notice within 3 years of the first; the local authority uses another tool.` },
  },
  constraints: [
    { key: "registerTimes.AM", passage: THIRTY_MINUTES, apply: (times) => capRegisterTimes(times as SessionTimes) },
    { key: "registerTimes.PM", passage: THIRTY_MINUTES, apply: (times) => capRegisterTimes(times as SessionTimes) },
  ],
  statutory: [
    "penaltyNotice.firstAmountWithin21Days",
    "penaltyNotice.firstAmountWithin28Days",
    "penaltyNotice.secondAmount",
    "penaltyNotice.maxInThreeYears",
  ],
});
