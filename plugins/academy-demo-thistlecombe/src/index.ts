// Thistlecombe CE Primary School (URN 940501): an invented sibling of Staverton CE Primary School in the demo,
// with an invented attendance policy. Each value overrides a layer below it (or
// sets what no layer sets) and cites the national rule that leaves it to the
// academy; nothing here departs from the 2024 Regulations.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-demo-thistlecombe",
  layer: "academy",
  document: "Thistlecombe CE Primary School, Attendance Policy (September 2025): an invented demo academy's invented policy",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:40", lateAfter: "08:45", closes: "09:05" },
      passage: "\"Registers\": \"The morning register is taken at 8.40am; pupils who arrive after 8.45am receive a late mark (L). The register closes at 9.05am: after that, arrival is recorded as U.\" Differs from Staverton CE Primary School in the same trust (no trust or local authority layer sets register times). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1, leaves the end of the taking of the register to the school; open 25 minutes, within the 30 minutes Working together to improve school attendance (DfE, August 2024) expects.",
    },
    "registerTimes.PM": {
      value: { starts: "12:50", lateAfter: "12:50", closes: "13:15" },
      passage: "\"Registers\": \"The afternoon register is taken at 12.50pm and closes at 1.15pm.\" Open 25 minutes, the same as the morning, as Working together to improve school attendance (DfE, August 2024) expects of every session; allowed by The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1.",
    },
    latenessLadder: {
      value: [{"lates":3,"per":"HALF_TERM","action":"Letter home from the headteacher"}],
      passage: "\"Punctuality\": \"3 late marks in a half term: letter home from the headteacher.\" The academy's own ladder (no trust or local authority layer sets one). Allowed: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208) set no lateness ladder; Working together to improve school attendance (DfE, August 2024) leaves a school's approach to punctuality to its attendance policy.",
    },
    attendanceTarget: {
      value: 0.965,
      passage: "\"Our aim\": \"We expect every pupil to attend at least 96.5% of sessions.\" The academy's own target (its trust sets none). Allowed: no regulation sets a target; Working together to improve school attendance (DfE, August 2024) asks each school to set out its attendance expectations in its policy.",
    },
    "absenceReporting.window": {
      value: { from: "08:15", to: "08:45" },
      passage: "\"Reporting an absence\": \"Please telephone the school office between 8.15am and 8.45am on the first day of any absence.\" Allowed: Working together to improve school attendance (DfE, August 2024) expects parents to tell the school on the first day of an unplanned absence and leaves how to the school's policy.",
    },
    "rewards.groupOnly": {
      value: false,
      passage: "\"Celebrating attendance\": \"Each half term we recognise every pupil who meets our expectation.\" Overrides Peterborough Diocese Education Trust's group-only rewards (PDET Attendance Policy §8). Allowed: no national rule governs rewards.",
    },
    "rewards.individualExpectation": {
      value: 0.98,
      passage: "\"Celebrating attendance\": \"Pupils attending 98% or more in a half term are rewarded.\" Overrides Peterborough Diocese Education Trust's group-only rewards (PDET Attendance Policy §8). Allowed: no national rule governs rewards.",
    },
    "escalation.actionDueDays": {
      value: 7,
      passage: "\"Following up\": \"Actions agreed about a pupil's attendance are completed within 7 days.\" The academy's own period (no trust or local authority layer sets one). Allowed: Working together to improve school attendance (DfE, August 2024) leaves the timing of a school's follow-up to its policy.",
    },
    contacts: {
      value: [{ role: "Attendance lead", telephone: "01632 960163", email: "attendance@thistlecombe.example.org" }],
      passage: "\"Contacts\": the attendance lead, on 01632 960163 or attendance@thistlecombe.example.org (an invented Ofcom drama number and example.org address).",
    },
  },
});
