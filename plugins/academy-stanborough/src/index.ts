// Stanborough School: Attendance Policy, November 2025 (seed 002).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-stanborough",
  layer: "academy",
  document: "Stanborough School, Attendance Policy (November 2025), seed 002",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:35", lateAfter: "08:35", closes: "09:00" },
      passage: "Punctuality: \"Registration starts: 8.35am\" … \"Registration closes: 9.00am\".",
    },
  },
});
