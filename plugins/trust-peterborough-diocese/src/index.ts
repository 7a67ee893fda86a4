// Peterborough Diocese Education Trust: the trust attendance policy of
// February 2023 (seed 004), which each academy completes with its Appendix A.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "trust-peterborough-diocese",
  layer: "trust",
  document: "Peterborough Diocese Education Trust, Attendance Policy (February 2023), seed 004",
  settings: {
    "rewards.groupOnly": {
      value: true,
      passage: '§8: "rewarding improvements in attendance at year group or class-based level … the expectation is that there will not be individual rewards."',
    },
    "escalation.startsBelowAttendance": {
      value: 0.96,
      passage: '§6.3: "In the event of an individual pupil\'s absence falling below 96% (calculated cumulatively) the process set out in Appendix B1 will be followed"',
    },
  },
});
