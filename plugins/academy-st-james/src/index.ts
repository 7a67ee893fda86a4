// St James CE Primary School (Vale Academy Trust): Attendance Policy, based on
// the VAT template of September 2023 (seed 001).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-st-james",
  layer: "academy",
  source: "St James CE Primary School, Attendance Policy (September 2023), seed 001, section 8 Lateness",
  settings: {
    registerTimes: {
      // "Our school day starts at 8.45 a.m." … "Registers are marked by 9.00 a.m. and
      // your child will receive a late mark (L) if they are not in by that time."
      // "At 9.30 a.m. the registers will be closed … (U)". (45 minutes: the policy
      // predates the 30-minute national maximum of August 2024.)
      AM: { starts: "08:45", lateAfter: "09:00", closes: "09:30" },
    },
  },
});
