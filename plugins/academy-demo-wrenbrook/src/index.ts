// Wrenbrook CE Academy (URN 940502): an invented sibling of Staverton CE Primary School in the demo,
// with an invented attendance policy. Each value overrides a layer below it (or
// sets what no layer sets) and cites the national rule that leaves it to the
// academy; nothing here departs from the 2024 Regulations.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-demo-wrenbrook",
  layer: "academy",
  document: "Wrenbrook CE Academy, Attendance Policy (September 2025): an invented demo academy's invented policy",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:50", lateAfter: "08:55", closes: "09:20" },
      passage: "\"Registers\": \"The morning register is taken at 8.50am; pupils who arrive after 8.55am receive a late mark (L). The register closes at 9.20am: after that, arrival is recorded as U.\" Differs from Staverton CE Primary School in the same trust (no trust or local authority layer sets register times). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1, leaves the end of the taking of the register to the school; open 30 minutes, within the 30 minutes Working together to improve school attendance (DfE, August 2024) expects.",
    },
    "registerTimes.PM": {
      value: { starts: "13:10", lateAfter: "13:10", closes: "13:40" },
      passage: "\"Registers\": \"The afternoon register is taken at 1.10pm and closes at 1.40pm.\" Open 30 minutes, the same as the morning, as Working together to improve school attendance (DfE, August 2024) expects of every session; allowed by The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1.",
    },
    latenessLadder: {
      value: [{"lates":2,"per":"WEEK","action":"Parents asked to sign the late book with the office"},{"lates":5,"per":"HALF_TERM","action":"Meeting with the family support worker"}],
      passage: "\"Punctuality\": \"2 late marks in a week: parents asked to sign the late book with the office.\" \"5 late marks in a half term: meeting with the family support worker.\" The academy's own ladder (no trust or local authority layer sets one). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208) set no lateness ladder; Working together to improve school attendance (DfE, August 2024) leaves a school's approach to punctuality to its attendance policy.",
    },
    attendanceTarget: {
      value: 0.96,
      passage: "\"Our aim\": \"We expect every pupil to attend at least 96% of sessions.\" The academy's own target (its trust sets none). Allowed: no regulation sets a target; Working together to improve school attendance (DfE, August 2024) asks each school to set out its attendance expectations in its policy.",
    },
    "absenceReporting.window": {
      value: { from: "08:30", to: "09:00" },
      passage: "\"Reporting an absence\": \"Please telephone the school office between 8.30am and 9.00am on the first day of any absence.\" Allowed: Working together to improve school attendance (DfE, August 2024) expects parents to tell the school on the first day of an unplanned absence and leaves how to the school's policy.",
    },
    "escalation.actionDueDays": {
      value: 14,
      passage: "\"Following up\": \"Actions agreed about a pupil's attendance are completed within 14 days.\" The academy's own period (no trust or local authority layer sets one). Allowed: Working together to improve school attendance (DfE, August 2024) leaves the timing of a school's follow-up to its policy.",
    },
    contacts: {
      value: [{ role: "Attendance lead", telephone: "01632 960170", email: "attendance@wrenbrook.example.org" }],
      passage: "\"Contacts\": the attendance lead, on 01632 960170 or attendance@wrenbrook.example.org (an invented Ofcom drama number and example.org address).",
    },
  },
});
