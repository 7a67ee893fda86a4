// Tidewell Primary Academy (URN 940402): an invented sibling of ATT Thurrock Academy (demo) in the demo,
// with an invented attendance policy. Each value overrides a layer below it (or
// sets what no layer sets) and cites the national rule that leaves it to the
// academy; nothing here departs from the 2024 Regulations.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-demo-tidewell",
  layer: "academy",
  document: "Tidewell Primary Academy, Attendance Policy (September 2025): an invented demo academy's invented policy",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:45", lateAfter: "08:50", closes: "09:15" },
      passage: "\"Registers\": \"The morning register is taken at 8.45am; pupils who arrive after 8.50am receive a late mark (L). The register closes at 9.15am: after that, arrival is recorded as U.\" Differs from ATT Thurrock Academy (demo) in the same trust (no trust or local authority layer sets register times). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1, leaves the end of the taking of the register to the school; open 30 minutes, within the 30 minutes Working together to improve school attendance (DfE, August 2024) expects.",
    },
    "registerTimes.PM": {
      value: { starts: "12:55", lateAfter: "12:55", closes: "13:25" },
      passage: "\"Registers\": \"The afternoon register is taken at 12.55pm and closes at 1.25pm.\" Open 30 minutes, the same as the morning, as Working together to improve school attendance (DfE, August 2024) expects of every session; allowed by The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1.",
    },
    latenessLadder: {
      value: [{"lates":4,"per":"HALF_TERM","action":"Class teacher speaks to parents at collection"}],
      passage: "\"Punctuality\": \"4 late marks in a half term: class teacher speaks to parents at collection.\" The academy's own ladder (no trust or local authority layer sets one). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208) set no lateness ladder; Working together to improve school attendance (DfE, August 2024) leaves a school's approach to punctuality to its attendance policy.",
    },
    attendanceTarget: {
      value: 0.97,
      passage: "\"Our aim\": \"We expect every pupil to attend at least 97% of sessions.\" The academy's own target (its trust sets none). Allowed: no regulation sets a target; Working together to improve school attendance (DfE, August 2024) asks each school to set out its attendance expectations in its policy.",
    },
    "absenceReporting.window": {
      value: { from: "08:00", to: "09:00" },
      passage: "\"Reporting an absence\": \"Please telephone the school office between 8.00am and 9.00am on the first day of any absence.\" Allowed: Working together to improve school attendance (DfE, August 2024) expects parents to tell the school on the first day of an unplanned absence and leaves how to the school's policy.",
    },
    "rewards.groupOnly": {
      value: true,
      passage: "\"Celebrating attendance\": \"We celebrate the attendance of classes, not of individual children.\" Overrides Academies Transformation Trust's individual rewards at 98% (ATT Attendance Policy 11.2 and 12.1). Allowed: no national rule governs rewards.",
    },
    "escalation.actionDueDays": {
      value: 10,
      passage: "\"Following up\": \"Actions agreed about a pupil's attendance are completed within 10 days.\" The academy's own period (no trust or local authority layer sets one). Allowed: Working together to improve school attendance (DfE, August 2024) leaves the timing of a school's follow-up to its policy.",
    },
    contacts: {
      value: [{ role: "Attendance lead", telephone: "01632 960156", email: "attendance@tidewell.example.org" }],
      passage: "\"Contacts\": the attendance lead, on 01632 960156 or attendance@tidewell.example.org (an invented Ofcom drama number and example.org address).",
    },
  },
});
