// Unique Pupil Numbers: DfE, "Unique Pupil Numbers (UPN): A guide for schools
// and local authorities" (the UPN guide), section "UPN format" and Annex
// "Check letter calculation".
//
// A UPN is 13 characters: a check letter, then the 3-digit local-authority
// number, the 4-digit establishment number, 2 digits for the year of
// allocation and a 3-digit serial. A temporary UPN (allocated while the
// permanent one is not known) has a letter as its 13th character.
//
// The check letter: multiply characters 2 to 13 by the weights 2 to 13 (a
// letter in position 13 counts as its value in the check-letter table below),
// add the products, divide by 23; the remainder indexes the table
// A B C D E F G H J K L M N P Q R T U V W X Y Z (0 to 22: I, O and S are not
// used, so they are never mistaken for 1, 0 and 5).

/** The 23 letters a remainder 0 to 22 maps to, in order (UPN guide, Annex). */
export const UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

export type UpnProblemCode = "BAD_UPN_FORMAT" | "BAD_UPN_CHECK_LETTER";

export interface UpnProblem {
  code: UpnProblemCode;
  message: string;
}

/** The check letter for characters 2 to 13 of a UPN (12 characters), or undefined if they are not a UPN's. */
export function upnCheckLetter(body: string): string | undefined {
  if (!/^\d{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/.test(body)) return undefined;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const c = body[i]!;
    // Position 13 of a temporary UPN: the letter's value in the same table.
    const value = /\d/.test(c) ? Number(c) : UPN_CHECK_LETTERS.indexOf(c);
    sum += value * (i + 2);
  }
  return UPN_CHECK_LETTERS[sum % 23];
}

/** Whether the UPN is temporary (its 13th character a letter, UPN guide "Temporary UPNs"). */
export function isTemporaryUpn(upn: string): boolean {
  return /^[A-Z]\d{11}[A-Z]$/.test(upn);
}

/** Why `upn` is not a valid UPN, or undefined if it is. */
export function upnProblem(upn: string): UpnProblem | undefined {
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(upn)) {
    return { code: "BAD_UPN_FORMAT", message: "A UPN is 13 characters: a check letter, 11 digits and a digit (or a letter for a temporary UPN)." };
  }
  const expected = upnCheckLetter(upn.slice(1));
  if (expected === undefined) return { code: "BAD_UPN_FORMAT", message: "A temporary UPN's last letter is one of the check letters (not I, O or S)." };
  if (upn[0] !== expected) return { code: "BAD_UPN_CHECK_LETTER", message: `The check letter of ${upn} should be ${expected}: the UPN has been mistyped.` };
  return undefined;
}

/** A valid UPN for characters 2 to 13 (for invented test and demo pupils). */
export function withUpnCheckLetter(body: string): string {
  const letter = upnCheckLetter(body);
  if (letter === undefined) throw new Error(`Not the body of a UPN: ${body}`);
  return letter + body;
}
