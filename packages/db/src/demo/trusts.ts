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
  /**
   * Arriving after this (hh:mm) is late (L), and after the register closes it is
   * U: the academy's own AM times, as its policy plugin (plugins/academy-*) reads
   * the seed, so that the demo's late marks agree with the policy that judges them.
   */
  morningLateAfter: string;
  morningRegisterCloses: string;
  afternoonRegistration: string;
  /** Pupils a form, at random between the two (default 25 to 30): the siblings are smaller. */
  pupilsPerForm?: readonly [number, number];
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
  // Seeds 000 and 002 name no trust: each school stands alone in reality. In the
  // demo each leads an invented multi-academy trust with invented siblings (SIBLINGS).
  { slug: "woolwich-polytechnic-school-for-boys", name: "Woolwich Polytechnic School for Boys Trust (demo: invented multi-academy trust)", policyPlugin: null },
  { slug: "vale-academy-trust", name: "Vale Academy Trust", policyPlugin: "trust-vale-academy-trust" },
  { slug: "stanborough-school", name: "Stanborough School Trust (demo: invented multi-academy trust)", policyPlugin: null },
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
    // Seed 000: "in time for registration at 8.40am". It gives no closing time:
    // 30 minutes, the longest statutory guidance expects (Working together to
    // improve school attendance, August 2024), as in the academy's plugin.
    morningRegistration: "08:40", morningLateAfter: "08:40", morningRegisterCloses: "09:10", afternoonRegistration: "13:30",
  },
  {
    slug: "st-james", urn: 123_118, name: "St James CE Primary School", phase: "PRIMARY",
    laCode: 931, trustSlug: "vale-academy-trust", policyPlugin: "academy-st-james",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.12,
    // Seed 001 8.1: "Our school day starts at 8.45 a.m." … "Registers are marked by
    // 9.00 a.m. and your child will receive a late mark (L) if they are not in by
    // that time." … "At 9.30 a.m. the registers will be closed."
    morningRegistration: "08:45", morningLateAfter: "09:00", morningRegisterCloses: "09:30", afternoonRegistration: "13:15",
  },
  {
    slug: "stanborough", urn: 117_526, name: "Stanborough School", phase: "SECONDARY",
    laCode: 919, trustSlug: "stanborough-school", policyPlugin: "academy-stanborough",
    yearGroups: [...SECONDARY, 12, 13], formsPerYear: 2, boysOnly: false, ealRate: 0.15,
    // Seed 002: "Registration starts: 8.35am" … "Registration closes: 9.00am".
    morningRegistration: "08:35", morningLateAfter: "08:35", morningRegisterCloses: "09:00", afternoonRegistration: "13:40",
  },
  {
    slug: "att-thurrock", urn: 137_902, name: "ATT Thurrock Academy (demo)", phase: "SECONDARY",
    laCode: 883, trustSlug: "academies-transformation-trust", policyPlugin: "academy-att-template",
    yearGroups: SECONDARY, formsPerYear: 2, boysOnly: false, ealRate: 0.18,
    // Seed 003 6.4 and 6.6: morning registration from 8.20am ("The register closes
    // at 8.40am"), afternoon from 12.00pm.
    morningRegistration: "08:20", morningLateAfter: "08:20", morningRegisterCloses: "08:40", afternoonRegistration: "12:00",
  },
  {
    slug: "staverton", urn: 121_907, name: "Staverton CE Primary School", phase: "PRIMARY",
    laCode: 941, trustSlug: "peterborough-diocese-education-trust", policyPlugin: "academy-staverton",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.08,
    // Seed 004 Appendix A: registration opens 8.45; "'Late' if they arrive at school
    // after the register has been taken at 8:50. If a child arrives at school after
    // 9:20 am it will be marked as unauthorised." Afternoon session 1.00.
    morningRegistration: "08:45", morningLateAfter: "08:50", morningRegisterCloses: "09:20", afternoonRegistration: "13:00",
  },
];

/**
 * The demo's invented sibling academies: two or three more in each seed
 * academy's trust, so that trust-wide answers (statistics, comparePolicies,
 * a trust lead's lists) have several academies to work over. Names, places,
 * URNs (940xxx: no real school's) and policies are all invented; each one's
 * register times are its plugin's (plugins/academy-demo-*), so that the
 * demo's late marks agree with the policy that judges them. Smaller than the
 * seed academies (one form a year of four or five pupils, 20 to 35 in all), to keep the demo quick
 * to load.
 */
export const SIBLINGS: readonly DemoAcademy[] = [
  {
    slug: "wyvern-brook", urn: 940_101, name: "Wyvern Brook Academy", phase: "SECONDARY",
    laCode: 203, trustSlug: "woolwich-polytechnic-school-for-boys", policyPlugin: "academy-demo-wyvern-brook",
    yearGroups: SECONDARY, formsPerYear: 1, boysOnly: false, ealRate: 0.3, pupilsPerForm: [4, 5],
    morningRegistration: "08:30", morningLateAfter: "08:35", morningRegisterCloses: "08:55", afternoonRegistration: "13:20",
  },
  {
    slug: "yarrowdale", urn: 940_102, name: "Yarrowdale Primary Academy", phase: "PRIMARY",
    laCode: 203, trustSlug: "woolwich-polytechnic-school-for-boys", policyPlugin: "academy-demo-yarrowdale",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.3, pupilsPerForm: [4, 5],
    morningRegistration: "08:50", morningLateAfter: "08:55", morningRegisterCloses: "09:15", afternoonRegistration: "13:05",
  },
  {
    slug: "thornwick", urn: 940_201, name: "Thornwick CE Primary School", phase: "PRIMARY",
    laCode: 931, trustSlug: "vale-academy-trust", policyPlugin: "academy-demo-thornwick",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.1, pupilsPerForm: [4, 5],
    morningRegistration: "08:40", morningLateAfter: "08:45", morningRegisterCloses: "09:05", afternoonRegistration: "13:10",
  },
  {
    slug: "upperhollow", urn: 940_202, name: "Upperhollow Primary Academy", phase: "PRIMARY",
    laCode: 931, trustSlug: "vale-academy-trust", policyPlugin: "academy-demo-upperhollow",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.1, pupilsPerForm: [4, 5],
    morningRegistration: "08:50", morningLateAfter: "08:50", morningRegisterCloses: "09:20", afternoonRegistration: "13:15",
  },
  {
    slug: "wychbourne", urn: 940_203, name: "Wychbourne Academy", phase: "SECONDARY",
    laCode: 931, trustSlug: "vale-academy-trust", policyPlugin: "academy-demo-wychbourne",
    yearGroups: SECONDARY, formsPerYear: 1, boysOnly: false, ealRate: 0.12, pupilsPerForm: [4, 5],
    morningRegistration: "08:25", morningLateAfter: "08:30", morningRegisterCloses: "08:50", afternoonRegistration: "13:35",
  },
  {
    slug: "tarnfield", urn: 940_301, name: "Tarnfield Primary School", phase: "PRIMARY",
    laCode: 919, trustSlug: "stanborough-school", policyPlugin: "academy-demo-tarnfield",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.15, pupilsPerForm: [4, 5],
    morningRegistration: "08:45", morningLateAfter: "08:50", morningRegisterCloses: "09:10", afternoonRegistration: "13:00",
  },
  {
    slug: "wealdmoor", urn: 940_302, name: "Wealdmoor Academy", phase: "SECONDARY",
    laCode: 919, trustSlug: "stanborough-school", policyPlugin: "academy-demo-wealdmoor",
    yearGroups: SECONDARY, formsPerYear: 1, boysOnly: false, ealRate: 0.15, pupilsPerForm: [4, 5],
    morningRegistration: "08:30", morningLateAfter: "08:30", morningRegisterCloses: "08:55", afternoonRegistration: "13:30",
  },
  {
    slug: "greyhollow", urn: 940_401, name: "Greyhollow Academy", phase: "SECONDARY",
    laCode: 883, trustSlug: "academies-transformation-trust", policyPlugin: "academy-demo-greyhollow",
    yearGroups: SECONDARY, formsPerYear: 1, boysOnly: false, ealRate: 0.18, pupilsPerForm: [4, 5],
    morningRegistration: "08:25", morningLateAfter: "08:25", morningRegisterCloses: "08:45", afternoonRegistration: "12:30",
  },
  {
    slug: "tidewell", urn: 940_402, name: "Tidewell Primary Academy", phase: "PRIMARY",
    laCode: 883, trustSlug: "academies-transformation-trust", policyPlugin: "academy-demo-tidewell",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.18, pupilsPerForm: [4, 5],
    morningRegistration: "08:45", morningLateAfter: "08:50", morningRegisterCloses: "09:15", afternoonRegistration: "12:55",
  },
  {
    slug: "thistlecombe", urn: 940_501, name: "Thistlecombe CE Primary School", phase: "PRIMARY",
    laCode: 941, trustSlug: "peterborough-diocese-education-trust", policyPlugin: "academy-demo-thistlecombe",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.08, pupilsPerForm: [4, 5],
    morningRegistration: "08:40", morningLateAfter: "08:45", morningRegisterCloses: "09:05", afternoonRegistration: "12:50",
  },
  {
    slug: "wrenbrook", urn: 940_502, name: "Wrenbrook CE Academy", phase: "PRIMARY",
    laCode: 941, trustSlug: "peterborough-diocese-education-trust", policyPlugin: "academy-demo-wrenbrook",
    yearGroups: PRIMARY, formsPerYear: 1, boysOnly: false, ealRate: 0.08, pupilsPerForm: [4, 5],
    morningRegistration: "08:50", morningLateAfter: "08:55", morningRegisterCloses: "09:20", afternoonRegistration: "13:10",
  },
];

/** Every demo academy: the five seed academies, then their siblings. */
export const ALL_ACADEMIES: readonly DemoAcademy[] = [...ACADEMIES, ...SIBLINGS];
