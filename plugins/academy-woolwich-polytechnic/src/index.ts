// Woolwich Polytechnic School for Boys: School Attendance Policy, reviewed
// September 2024 (seed 000).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-woolwich-polytechnic",
  layer: "academy",
  source: "Woolwich Polytechnic School for Boys, School Attendance Policy (September 2024), seed 000",
  settings: {
    registerTimes: {
      // "Students should arrive on site by 8.35am … in time for registration at 8.40am."
      // The policy gives no closing time: the national maximum of 30 minutes applies.
      AM: { starts: "08:40", lateAfter: "08:40", closes: "09:10" },
    },
  },
});
