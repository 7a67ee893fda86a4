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
      passage: "\"Students should arrive on site by 8.35am … in time for registration at 8.40am.\" No closing time is given: the national maximum of 30 minutes applies.",
    },
  },
});
