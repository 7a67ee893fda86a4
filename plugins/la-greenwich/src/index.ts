// Royal Borough of Greenwich: the Greenwich Attendance Advisory Service code of
// conduct for penalty notices, as restated in Woolwich Polytechnic's policy
// (seed 000, "Penalty Notices for Non-Attendance and other Legal Measures").
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "la-greenwich",
  layer: "localAuthority",
  document: "Greenwich Attendance Advisory Service code of conduct, as restated in seed 000 (September 2024)",
  settings: {
    "penaltyNotice.thresholdSessions": { value: 10, passage: '"1. 10 sessions of unauthorised absence or lateness in any 10-week period"' },
    "penaltyNotice.windowSchoolWeeks": { value: 10, passage: '"…in any 10-week period"' },
    "penaltyNotice.countsLateness": { value: true, passage: '"10 sessions of unauthorised absence or lateness"' },
    "penaltyNotice.firstAmountWithin21Days": { value: 80, passage: '"£160, reduced to £80 if paid within 21 days (for the first offence)."' },
    "penaltyNotice.firstAmountWithin28Days": { value: 160, passage: '"£160, reduced to £80 if paid within 21 days (for the first offence)."' },
    "penaltyNotice.secondAmount": { value: 160, passage: '"A second Penalty Notice issued within a three year period will result in a fine of £160 per parent, per child."' },
  },
  hooks: {
    // The code's second trigger: any unauthorised session on a published exam date.
    penaltyNoticeTriggers(policy, facts) {
      const exams = new Set(policy.get("calendar.publicExamDates") ?? []);
      const missed = facts.unauthorised.filter((s) => exams.has(s.date));
      if (missed.length === 0) return [];
      return [{
        verdict: "AGAINST",
        rule: "penaltyNotice.publicExam",
        reason: `${missed.length} session${missed.length === 1 ? "" : "s"} of unauthorised absence on published exam dates (${[...new Set(missed.map((s) => s.date))].join(", ")}).`,
        passage: '"2. 1 or more sessions of unauthorised absence during a public exam, formal assessment of testing where dates are published in advance."',
      }];
    },
  },
});
