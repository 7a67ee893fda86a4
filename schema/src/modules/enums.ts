// GraphQL enums mirroring the database's, each value described.
import { AttendanceCategory, Gender, Phase, SenProvision, Session } from "@attendance/db";
import { builder } from "../builder.ts";

export const PhaseEnum = builder.enumType(Phase, {
  name: "Phase",
  description: "The phase of education an academy provides (Get Information About Schools).",
  values: {
    NURSERY: { description: "Nursery school." },
    PRIMARY: { description: "Primary: Reception to Year 6." },
    MIDDLE: { description: "Middle school, deemed primary or secondary." },
    SECONDARY: { description: "Secondary: Year 7 to Year 11, perhaps with a sixth form." },
    ALL_THROUGH: { description: "All-through: primary and secondary in one school." },
    SPECIAL: { description: "Special school." },
    ALTERNATIVE_PROVISION: { description: "Alternative provision." },
    SIXTH_FORM: { description: "Sixth-form only (16–19)." },
  },
});

export const GenderEnum = builder.enumType(Gender, {
  name: "Gender",
  description: "Gender as recorded for the school census.",
  values: {
    FEMALE: { description: "Female." },
    MALE: { description: "Male." },
    OTHER: { description: "Not recorded as female or male." },
  },
});

export const SenProvisionEnum = builder.enumType(SenProvision, {
  name: "SenProvision",
  description: "Special educational needs provision, as in the school census.",
  values: {
    NONE: { description: "No special educational needs provision." },
    SEN_SUPPORT: { description: "SEN support, without an education, health and care plan (census code K)." },
    EHCP: { description: "An education, health and care plan (census code E)." },
  },
});

export const SessionEnum = builder.enumType(Session, {
  name: "Session",
  description: "A half-day session: each school day has two.",
  values: {
    AM: { description: "The morning session." },
    PM: { description: "The afternoon session." },
  },
});

export const AttendanceCategoryEnum = builder.enumType(AttendanceCategory, {
  name: "AttendanceCategory",
  description: "How the Department for Education counts a code.",
  values: {
    PRESENT: { description: "Present: /, \\ or L." },
    APPROVED_ACTIVITY: { description: "Attending an approved educational activity: counts as attending." },
    AUTHORISED_ABSENCE: { description: "Authorised absence." },
    UNAUTHORISED_ABSENCE: { description: "Unauthorised absence (including U, arrived after the register closed)." },
    NOT_POSSIBLE: { description: "Not counted as a possible session." },
  },
});
