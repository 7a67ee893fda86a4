// Woolwich Polytechnic School for Boys: School Attendance Policy, reviewed
// September 2024 (seed 000).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-woolwich-polytechnic",
  layer: "academy",
  document: "Woolwich Polytechnic School for Boys, School Attendance Policy (September 2024), seed 000",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:40", lateAfter: "08:40", closes: "09:10" },
      passage: "\"Students should arrive on site by 8.35am … in time for registration at 8.40am.\" The policy publishes no closing time (only \"close of morning registration\"): 30 minutes, the longest Working together to improve school attendance (DfE, August 2024) expects, is used until the school publishes one.",
    },
    latenessLadder: {
      value: [
        { lates: 3, per: "WEEK", action: "1 hour detention" },
        { lates: 5, per: "HALF_TERM", action: "Tutor meeting" },
        { lates: 10, per: "HALF_TERM", action: "Head of year meeting" },
        { lates: 15, per: "HALF_TERM", action: "Attendance officer and head of year meeting" },
        { lates: 20, per: "HALF_TERM", action: "Referral to the Royal Borough of Greenwich Attendance Advisory Service" },
      ],
      passage: "Registration, \"Sanctions for lateness\": 3 per week → 1 hour detention; 5 in a half term → tutor meeting; 10 → HOY meeting; 15 → AAO and HOY meeting; 20+ → referral to RBG AAS.",
    },
  },
});
