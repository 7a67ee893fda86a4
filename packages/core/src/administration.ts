// Checks on what administrators type in (issue 15): telephone numbers, e-mail
// addresses, carers' relationship codes and the year groups a phase admits.
// Pure, so the API and the importers check alike.
import type { PhaseName } from "./phases.ts";

/**
 * A telephone number as people write it ("07700 900123", "+44 (0)1632 960001",
 * "+33 1 23 45 67 89"), or null when it is not one. UK numbers are 0 and 9 or
 * 10 more digits (Ofcom, "National Telephone Numbering Plan", the 10- and
 * 11-digit number ranges); +44 is the UK's country code, whose trunk 0 is
 * dropped. Other countries' numbers are E.164: + and at most 15 digits
 * (ITU-T Recommendation E.164, §6.1). Returns the number in E.164 for
 * comparisons; the number is kept as typed.
 */
export function telephoneE164(raw: string): string | null {
  const compact = raw.trim().replace(/\(0\)/g, "").replace(/[\s\-().]/g, "");
  if (/^0\d{9,10}$/.test(compact)) return `+44${compact.slice(1)}`;
  if (/^\+44\d{9,10}$/.test(compact)) return compact;
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
  return null;
}

/**
 * Whether `raw` is an e-mail address we can send to: one @, a non-empty local
 * part without spaces, a domain with a dot, and at most 254 characters (RFC
 * 5321 §4.5.3.1.3 caps a path at 256 octets, two of which are its brackets).
 */
export function isEmailAddress(raw: string): boolean {
  return raw.length <= 254 && /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/.test(raw);
}

/**
 * The Common Basic Data Set's relationship-to-pupil codes most schools use
 * (CTF contacts carry them; Carer.relationship in prisma/schema.prisma): a
 * carer's relationship must be one of these, or none.
 */
export const CARER_RELATIONSHIPS = {
  PAM: "Mother",
  PAF: "Father",
  STM: "Step-mother",
  STF: "Step-father",
  FOM: "Foster mother",
  FOF: "Foster father",
  GRM: "Grandmother",
  GRF: "Grandfather",
  REL: "Other relative",
  CAR: "Carer",
  CHM: "Childminder",
  SWR: "Social worker",
  DOC: "Doctor",
  OTH: "Other contact",
} as const;

export function isCarerRelationship(code: string): code is keyof typeof CARER_RELATIONSHIPS {
  return Object.hasOwn(CARER_RELATIONSHIPS, code);
}

/**
 * The National Curriculum years an academy of each phase may have forms for
 * (-1 nursery, 0 Reception, 1–13; Education Act 2002 s. 82 and the National
 * Curriculum key stages; phases as in Get Information About Schools). Middle
 * schools run from Year 4 at the earliest to Year 9 at the latest ("deemed
 * primary" or "deemed secondary"); special and alternative provision may
 * take any age.
 */
export const PHASE_YEAR_GROUPS: Readonly<Record<PhaseName, readonly [number, number]>> = {
  NURSERY: [-1, 0],
  PRIMARY: [-1, 6],
  MIDDLE: [4, 9],
  SECONDARY: [7, 13],
  ALL_THROUGH: [-1, 13],
  SPECIAL: [-1, 13],
  ALTERNATIVE_PROVISION: [-1, 13],
  SIXTH_FORM: [12, 13],
};

/** Whether a form of `yearGroup` belongs in an academy of `phase`. */
export function yearGroupInPhase(phase: PhaseName, yearGroup: number): boolean {
  const [from, to] = PHASE_YEAR_GROUPS[phase];
  return Number.isInteger(yearGroup) && yearGroup >= from && yearGroup <= to;
}

/** A Unique Reference Number (Get Information About Schools): six digits, 100000–999999. */
export function isUrn(urn: number): boolean {
  return Number.isInteger(urn) && urn >= 100_000 && urn <= 999_999;
}
