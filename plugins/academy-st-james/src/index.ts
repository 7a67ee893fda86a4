// St James CE Primary School (Vale Academy Trust): Attendance Policy, based on
// the VAT template of September 2023 (seed 001).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-st-james",
  layer: "academy",
  document: "St James CE Primary School, Attendance Policy (September 2023), seed 001",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:45", lateAfter: "09:00", closes: "09:30" },
      passage: "§8 Lateness: \"Our school day starts at 8.45 a.m.\" … \"a late mark (L) if they are not in by [9.00 a.m.]\" … \"At 9.30 a.m. the registers will be closed … (U)\". (45 minutes: the policy predates the 30-minute national maximum of August 2024.)",
    },
    "leave.unlikelyBelowAttendance": {
      value: 0.96,
      passage: "§9 Exceptional Leave: \"Exceptional leave is most unlikely to be authorised when a pupil's attendance is less than 96%.\"",
    },
  },
});
