// Pupil search: names folded so that "zoe" finds "Zoë" and "obrien" need not
// know the apostrophe's shape. The same table is applied by the database
// (function app_search_fold, migration pupil_search) to the stored search
// columns, so both sides fold alike: a plain character map (PostgreSQL
// translate()), no extension (unaccent is not in every PostgreSQL nor loaded
// in PGlite) and no locale-dependent lower() (PGlite's C locale lowers ASCII
// only). Characters outside the map are kept as they are.

/** Characters folded, one for one with SEARCH_FOLD_TO. */
export const SEARCH_FOLD_FROM = "ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšȘșŢŤŦţťŧȚțÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŸŶýÿŷŹŻŽźżž’‘ʼABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** What each character of SEARCH_FOLD_FROM becomes. */
export const SEARCH_FOLD_TO = "aaaaaaaaaaaaaaaaaaccccccccccddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiiijjkkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssssttttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz'''abcdefghijklmnopqrstuvwxyz";

const FOLD = new Map<string, string>([...SEARCH_FOLD_FROM].map((c, i) => [c, [...SEARCH_FOLD_TO][i]!]));

/** `text` folded for search: Latin letters lower-cased and stripped of accents; typographic apostrophes made plain. */
export function foldForSearch(text: string): string {
  let out = "";
  for (const c of text) out += FOLD.get(c) ?? c;
  return out;
}

/** The words of a search, folded: split on spaces and commas, empty words dropped. */
export function searchWords(query: string): string[] {
  return foldForSearch(query).split(/[\s,]+/u).filter((w) => w.length > 0);
}

/** Bounds on a search's text (issue 15): at least 2 characters, at most 100, and at most 5 words. */
export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_MAX_LENGTH = 100;
export const SEARCH_MAX_WORDS = 5;
