// Stanborough School: Attendance Policy, November 2025 (seed 002).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-stanborough",
  layer: "academy",
  source: "Stanborough School, Attendance Policy (November 2025), seed 002, Punctuality",
  settings: {
    registerTimes: {
      // "Registration starts: 8.35am" … "Registration closes: 9.00am".
      AM: { starts: "08:35", lateAfter: "08:35", closes: "09:00" },
    },
  },
});
