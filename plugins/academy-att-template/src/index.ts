// The Academies Transformation Trust template academy: Attendance Policy,
// September 2021 (seed 003).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-att-template",
  layer: "academy",
  document: "Academies Transformation Trust, Attendance Policy (September 2021), seed 003",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:20", lateAfter: "08:20", closes: "08:40" },
      passage: "6.4: \"The first (morning) registration session starts at 8.20am … late mark if they are not in … by this time. The register closes at 8.40am.\"",
    },
    "registerTimes.PM": {
      value: { starts: "12:00", lateAfter: "12:00", closes: "13:05" },
      passage: "6.6: \"The second (afternoon) registration session starts at 12.00pm and closes at 1.05pm\". The published times apply: open 65 minutes, longer than the 30 minutes guidance expects, which is reported as a compliance finding, not changed.",
    },
    latenessLadder: {
      value: [{ lates: 5, per: "HALF_TERM", action: "Persistent lateness: attendance monitoring and contact with parents" }],
      passage: "4.5: \"Persistent lateness is defined as students who have five or more late marks recorded in a single half-term.\"",
    },
  },
});
