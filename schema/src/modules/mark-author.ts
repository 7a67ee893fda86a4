// Who recorded each version of a mark, in what position (issue 14, item 6).
// Seed 003 (ATT), Appendix 1 §2.2: "Any amendment to the attendance register
// will include: ... The name and position of the person who made the
// amendment"; SI 2024/208, reg. 5, keeps the original entry with the
// amendment. The position is recorded with the version when it is written (a
// database trigger reads the author's role assignments then), so a later change
// of role or name never rewrites the register.
import { builder } from "../builder.ts";

const ROLE_LABELS = {
  TRUST_ADMIN: "Trust admin",
  TRUST_ATTENDANCE_LEAD: "Trust attendance lead",
  HEADTEACHER: "Headteacher",
  ACADEMY_ADMIN: "Academy admin",
  ATTENDANCE_OFFICER: "Attendance officer",
  TEACHER: "Teacher",
  API_CLIENT: "API client",
} as const;
type AuthorRole = keyof typeof ROLE_LABELS;

const MarkAuthorRoleEnum = builder.enumType("MarkAuthorRole", {
  description: "The position in which a version of a mark was recorded: the author's role then, or an API client.",
  values: {
    TRUST_ADMIN: { description: "A trust admin." },
    TRUST_ATTENDANCE_LEAD: { description: "A trust attendance lead." },
    HEADTEACHER: { description: "The academy's headteacher." },
    ACADEMY_ADMIN: { description: "An academy admin." },
    ATTENDANCE_OFFICER: { description: "An attendance officer." },
    TEACHER: { description: "A teacher (a form tutor)." },
    API_CLIENT: { description: "An API client (e.g. an MIS sync), named in recordedBy." },
  },
});

const isRole = (role: string | null): role is AuthorRole => role !== null && role in ROLE_LABELS;

builder.prismaObjectFields("Mark", (t) => ({
  recordedByRole: t.field({
    type: MarkAuthorRoleEnum,
    nullable: true,
    description: "The author's role when this version was recorded, in the mark's academy or trust-wide (null for entries loaded without an author).",
    select: { recordedByRole: true },
    resolve: (mark) => (isRole(mark.recordedByRole) ? mark.recordedByRole : null),
  }),
  recordedByPosition: t.string({
    nullable: true,
    description:
      "The author's position in words, as seed 003 (Appendix 1 §2.2) asks of every amendment: e.g. \"Attendance officer, <academy>\", \"Trust attendance lead, <trust>\", or \"API client\".",
    select: { recordedByRole: true, recordedByAcademyId: true, academy: { select: { name: true, trust: { select: { name: true } } } } },
    resolve: (mark) => {
      if (!isRole(mark.recordedByRole)) return null;
      const label = ROLE_LABELS[mark.recordedByRole];
      if (mark.recordedByRole === "API_CLIENT") return label;
      return mark.recordedByAcademyId === null ? `${label}, ${mark.academy.trust.name}` : `${label}, ${mark.academy.name}`;
    },
  }),
  recordedByAcademy: t.relation("recordedByAcademy", {
    nullable: true,
    description: "The academy in which the author held the role (null for a trust-wide role or an API client).",
  }),
}));
