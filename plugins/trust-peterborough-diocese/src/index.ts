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
    absenceLadder: {
      value: [
        {
          below: 0.96,
          actions: ["At the headteacher's discretion, a letter or app message to parents about the level of absence and its impact on learning"],
        },
        {
          below: 0.9,
          actions: ["Letter to parents about a high level of absence, asking for a meeting", "Attendance targets set at the meeting"],
        },
      ],
      passage: 'Appendix B1, "Attendance below 96%" and "Attendance below 90%" (then, if targets are not met: a formal meeting with the LA attendance officer and a 6-week parenting contract; then Formal Support, Appendix B2)',
    },
  },
  hooks: {
    preAssessLeave: (_policy, facts) =>
      facts.answers.purpose === "Family holiday"
        ? [{
            verdict: "AGAINST",
            rule: "leave.holiday",
            reason: "Leave is very unlikely to be granted for a family holiday.",
            passage: '"Process for requesting leave of absence": "it is very unlikely a leave of absence will be granted for the purposes of a family holiday"',
          }]
        : [],
  },
});
