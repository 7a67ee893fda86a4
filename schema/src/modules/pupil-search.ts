// Finding a pupil by name or UPN (issue 15): partial, case- and
// accent-insensitive ("zoe" finds "Zoë"), on the folded name columns the
// database keeps (migration pupil_search), each word a prefix of a legal
// forename, preferred forename or surname, or the whole query a UPN prefix.
// Scoped exactly as the `pupils` lists are (visibility.ts): a teacher finds
// the pupils of their own forms only.
import { searchWords, SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS, SEARCH_MIN_LENGTH } from "@attendance/core";
import { builder } from "../builder.ts";
import { badInput } from "../errors.ts";
import { visiblePupilsWhere } from "../visibility.ts";
import type { GraphQLContext } from "../context.ts";

/** LIKE's own characters: never part of a name, and never let through as wildcards. */
const LIKE_SPECIAL = /[%_\\]/g;

/** The Prisma filter for a search, or BAD_USER_INPUT when the query is out of bounds. */
function searchWhere(ctx: GraphQLContext, query: string) {
  const text = query.trim();
  if (text.length < SEARCH_MIN_LENGTH || text.length > SEARCH_MAX_LENGTH) {
    throw badInput(`Search for ${SEARCH_MIN_LENGTH} to ${SEARCH_MAX_LENGTH} characters.`, [{ field: "query", message: `${SEARCH_MIN_LENGTH} to ${SEARCH_MAX_LENGTH} characters.` }]);
  }
  const words = searchWords(text.replace(LIKE_SPECIAL, "")).slice(0, SEARCH_MAX_WORDS);
  if (searchWords(text).length > SEARCH_MAX_WORDS) {
    throw badInput(`Search with at most ${SEARCH_MAX_WORDS} words.`, [{ field: "query", message: `At most ${SEARCH_MAX_WORDS} words.` }]);
  }
  const byName = words.length
    ? { AND: words.map((w) => ({ OR: [{ searchForename: { startsWith: w } }, { searchPreferred: { startsWith: w } }, { searchSurname: { startsWith: w } }] })) }
    : null;
  // A UPN is a letter, 11 digits and a check character: a prefix of one is searched as such.
  const upn = text.toUpperCase();
  const byUpn = /^[A-Z][0-9A-Z]{1,12}$/.test(upn) && /\d/.test(upn) ? { upn: { startsWith: upn } } : null;
  const either = [byName, byUpn].filter((w) => w !== null);
  return {
    AND: [
      { trustId: ctx.actor?.trustId ?? "" },
      visiblePupilsWhere(ctx.actor),
      // Anonymised pupils have no names to find (reg. 14 retention).
      { anonymisedAt: null },
      either.length ? { OR: either } : { id: { in: [] } },
    ],
  };
}

builder.queryFields((t) => ({
  searchPupils: t.prismaConnection({
    type: "Pupil",
    description:
      "Pupils you may see whose names start with each word of the query (legal or preferred forename, or surname; case and accents ignored: \"zoe\" finds \"Zoë\"), or whose UPN starts with it; by surname and forename. The query is 2 to 100 characters, at most 5 words.",
    cursor: "id",
    args: { query: t.arg.string({ required: true, description: "Names or the start of them, or the start of a UPN (2 to 100 characters)." }) },
    totalCount: (_parent, args, ctx) => ctx.prisma.pupil.count({ where: searchWhere(ctx, args.query) }),
    resolve: (query, _parent, args, ctx) =>
      ctx.prisma.pupil.findMany({
        ...query,
        where: searchWhere(ctx, args.query),
        orderBy: [{ legalSurname: "asc" }, { legalForename: "asc" }, { id: "asc" }],
      }),
  }),
}));
