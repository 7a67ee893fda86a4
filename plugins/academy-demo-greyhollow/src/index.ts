// Greyhollow Academy (URN 940401): an invented sibling of ATT Thurrock Academy (demo) in the demo,
// with an invented attendance policy. Each value overrides a layer below it (or
// sets what no layer sets) and cites the national rule that leaves it to the
// academy; nothing here departs from the 2024 Regulations.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-demo-greyhollow",
  layer: "academy",
  document: "Greyhollow Academy, Attendance Policy (September 2025): an invented demo academy's invented policy",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:25", lateAfter: "08:25", closes: "08:45" },
      passage: "\"Registers\": \"The morning register is taken at 8.25am; pupils who arrive after 8.25am receive a late mark (L). The register closes at 8.45am: after that, arrival is recorded as U.\" Differs from ATT Thurrock Academy (demo) in the same trust (no trust or local authority layer sets register times). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1, leaves the end of the taking of the register to the school; open 20 minutes, within the 30 minutes Working together to improve school attendance (DfE, August 2024) expects.",
    },
    "registerTimes.PM": {
      value: { starts: "12:30", lateAfter: "12:30", closes: "12:50" },
      passage: "\"Registers\": \"The afternoon register is taken at 12.30pm and closes at 12.50pm.\" Open 20 minutes, the same as the morning, as Working together to improve school attendance (DfE, August 2024) expects of every session; allowed by The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1.",
    },
    latenessLadder: {
      value: [{"lates":3,"per":"HALF_TERM","action":"Persistent lateness: parents contacted and a punctuality report"}],
      passage: "\"Punctuality\": \"3 late marks in a half term: persistent lateness: parents contacted and a punctuality report.\" The academy's own ladder (no trust or local authority layer sets one). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208) set no lateness ladder; Working together to improve school attendance (DfE, August 2024) leaves a school's approach to punctuality to its attendance policy.",
    },
    attendanceTarget: {
      value: 0.96,
      passage: "\"Our aim\": \"We expect every pupil to attend at least 96% of sessions.\" The academy's own target (its trust sets none). Allowed: no regulation sets a target; Working together to improve school attendance (DfE, August 2024) asks each school to set out its attendance expectations in its policy.",
    },
    "absenceReporting.window": {
      value: { from: "07:30", to: "08:25" },
      passage: "\"Reporting an absence\": \"Please telephone the school office between 7.30am and 8.25am on the first day of any absence.\" Allowed: Working together to improve school attendance (DfE, August 2024) expects parents to tell the school on the first day of an unplanned absence and leaves how to the school's policy.",
    },
    "rewards.individualExpectation": {
      value: 0.97,
      passage: "\"Celebrating attendance\": \"Pupils attending 97% or more in a half term are rewarded.\" Overrides Academies Transformation Trust's individual rewards at 98% (ATT Attendance Policy 11.2 and 12.1). Allowed: no national rule governs rewards.",
    },
    "escalation.actionDueDays": {
      value: 5,
      passage: "\"Following up\": \"Actions agreed about a pupil's attendance are completed within 5 days.\" The academy's own period (no trust or local authority layer sets one). Allowed: Working together to improve school attendance (DfE, August 2024) leaves the timing of a school's follow-up to its policy.",
    },
    contacts: {
      value: [{ role: "Attendance lead", telephone: "01632 960149", email: "attendance@greyhollow.example.org" }],
      passage: "\"Contacts\": the attendance lead, on 01632 960149 or attendance@greyhollow.example.org (an invented Ofcom drama number and example.org address).",
    },
  },
});
