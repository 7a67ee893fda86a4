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
    "lateness.consequences": {
      value: [
        { when: "LATE", action: "Late slip for a lunchtime detention (if late without an adequate reason)" },
        { when: "AFTER_CLOSE", action: "Late slip for a lunchtime detention and a one-hour detention" },
      ],
      passage: "How we manage lateness: \"All students who arrive after 8.35am will be given a late slip for lunchtime detention if they are late without an adequate reason, if they arrive after 9.00am they will also receive a one-hour detention.\"",
    },
  },
});
