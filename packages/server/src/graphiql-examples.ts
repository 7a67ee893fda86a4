// The operations GraphiQL opens with (issue 18, item 1): one tab to start
// from, then what a trust attendance lead, an attendance officer and a
// front-end developer would ask first, over the demo's autumn half term
// (2025-09-03 to 2025-10-24, packages/db/src/demo/school-year.ts). Each is
// parsed and validated against the schema in test/graphiql-examples.test.ts
// and run against the demo in test/graphiql.browser.test.ts, so that none can
// drift from the schema or stop answering.
import type { GraphiQLOptions } from "graphql-yoga";

/** A GraphiQL tab: its operations, variables (JSON) and headers (JSON). */
export interface GraphiQLExample {
  /** Who it is for, and the `pnpm demo:token` arguments that make a token for them. */
  role: "start" | "trust lead" | "attendance officer" | "front-end developer";
  tokenArgs: string;
  query: string;
  variables: Record<string, unknown>;
}

/** What every tab's Headers editor holds until a token is pasted in. */
export const PLACEHOLDER_HEADERS = { Authorization: "Bearer PASTE-A-TOKEN-FROM-pnpm-demo:token" };

const HALF_TERM = { from: "2025-09-03", to: "2025-10-24" };

const LEAD = "--role TRUST_ATTENDANCE_LEAD --trust vale-academy-trust";
const OFFICER = "--role ATTENDANCE_OFFICER --academy 117526";

/** How to sign in, at the top of the first tab. */
function signIn(tokenArgs: string): string {
  return `# Every request needs a token. In a terminal beside the
# server:
#
#   pnpm demo:token ${tokenArgs}
#
# then open "Headers" below this editor and replace the
# placeholder so that it reads
#   {"Authorization": "Bearer eyJ..."}
# The token is valid for 8 hours; \`pnpm demo:token\` alone
# lists the demo's academies and trusts. Each tab keeps its
# own headers.
#
# Press Ctrl-Enter or the pink button to run. Once signed in,
# the refresh button at the bottom left re-reads the schema
# for the Docs panel and completion.
`;
}

/** The same, in short, at the top of the other tabs. */
function tokenFor(tokenArgs: string): string {
  return `#
# Token: in a terminal,
#   pnpm demo:token ${tokenArgs}
# pasted into "Headers" below as
#   {"Authorization": "Bearer eyJ..."}
# (see the StartHere tab).
`;
}

export const GRAPHIQL_EXAMPLES: readonly GraphiQLExample[] = [
  {
    role: "start",
    tokenArgs: LEAD,
    query: `# Attendance policy API. GraphiQL is served by this server,
# with nothing fetched from anywhere else. The tabs above hold
# example operations:
#   TrustLead: for a trust attendance lead, the trust's
#     attendance over the autumn half term and its academies'
#     league table.
#   AttendanceOfficer: a morning's register, and a form's
#     pupils with their figures.
#   AcademiesPage: for a front-end developer, a Relay
#     connection page by page, node(id:), and errors.
#
${signIn(LEAD)}
query StartHere {
  viewer {
    displayName
    kind
    trust { name }
    trustRoles
    academies(first: 50) { totalCount edges { node { academy { urn name } roles } } }
  }
}
`,
    variables: {},
  },
  {
    role: "trust lead",
    tokenArgs: LEAD,
    query: `# A trust attendance lead: the trust's figures over a half
# term, then each academy's (a league table: sort by
# attendanceRate or persistentAbsenceRate). Persistent absence
# is missing 10% or more of possible sessions, severe 50% or
# more (Working together to improve school attendance, DfE,
# August 2024, definitions of persistent and severe absence).
${tokenFor(LEAD)}
query TrustLead($from: Date!, $to: Date!) {
  trusts(first: 1) {
    edges {
      node {
        name
        attendance(from: $from, to: $to) {
          total {
            pupils possibleSessions attendancePercent absencePercent
            persistentlyAbsent persistentAbsencePercent severelyAbsent
          }
          byWeek { key figures { attendancePercent } }
        }
        academies(first: 100) {
          edges {
            node {
              urn
              name
              attendance(from: $from, to: $to) {
                total {
                  pupils attendanceRate attendancePercent unauthorisedAbsence
                  persistentlyAbsent persistentAbsencePercent severelyAbsent
                }
              }
            }
          }
        }
      }
    }
  }
}
`,
    variables: HALF_TERM,
  },
  {
    role: "attendance officer",
    tokenArgs: OFFICER,
    query: `# An attendance officer at Stanborough School (URN 117526):
# which forms have taken a morning's register and who is
# missing a mark, the register's marks, and a form's pupils
# with their figures over the half term, lowest attendance
# first. Change \`date\` in Variables for another day.
${tokenFor(OFFICER)}
query AttendanceOfficer($academyUrn: Int!, $date: Date!, $from: Date!, $to: Date!) {
  academy(urn: $academyUrn) {
    name
    registerCompletion(date: $date, session: AM) {
      meets
      formsTaken
      formsTotal
      missingMarks { displayName form { name } }
    }
    forms(first: 1) {
      edges {
        node {
          id
          name
          yearGroup
          pupilList(from: $from, to: $to, first: 30, orderBy: { by: ATTENDANCE_RATE }) {
            totalCount
            edges {
              node {
                pupil { displayName upn }
                possibleSessions
                attendancePercent
                unauthorisedAbsence
                lateBeforeClose
                persistentlyAbsent
              }
            }
          }
        }
      }
    }
  }
  register(academyUrn: $academyUrn, date: $date, session: AM) {
    formsTaken
    marks(first: 30) {
      totalCount
      edges { node { pupil { displayName form { name } } code meaning minutesLate } }
    }
  }
}
`,
    variables: { academyUrn: 117526, date: "2025-10-08", ...HALF_TERM },
  },
  {
    role: "front-end developer",
    tokenArgs: LEAD,
    query: `# A front-end developer. Three operations: press the pink
# button and pick one by name.
#
# 1. Lists are Relay connections: ask for \`first\`, then pass
#    the page's pageInfo.endCursor as \`after\` (in Variables
#    below) while hasNextPage.
# 2. Every object has a global \`id\`; node(id:) fetches any of
#    them again. Paste an id from AcademiesPage into Variables
#    as "id" (until then it answers BAD_USER_INPUT).
# 3. Errors come beside the data, each with a path and
#    extensions.code (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND,
#    BAD_USER_INPUT, ...): a field you may not read is null
#    with FORBIDDEN, and the rest of the answer stands.
${tokenFor(LEAD)}
query AcademiesPage($first: Int, $after: String) {
  academies(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id urn name phase } }
  }
}

query NodeById($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Academy { urn name trust { name } }
    ... on Form { name yearGroup }
    ... on Pupil { displayName yearGroup }
  }
}

query ErrorShape {
  trusts(first: 1) {
    edges {
      node {
        name
        # Trust admins only: null here, with FORBIDDEN at this
        # path; extensions.missing names the role that would do.
        apiClients(first: 5) { totalCount }
      }
    }
  }
  # Not an id this API gave out: null, with BAD_USER_INPUT.
  node(id: "not-an-id") { id }
}
`,
    variables: { first: 2, after: null, id: "paste an id from AcademiesPage" },
  },
];

/** yoga's GraphiQL options: the title, the example tabs and the placeholder headers of a new tab. */
export function graphiqlOptions(): GraphiQLOptions {
  const headers = JSON.stringify(PLACEHOLDER_HEADERS, null, 2);
  return {
    title: "Attendance policy API",
    headers,
    defaultTabs: GRAPHIQL_EXAMPLES.map((example) => ({
      query: example.query,
      variables: JSON.stringify(example.variables, null, 2),
      headers,
    })),
  };
}
