// The national attendance and absence codes for England, as data.
//
// Two sets:
// - From 19 August 2024: the School Attendance (Pupil Registration) (England)
//   Regulations 2024 (SI 2024/208), reg. 10, and "Working together to improve
//   school attendance" (DfE, August 2024).
// - Before that date: the set in the seed documents (seed 001, "Appendix 1:
//   attendance codes", taken from the DfE's earlier guidance).
// A mark is validated against the set in force on its date.

/** The statistical category of a code, as the Department for Education counts it. */
export type AttendanceCategory =
  | "PRESENT"
  | "APPROVED_ACTIVITY"
  | "AUTHORISED_ABSENCE"
  | "UNAUTHORISED_ABSENCE"
  | "NOT_POSSIBLE";

export interface AttendanceCode {
  code: string;
  meaning: string;
  category: AttendanceCategory;
  /** First date the code may be used (inclusive), ISO yyyy-mm-dd; undefined: since before our records. */
  validFrom?: string;
  /** Last date the code may be used (inclusive), ISO yyyy-mm-dd; undefined: still in force. */
  validTo?: string;
  /** Where the code and its category come from. */
  source: string;
}

/** The day the 2024 regulations came into force. */
export const REGULATIONS_2024_IN_FORCE = "2024-08-19";
const LAST_DAY_OF_OLD_SET = "2024-08-18";

const NEW = "The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10 and its tables of codes";
const OLD = "DfE guidance before 19 August 2024, as listed in seed 001 Appendix 1";

const both = (code: string, meaning: string, category: AttendanceCategory): AttendanceCode => ({
  code,
  meaning,
  category,
  source: `${OLD}; ${NEW}`,
});
const from2024 = (code: string, meaning: string, category: AttendanceCategory): AttendanceCode => ({
  code,
  meaning,
  category,
  validFrom: REGULATIONS_2024_IN_FORCE,
  source: NEW,
});
const before2024 = (code: string, meaning: string, category: AttendanceCategory, note = ""): AttendanceCode => ({
  code,
  meaning,
  category,
  validTo: LAST_DAY_OF_OLD_SET,
  source: OLD + note,
});

/**
 * Every code, old and new. A code whose meaning or category changed in 2024
 * appears twice, once per period.
 */
export const NATIONAL_CODES: readonly AttendanceCode[] = [
  // Present
  both("/", "Present (morning session)", "PRESENT"),
  both("\\", "Present (afternoon session)", "PRESENT"),
  both("L", "Late arrival before the register closed", "PRESENT"),

  // Attending an approved educational activity
  from2024("K", "Attending education provision arranged by the local authority", "APPROVED_ACTIVITY"),
  both("V", "Attending an educational visit or trip", "APPROVED_ACTIVITY"),
  both("P", "Participating in an approved sporting activity", "APPROVED_ACTIVITY"),
  both("W", "Attending work experience", "APPROVED_ACTIVITY"),
  both("B", "Attending any other approved educational activity", "APPROVED_ACTIVITY"),
  before2024("J", "Interview with a prospective employer or educational establishment", "APPROVED_ACTIVITY"),

  // Authorised absence
  both("C", "Leave of absence for exceptional circumstances", "AUTHORISED_ABSENCE"),
  from2024("C1", "Leave of absence for a regulated performance or regulated employment abroad", "AUTHORISED_ABSENCE"),
  from2024("C2", "Leave of absence for a compulsory school age pupil subject to a part-time timetable", "AUTHORISED_ABSENCE"),
  both("E", "Suspended or permanently excluded and no alternative provision made", "AUTHORISED_ABSENCE"),
  before2024("H", "Holiday authorised by the school in exceptional circumstances", "AUTHORISED_ABSENCE"),
  both("I", "Illness (not medical or dental appointment)", "AUTHORISED_ABSENCE"),
  from2024("J1", "Leave of absence to attend an interview for employment or admission to another educational institution", "AUTHORISED_ABSENCE"),
  both("M", "Medical or dental appointment", "AUTHORISED_ABSENCE"),
  both("R", "Religious observance", "AUTHORISED_ABSENCE"),
  both("S", "Study leave", "AUTHORISED_ABSENCE"),
  before2024("T", "Gypsy, Roma and traveller absence", "AUTHORISED_ABSENCE"),
  from2024("T", "Parent travelling for occupational purposes", "AUTHORISED_ABSENCE"),

  // Unauthorised absence
  both("G", "Holiday not granted by the school", "UNAUTHORISED_ABSENCE"),
  both("N", "Reason for absence not yet provided", "UNAUTHORISED_ABSENCE"),
  both("O", "Absent in other or unknown circumstances", "UNAUTHORISED_ABSENCE"),
  both("U", "Arrived in school after registration closed", "UNAUTHORISED_ABSENCE"),

  // Not counted as a possible session.
  // D was listed among approved activities in seed 001's table, but the DfE has
  // always counted it as "not a possible attendance" (the pupil is expected at
  // the other school), and so do we.
  before2024("D", "Dual registered: attending a session at another setting", "NOT_POSSIBLE"),
  from2024("D", "Dual registered: at another school", "NOT_POSSIBLE"),
  before2024("X", "Not required to be in school (non-compulsory school age)", "NOT_POSSIBLE"),
  from2024("X", "Not required to attend: non-compulsory school age", "NOT_POSSIBLE"),
  before2024("Y", "Unable to attend due to exceptional circumstances", "NOT_POSSIBLE"),
  from2024("Q", "Unable to attend because of a lack of access arrangements", "NOT_POSSIBLE"),
  from2024("Y1", "Unable to attend: transport normally provided not available", "NOT_POSSIBLE"),
  from2024("Y2", "Unable to attend: widespread disruption to travel", "NOT_POSSIBLE"),
  from2024("Y3", "Unable to attend: part of the school premises closed", "NOT_POSSIBLE"),
  from2024("Y4", "Unable to attend: whole school site unexpectedly closed", "NOT_POSSIBLE"),
  from2024("Y5", "Unable to attend: pupil in criminal justice detention", "NOT_POSSIBLE"),
  from2024("Y6", "Unable to attend: public health guidance or law", "NOT_POSSIBLE"),
  from2024("Y7", "Unable to attend: any other unavoidable cause", "NOT_POSSIBLE"),
  both("Z", "Prospective pupil not on admission register", "NOT_POSSIBLE"),
  both("#", "Planned whole-school closure", "NOT_POSSIBLE"),
];
