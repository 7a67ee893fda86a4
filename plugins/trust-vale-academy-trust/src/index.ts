// Vale Academy Trust: the trust-wide parts of its attendance policy template
// (September 2023), as adopted by St James CE Primary School (seed 001).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "trust-vale-academy-trust",
  layer: "trust",
  document: "Vale Academy Trust attendance policy template (September 2023), seed 001",
  settings: {
    attendanceTarget: {
      value: 0.96,
      passage: '§1: "A key target for the Trust is to achieve attendance rates of 96% or higher in all our schools by 2025."',
    },
  },
});
