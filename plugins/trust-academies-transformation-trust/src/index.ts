// Academies Transformation Trust: the trust's attendance policy of September
// 2021 (seed 003), which its academies adopt.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "trust-academies-transformation-trust",
  layer: "trust",
  document: "Academies Transformation Trust, Attendance Policy (September 2021), seed 003",
  settings: {
    "rewards.groupOnly": { value: false, passage: '12.1: "Attendance prize draws each half term." "An Attendance Medal\'s Chart so students can see which medal they are achieving."' },
    "rewards.individualExpectation": {
      value: 0.98,
      passage: '11.2: "Students who achieve their targets, or meet the academy expectations of 98%, will be rewarded each half term."',
    },
  },
});
