// The five academies of the seed policies (../shared/seeds/README.md), their
// local authorities and trusts. URNs are invented demo values.
export interface DemoLocalAuthority {
  /** The Department for Education's LA code. */
  code: number;
  name: string;
  policyPlugin: string;
}

export interface DemoTrust {
  slug: string;
  name: string;
  policyPlugin: string | null;
}

export interface DemoAcademy {
  slug: string;
  urn: number;
  name: string;
  phase: "PRIMARY" | "SECONDARY";
  laCode: number;
  trustSlug: string;
  policyPlugin: string;
  /** Year groups on roll: 0 is Reception. */
  yearGroups: readonly number[];
  formsPerYear: number;
  /** A boys' school (seed 000 is Woolwich Polytechnic School for Boys). */
  boysOnly: boolean;
  /** Share of pupils with English as an additional language (higher in inner London). */
  ealRate: number;
  /** Morning registration time, from the academy's policy. */
  morningRegistration: string;
  afternoonRegistration: string;
}

export const LOCAL_AUTHORITIES: readonly DemoLocalAuthority[] = [
  { code: 203, name: "Royal Borough of Greenwich", policyPlugin: "la-greenwich" },
  { code: 931, name: "Oxfordshire", policyPlugin: "la-oxfordshire" },
  { code: 919, name: "Hertfordshire", policyPlugin: "la-hertfordshire" },
  { code: 883, name: "Thurrock", policyPlugin: "la-thurrock" },
  // Seed 004 names no authority; Staverton is in West Northamptonshire.
  { code: 941, name: "West Northamptonshire", policyPlugin: "la-west-northamptonshire" },
];

export const TRUSTS: readonly DemoTrust[] = [
  // Seeds 000 and 002 name no trust: each school is its own single-academy trust here.
  { slug: "woolwich-polytechnic-school-for-boys", name: "Woolwich Polytechnic School for Boys (single-academy trust)", policyPlugin: null },
  { slug: "vale-academy-trust", name: "Vale Academy Trust", policyPlugin: "trust-vale-academy-trust" },
  { slug: "stanborough-school", name: "Stanborough School (single-academy trust)", policyPlugin: null },
  { slug: "academies-transformation-trust", name: "Academies Transformation Trust", policyPlugin: "trust-academies-transformation-trust" },
  { slug: "peterborough-diocese-education-trust", name: "Peterborough Diocese Education Trust", policyPlugin: "trust-peterborough-diocese" },
];

const SECONDARY = [7, 8, 9, 10, 11] as const;
const PRIMARY = [0, 1, 2, 3, 4, 5, 6] as const;

export const ACADEMIES: readonly DemoAcademy[] = [
  {
    slug: "woolwich-poly", urn: 100_741, name: "Woolwich Polytechnic School for Boys", phase: "SECONDARY",
    laCode: 203, trustSlug: "woolwich-polytechnic-school-for-boys", policyPlugin: "academy-woolwich-polytechnic",
    yearGroups: SECONDARY, formsPerYear: 2, boysOnly: true, ealRate: 0.35,
    // Seed 000: "in time for registration at 8.40am".
    morningRegistration: "08:40", afternoonRegistration: "13:30",
  },
  {
    slug: "st-james", urn: 123_118, name: "St James CE Primary School", phase: "PRIMARY",
    laCode: 931, trustSlug: "vale-academy-trust", policyPlugin: "academy-st-james",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.12,
    // Seed 001: "Our school day starts at 8.45 a.m."
    morningRegistration: "08:45", afternoonRegistration: "13:15",
  },
  {
    slug: "stanborough", urn: 117_526, name: "Stanborough School", phase: "SECONDARY",
    laCode: 919, trustSlug: "stanborough-school", policyPlugin: "academy-stanborough",
    yearGroups: [...SECONDARY, 12, 13], formsPerYear: 2, boysOnly: false, ealRate: 0.15,
    // Seed 002: "Registration starts: 8.35am".
    morningRegistration: "08:35", afternoonRegistration: "13:40",
  },
  {
    slug: "att-thurrock", urn: 137_902, name: "ATT Thurrock Academy (demo)", phase: "SECONDARY",
    laCode: 883, trustSlug: "academies-transformation-trust", policyPlugin: "academy-att-template",
    yearGroups: SECONDARY, formsPerYear: 2, boysOnly: false, ealRate: 0.18,
    // Seed 003 6.4 and 6.6: morning registration from 8.20am, afternoon from 12.00pm.
    morningRegistration: "08:20", afternoonRegistration: "12:00",
  },
  {
    slug: "staverton", urn: 121_907, name: "Staverton CE Primary School", phase: "PRIMARY",
    laCode: 941, trustSlug: "peterborough-diocese-education-trust", policyPlugin: "academy-staverton",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.08,
    // Seed 004 Appendix A: doors open 8.45, afternoon session 1.00.
    morningRegistration: "08:45", afternoonRegistration: "13:00",
  },
];
