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
      passage: "§8 Lateness: \"Our school day starts at 8.45 a.m.\" … \"a late mark (L) if they are not in by [9.00 a.m.]\" … \"At 9.30 a.m. the registers will be closed … (U)\". The published times apply: open 45 minutes, longer than the 30 minutes guidance expects, which is reported as a compliance finding, not changed.",
    },
    "leave.unlikelyBelowAttendance": {
      value: 0.96,
      passage: "§9 Exceptional Leave: \"Exceptional leave is most unlikely to be authorised when a pupil's attendance is less than 96%.\"",
    },
    "missingEducation.steps": {
      value: [
        { afterSchoolDays: 1, action: "Telephone or text the parents if we have not heard from them", by: "School office" },
        { afterSchoolDays: 3, action: "Home visit if we have not heard from the parents", by: "Headteacher or designated safeguarding lead" },
        { afterSchoolDays: 10, action: "Tell the local authority: 10 consecutive school days of unexplained absence", by: "Headteacher" },
        { afterSchoolDays: 20, action: "Consider deletion from the roll on ground 9(1)(i) with the local authority", by: "Headteacher" },
      ],
      passage: '"If your child is absent we will: Telephone or text you on the first day of absence if we have not heard from you; Visit you at home if we have not heard from you by day 3 of absence" (days 10 and 20: the School Attendance (Pupil Registration) (England) Regulations 2024: the return to the local authority at 10 consecutive school days of unexplained absence, and deletion on ground reg. 9(1)(i) at 20)',
    },
    contacts: {
      value: [{ role: "School office: absence reporting on the first day" }],
      passage: '"Contact us as soon as possible on the first day of absence with the reason for the non-attendance, by telephone or by email" (the number and address are the academy\'s own settings)',
    },
  },
});
