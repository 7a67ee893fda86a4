// Upperhollow Primary Academy (URN 940202): an invented sibling of St James CE Primary School in the demo,
// with an invented attendance policy. Each value overrides a layer below it (or
// sets what no layer sets) and cites the national rule that leaves it to the
// academy; nothing here departs from the 2024 Regulations.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-demo-upperhollow",
  layer: "academy",
  document: "Upperhollow Primary Academy, Attendance Policy (September 2025): an invented demo academy's invented policy",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:50", lateAfter: "08:50", closes: "09:20" },
      passage: "\"Registers\": \"The morning register is taken at 8.50am; pupils who arrive after 8.50am receive a late mark (L). The register closes at 9.20am: after that, arrival is recorded as U.\" Differs from St James CE Primary School in the same trust (no trust or local authority layer sets register times). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1, leaves the end of the taking of the register to the school; open 30 minutes, within the 30 minutes Working together to improve school attendance (DfE, August 2024) expects.",
    },
    "registerTimes.PM": {
      value: { starts: "13:15", lateAfter: "13:15", closes: "13:45" },
      passage: "\"Registers\": \"The afternoon register is taken at 1.15pm and closes at 1.45pm.\" Open 30 minutes, the same as the morning, as Working together to improve school attendance (DfE, August 2024) expects of every session; allowed by The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1.",
    },
    latenessLadder: {
      value: [{"lates":5,"per":"HALF_TERM","action":"Attendance officer telephones parents"}],
      passage: "\"Punctuality\": \"5 late marks in a half term: attendance officer telephones parents.\" The academy's own ladder (no trust or local authority layer sets one). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208) set no lateness ladder; Working together to improve school attendance (DfE, August 2024) leaves a school's approach to punctuality to its attendance policy.",
    },
    attendanceTarget: {
      value: 0.955,
      passage: "\"Our aim\": \"We expect every pupil to attend at least 95.5% of sessions.\" Overrides Vale Academy Trust's 96% (trust policy §1). Allowed: no regulation sets a target; Working together to improve school attendance (DfE, August 2024) asks each school to set out its attendance expectations in its policy.",
    },
    "absenceReporting.window": {
      value: { from: "08:00", to: "08:50" },
      passage: "\"Reporting an absence\": \"Please telephone the school office between 8.00am and 8.50am on the first day of any absence.\" Allowed: Working together to improve school attendance (DfE, August 2024) expects parents to tell the school on the first day of an unplanned absence and leaves how to the school's policy.",
    },
    "rewards.individualExpectation": {
      value: 0.97,
      passage: "\"Celebrating attendance\": \"Pupils attending 97% or more in a half term are rewarded.\" Allowed: no national rule governs rewards.",
    },
    "escalation.actionDueDays": {
      value: 10,
      passage: "\"Following up\": \"Actions agreed about a pupil's attendance are completed within 10 days.\" The academy's own period (no trust or local authority layer sets one). Allowed: Working together to improve school attendance (DfE, August 2024) leaves the timing of a school's follow-up to its policy.",
    },
    contacts: {
      value: [{ role: "Attendance lead", telephone: "01632 960121", email: "attendance@upperhollow.example.org" }],
      passage: "\"Contacts\": the attendance lead, on 01632 960121 or attendance@upperhollow.example.org (an invented Ofcom drama number and example.org address).",
    },
  },
});
