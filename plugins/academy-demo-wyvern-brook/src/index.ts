// Wyvern Brook Academy (URN 940101): an invented sibling of Woolwich Polytechnic School for Boys in the demo,
// with an invented attendance policy. Each value overrides a layer below it (or
// sets what no layer sets) and cites the national rule that leaves it to the
// academy; nothing here departs from the 2024 Regulations.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-demo-wyvern-brook",
  layer: "academy",
  document: "Wyvern Brook Academy, Attendance Policy (September 2025): an invented demo academy's invented policy",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:30", lateAfter: "08:35", closes: "08:55" },
      passage: "\"Registers\": \"The morning register is taken at 8.30am; pupils who arrive after 8.35am receive a late mark (L). The register closes at 8.55am: after that, arrival is recorded as U.\" Differs from Woolwich Polytechnic School for Boys in the same trust (no trust or local authority layer sets register times). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1, leaves the end of the taking of the register to the school; open 25 minutes, within the 30 minutes Working together to improve school attendance (DfE, August 2024) expects.",
    },
    "registerTimes.PM": {
      value: { starts: "13:20", lateAfter: "13:20", closes: "13:45" },
      passage: "\"Registers\": \"The afternoon register is taken at 1.20pm and closes at 1.45pm.\" Open 25 minutes, the same as the morning, as Working together to improve school attendance (DfE, August 2024) expects of every session; allowed by The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1.",
    },
    latenessLadder: {
      value: [{"lates":2,"per":"WEEK","action":"Same-day lunchtime detention"},{"lates":4,"per":"HALF_TERM","action":"Head of year telephones parents"}],
      passage: "\"Punctuality\": \"2 late marks in a week: same-day lunchtime detention.\" \"4 late marks in a half term: head of year telephones parents.\" The academy's own ladder (no trust or local authority layer sets one). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208) set no lateness ladder; Working together to improve school attendance (DfE, August 2024) leaves a school's approach to punctuality to its attendance policy.",
    },
    attendanceTarget: {
      value: 0.96,
      passage: "\"Our aim\": \"We expect every pupil to attend at least 96% of sessions.\" The academy's own target (its trust sets none). Allowed: no regulation sets a target; Working together to improve school attendance (DfE, August 2024) asks each school to set out its attendance expectations in its policy.",
    },
    "absenceReporting.window": {
      value: { from: "07:45", to: "08:30" },
      passage: "\"Reporting an absence\": \"Please telephone the school office between 7.45am and 8.30am on the first day of any absence.\" Allowed: Working together to improve school attendance (DfE, August 2024) expects parents to tell the school on the first day of an unplanned absence and leaves how to the school's policy.",
    },
    "escalation.actionDueDays": {
      value: 5,
      passage: "\"Following up\": \"Actions agreed about a pupil's attendance are completed within 5 days.\" The academy's own period (no trust or local authority layer sets one). Allowed: Working together to improve school attendance (DfE, August 2024) leaves the timing of a school's follow-up to its policy.",
    },
    contacts: {
      value: [{ role: "Attendance lead", telephone: "01632 960100", email: "attendance@wyvern-brook.example.org" }],
      passage: "\"Contacts\": the attendance lead, on 01632 960100 or attendance@wyvern-brook.example.org (an invented Ofcom drama number and example.org address).",
    },
  },
});
