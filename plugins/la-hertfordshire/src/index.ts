// Hertfordshire County Council: penalty notices as Stanborough School's policy
// of November 2025 restates them (seed 002, "National Framework for Penalty
// Notices"; its Annex B is the Hertfordshire Code of Conduct).
import { definePolicyPlugin } from "@attendance/core";

const PASSAGE = '"a Penalty Notice for £160, reduced to £80 if paid within 21 days (for the first offence). A second Penalty Notice issued within a three-year period will result in a fine of £160"';

export default definePolicyPlugin({
  name: "la-hertfordshire",
  layer: "localAuthority",
  document: "Hertfordshire Code of Conduct, as restated in seed 002 (November 2025)",
  settings: {
    "penaltyNotice.thresholdSessions": {
      value: 10,
      passage: '"10 sessions … of unauthorised absence within a rolling 10 school week period … any type of unauthorised absence (G, O and/or U …)"',
    },
    "penaltyNotice.windowSchoolWeeks": { value: 10, passage: '"within a rolling 10 school week period"' },
    "penaltyNotice.firstAmountWithin21Days": { value: 80, passage: PASSAGE },
    "penaltyNotice.firstAmountWithin28Days": { value: 160, passage: PASSAGE },
    "penaltyNotice.secondAmount": { value: 160, passage: PASSAGE },
  },
});
