// The rows every import format is read into, and the import writer takes.
// A CSV file of one kind and a Common Transfer File both become an ImportBatch;
// the writer (packages/db/src/import, in the database package so that the demo
// loader can use it too) checks it against the database and, with apply,
// writes it in one transaction, keyed by natural keys so that the same batch
// applied twice changes nothing the second time.
//
// Every row carries where it came from (file and line, or XML element path), so
// that a problem is reported at its source.

/** Where a row was read: a CSV line (1 = the header) or a CTF element path. */
export interface SourceRef {
  file: string;
  /** CSV line number, counting the header as line 1. */
  line?: number;
  /** XML element path for CTF, e.g. "CTfile/CTFpupilData/Pupil[3]/Contacts/Contact[1]". */
  element?: string;
}

export interface Sourced {
  source: SourceRef;
  /**
   * The id a new row is written with, when its source has ids of its own: the
   * demo's generator, so that the demo's rows have the same ids on every load
   * (tokens and fixtures name them). Files never carry one; without it the
   * writer draws a random UUID.
   */
  id?: string;
}

/** A problem found while reading or checking a file; nothing is written while any exists. */
export interface ImportProblem {
  source: SourceRef;
  /** Column or element name, when the problem is in one. */
  field?: string;
  /** Stable code, e.g. MISSING_COLUMN, BAD_UPN, UNKNOWN_CODE, NOT_A_SESSION, BAD_ENCODING. */
  code: string;
  message: string;
}

export type GenderValue = "MALE" | "FEMALE" | "OTHER";

/** Natural key: (trust, upn). */
export interface PupilRow extends Sourced {
  upn: string;
  legalForename: string;
  legalSurname: string;
  preferredForename?: string | null;
  /** ISO date. */
  dateOfBirth: string;
  gender: GenderValue;
  yearGroup: number;
  /** Form name within the academy (must exist or be in the same batch's forms). */
  form?: string | null;
  /** ISO date the pupil joined the academy's roll. */
  onRollFrom: string;
  senProvision?: "NONE" | "SEN_SUPPORT" | "EHCP";
  freeSchoolMeals?: boolean;
  pupilPremium?: boolean;
  englishAdditionalLanguage?: boolean;
  lookedAfter?: boolean;
  hasSocialWorker?: boolean;
  /**
   * How the pupil is registered here (SI 2024/208 reg. 5(2)(c)-(d); the
   * census's enrolment status C, M or S): SINGLE, DUAL_MAIN or
   * DUAL_SUBSIDIARY. Default SINGLE; read when the pupil is admitted.
   */
  registrationType?: "SINGLE" | "DUAL_MAIN" | "DUAL_SUBSIDIARY";
  /** The new enrolment's id, when the source has ids (see Sourced.id). */
  enrolmentId?: string;
}

export type TelephoneKind = "HOME" | "MOBILE" | "WORK" | "OTHER";

/** Natural key: (pupil upn, contactOrder). */
export interface CarerRow extends Sourced {
  upn: string;
  contactOrder: number;
  salutation: string;
  forename: string;
  surname: string;
  relationship?: string | null;
  parentalResponsibility: boolean;
  addressLines: string[];
  telephones: { kind: TelephoneKind; number: string }[];
  email?: string | null;
  noContact?: boolean;
}

/** Natural key: (academy, name). */
export interface FormRow extends Sourced {
  name: string;
  yearGroup: number;
  /** E-mail addresses of the form's tutors (staff that exist or are in the batch). */
  tutorEmails?: string[];
}

/** Natural key: user by e-mail; an active role by (e-mail, role, academy). */
export interface StaffRow extends Sourced {
  email: string;
  displayName: string;
  /** Identity provider subject, when tokens do not carry the user's id. */
  subject?: string | null;
  /** HEADTEACHER, ACADEMY_ADMIN, ATTENDANCE_OFFICER or TEACHER (academy roles), for the import's academy. */
  role: string;
  /** The new user's id, when the source has ids (Sourced.id is the role assignment's). */
  userId?: string;
}

/** A term, or a closure; natural key: (academy, kind, startDate). */
export interface CalendarRow extends Sourced {
  kind: "TERM" | "CLOSURE";
  academicYear?: string;
  /** Term name (TERM) or closure reason. */
  name: string;
  startDate: string;
  endDate: string;
  /** For a closure: INSET, BANK_HOLIDAY, PLANNED or UNEXPECTED (ClosureKind), and the session if only one. */
  closureKind?: string;
  session?: "AM" | "PM" | null;
}

/** Natural key: (upn, date, session). A different code for a key already recorded is an amendment, never an overwrite. */
export interface MarkRow extends Sourced {
  upn: string;
  date: string;
  session: "AM" | "PM";
  code: string;
  minutesLate?: number | null;
  note?: string | null;
  /** When a late pupil arrived (ISO 8601 instant): kept so that lateness can be judged again under other register times. */
  arrivedAt?: string | null;
  /** The e-mail of the member of staff who recorded the mark (in the staff of the academy or the batch). */
  recordedBy?: string | null;
  /** When the mark was recorded (ISO 8601 instant); default the time of the import. */
  recordedAt?: string | null;
  /** Why a recorded mark was changed, for a row that amends one (SI 2024/208 reg. 5); default "Imported from <file> line <n>". */
  amendmentReason?: string | null;
}

export interface ImportBatch {
  forms: FormRow[];
  staff: StaffRow[];
  pupils: PupilRow[];
  carers: CarerRow[];
  calendar: CalendarRow[];
  marks: MarkRow[];
}

export function emptyBatch(): ImportBatch {
  return { forms: [], staff: [], pupils: [], carers: [], calendar: [], marks: [] };
}

/** What a run found or did: the counts per kind, and every problem. */
export interface ImportReport {
  applied: boolean;
  problems: ImportProblem[];
  counts: Record<keyof ImportBatch, { added: number; changed: number; unchanged: number }>;
}
