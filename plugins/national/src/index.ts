// England's national rules, as a policy plugin: "Working together to improve
// school attendance" and the School Attendance (Pupil Registration) (England)
// Regulations 2024, in force from 19 August 2024 (DESIGN.md §8). The penalty
// notice amounts and the three-year limit are statutory: they win over a local
// authority's older code of conduct from that date. The threshold and window
// are the national default, which a local authority's code restates or adds
// triggers to (Greenwich counts lateness too), so they are not statutory here.
import { BASE_LEAVE_FORM, capRegisterTimes, definePolicyPlugin, percent, REGULATIONS_2024_IN_FORCE, type HookDecision, type SessionTimes } from "@attendance/core";

const THIRTY_MINUTES =
  "School Attendance (Pupil Registration) (England) Regulations 2024: the register may stay open for at most 30 minutes after the session starts (DESIGN.md §8)";

const FRAMEWORK = "National framework for penalty notices (DESIGN.md §8)";
const LEAVE = "School Attendance (Pupil Registration) (England) Regulations 2024: headteachers may not grant leave of absence in term time unless there are exceptional circumstances";
const RETURNS = "Working together to improve school attendance (2024): returns to the local authority (DESIGN.md §8)";


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
    "leave.form": { value: BASE_LEAVE_FORM, passage: `${LEAVE}; applications are made in writing, in advance (restated in seeds 000 and 002).` },
    "missingEducation.steps": {
      value: [
        { afterSchoolDays: 10, action: "Tell the local authority: 10 consecutive school days of unexplained absence", by: "Attendance officer" },
        {
          afterSchoolDays: 20,
          action: "Consider deletion from the roll on ground 9(1)(i) after joint reasonable enquiries with the local authority (children missing education)",
          by: "Designated safeguarding lead",
        },
      ],
      passage: `${RETURNS}: "10 consecutive school days of unexplained absence"; Regulations 2024, reg. 9(1)(i): continuously absent 20 school days after joint reasonable enquiries.`,
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
