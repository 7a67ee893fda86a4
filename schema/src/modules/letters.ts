// Letters to parents, rendered from the academy's templates (setting
// "letters.templates": an unknown merge field is refused when the template is
// saved) for one pupil and one parent, to HTML and plain text, and kept; that
// a letter was sent is recorded once. Parents and carers are personal data:
// staff who work cases only.
import { attendanceRate, can, isoDateOf, mergeFieldsIn, percent, pronouns, renderLetter, schoolYearOf, type LetterTemplate, type MergeValues } from "@attendance/core";
import { DateTime } from "luxon";
import { builder } from "../builder.ts";
import { badInput, conflict, forbidden } from "../errors.ts";

builder.prismaNode("Carer", {
  id: { field: "id" },
  description: "A parent or carer of a pupil: letters are addressed to them, and penalty notices go to each parent per child.",
  // Who works cases, and who administers the academy's records (issue 15).
  authScopes: (c) => ({ academyAny: { academyId: c.academyId, capabilities: ["workCases", "administer"] } }),
  fields: (t) => ({
    salutation: t.exposeString("salutation", { description: "How a letter addresses them." }),
    forename: t.exposeString("forename", { description: "Forename." }),
    surname: t.exposeString("surname", { description: "Surname." }),
    addressLines: t.exposeStringList("addressLines", { description: "Postal address, a line per element." }),
    parentalResponsibility: t.exposeBoolean("parentalResponsibility", { description: "Has parental responsibility." }),
    contactOrder: t.exposeInt("contactOrder", { description: "1 for the first contact." }),
  }),
});

builder.prismaObjectFields("Pupil", (t) => ({
  carers: t.relation("carers", {
    description: "The pupil's parents and carers, first contact first. Null, with FORBIDDEN, for staff who neither work cases nor administer the academy.",
    nullable: true,
    authScopes: (pupil) => ({ academyAny: { academyId: pupil.academyId, capabilities: ["workCases", "administer"] } }),
    query: { orderBy: [{ contactOrder: "asc" }, { id: "asc" }] },
  }),
  letters: t.relation("letters", {
    description: "Letters rendered for the pupil, newest first. Null, with FORBIDDEN, for staff who do not work cases.",
    nullable: true,
    authScopes: (pupil) => ({ academy: { academyId: pupil.academyId, capability: "workCases" } }),
    query: { orderBy: [{ renderedAt: "desc" }, { id: "asc" }] },
  }),
}));

const TemplateRef = builder.objectRef<LetterTemplate & { key: string }>("LetterTemplate");
TemplateRef.implement({
  description: "A letter template of the academy's policy (change them with setAcademyPolicy, key \"letters.templates\").",
  authScopes: { authenticated: true },
  fields: (t) => ({
    key: t.exposeString("key", { description: "What renderLetter is given." }),
    title: t.exposeString("title", { description: "The title, with merge fields." }),
    body: t.exposeString("body", { description: "The text, with merge fields as «name»; paragraphs separated by blank lines." }),
    mergeFields: t.stringList({ description: "The merge fields it uses.", resolve: (tpl) => mergeFieldsIn(`${tpl.title}\n${tpl.body}`) }),
  }),
});

builder.prismaObjectFields("Academy", (t) => ({
  letterTemplates: t.field({
    type: [TemplateRef],
    description: "The academy's letter templates in force on a date (default today).",
    authScopes: (academy) => ({ academy: { academyId: academy.id, capability: "workCases" } }),
    nullable: true,
    args: { date: t.arg({ type: "Date", required: false, description: "The date (default: today)." }) },
    resolve: async (academy, args, ctx) => {
      const templates = (await ctx.loaders.policy.load({ academyId: academy.id, date: isoDateOf(args.date ?? new Date()) })).view.get("letters.templates") ?? {};
      return Object.entries(templates).map(([key, tpl]) => ({ key, ...tpl }));
    },
  }),
}));

builder.prismaNode("Letter", {
  id: { field: "id" },
  description: "A letter rendered for one pupil's parent, and whether it was sent.",
  authScopes: (l) => ({ academy: { academyId: l.academyId, capability: "workCases" } }),
  fields: (t) => ({
    pupil: t.relation("pupil", { description: "The pupil." }),
    carer: t.relation("carer", { nullable: true, description: "The parent it is addressed to." }),
    templateKey: t.exposeString("templateKey", { description: "The template it was rendered from." }),
    title: t.exposeString("title", { description: "Its title." }),
    html: t.exposeString("html", { description: "The letter as HTML (values escaped)." }),
    text: t.exposeString("text", { description: "The letter as plain text." }),
    renderedAt: t.expose("renderedAt", { type: "DateTime", description: "When it was rendered." }),
    sentAt: t.expose("sentAt", { type: "DateTime", nullable: true, description: "When it was sent (null: not yet)." }),
    sentVia: t.exposeString("sentVia", { nullable: true, description: "How it was sent: POST, EMAIL or APP." }),
  }),
});

const SentVia = builder.enumType("LetterChannel", {
  description: "How a letter went to the parent.",
  values: { POST: { description: "By post." }, EMAIL: { description: "By e-mail." }, APP: { description: "Through the school's app." }, HAND: { description: "By hand." } },
});

builder.mutationFields((t) => ({
  renderLetter: t.prismaField({
    type: "Letter",
    description:
      "Renders one of the academy's templates for a pupil's parent (default: the first contact) and keeps it. BAD_USER_INPUT for an unknown template or a pupil with no parent on record. Staff who work cases only.",
    args: {
      input: t.arg({
        type: builder.inputType("RenderLetterInput", {
          description: "What to render, for whom.",
          fields: (f) => ({
            pupilId: f.globalID({ required: true, description: "The pupil." }),
            templateKey: f.string({ required: true, description: "The template (Academy.letterTemplates)." }),
            carerId: f.globalID({ required: false, description: "The parent (default: the pupil's first contact)." }),
            caseActionId: f.globalID({ required: false, description: "The case action the letter answers, if any." }),
            attendanceAsOf: f.field({ type: "Date", required: false, description: "«attendance_percent» is the pupil's attendance in the school year up to this date (default today)." }),
          }),
        }),
        required: true,
        description: "The letter.",
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const pupil = input.pupilId.typename === "Pupil"
        ? await ctx.prisma.pupil.findUnique({
            where: { id: input.pupilId.id },
            include: { academy: { select: { name: true, timezone: true } }, form: { select: { name: true } }, carers: { orderBy: { contactOrder: "asc" } } },
          })
        : null;
      if (!pupil || !can(ctx.actor, "workCases", pupil.academyId)) throw forbidden("You may not write to this pupil's parents.", { capabilities: ["workCases"] });
      const today = DateTime.now().setZone(pupil.academy.timezone);
      const date = today.toISODate()!;
      const templates = (await ctx.loaders.policy.load({ academyId: pupil.academyId, date })).view.get("letters.templates") ?? {};
      const template = templates[input.templateKey];
      if (!template) {
        throw badInput("No letter was rendered.", [{ field: "templateKey", message: `No template "${input.templateKey}". Known: ${Object.keys(templates).join(", ") || "none"}.` }]);
      }
      const carer = input.carerId ? pupil.carers.find((c) => input.carerId!.typename === "Carer" && c.id === input.carerId!.id) : pupil.carers[0];
      if (!carer) throw badInput("No letter was rendered.", [{ field: input.carerId ? "carerId" : "pupilId", message: "No such parent or carer on record for this pupil." }]);
      let caseActionId: string | null = null;
      if (input.caseActionId) {
        const action = await ctx.prisma.caseAction.findUnique({ where: { id: input.caseActionId.id }, select: { pupilId: true } });
        if (input.caseActionId.typename !== "CaseAction" || action?.pupilId !== pupil.id) {
          throw badInput("No letter was rendered.", [{ field: "caseActionId", message: "Not a case action of this pupil." }]);
        }
        caseActionId = input.caseActionId.id;
      }
      const asOf = input.attendanceAsOf ? isoDateOf(input.attendanceAsOf) : date;
      const [figures] = await ctx.loaders.statistics.load({ kind: "PUPIL", id: pupil.id, from: schoolYearOf(asOf).start, to: asOf, cohort: {}, by: "TOTAL" });
      const rate = figures ? attendanceRate(figures) : null;
      const values: MergeValues = {
        salutation: carer.salutation,
        address_block: [`${carer.forename} ${carer.surname}`, ...carer.addressLines].join("\n"),
        date_of_printing: today.setLocale("en-GB").toFormat("d MMMM yyyy"),
        chosen_forename: pupil.preferredForename ?? pupil.legalForename,
        legal_forename: pupil.legalForename,
        surname: pupil.legalSurname,
        ...pronouns(pupil.gender),
        form_name: pupil.form?.name ?? "",
        year_group: pupil.yearGroup === 0 ? "Reception" : pupil.yearGroup < 0 ? "Nursery" : `Year ${pupil.yearGroup}`,
        academy_name: pupil.academy.name,
        attendance_percent: rate === null ? "" : `${percent(rate)}%`,
      };
      let letter;
      try {
        letter = renderLetter(template, values);
      } catch (error) {
        // A value the pupil's record lacks (e.g. no form): refuse rather than send a blank.
        throw badInput("No letter was rendered.", [{ field: "templateKey", message: (error as Error).message }]);
      }
      return ctx.prisma.letter.create({
        ...query,
        data: {
          academyId: pupil.academyId, pupilId: pupil.id, carerId: carer.id, caseActionId, templateKey: input.templateKey,
          title: letter.title, html: letter.html, text: letter.text, renderedById: ctx.actor!.kind === "user" ? ctx.actor!.id : null,
        },
      });
    },
  }),

  markLetterSent: t.prismaField({
    type: "Letter",
    description: "Records that a letter was sent, and how. CONFLICT if it was already recorded as sent. Staff who work cases only.",
    args: {
      letterId: t.arg.globalID({ required: true, description: "The letter." }),
      via: t.arg({ type: SentVia, required: true, description: "How it was sent." }),
    },
    resolve: async (query, _root, args, ctx) => {
      const letter = args.letterId.typename === "Letter" ? await ctx.prisma.letter.findUnique({ where: { id: args.letterId.id } }) : null;
      if (!letter || !can(ctx.actor, "workCases", letter.academyId)) throw forbidden("You may not send this letter.", { capabilities: ["workCases"] });
      const updated = await ctx.prisma.letter.updateMany({
        where: { id: letter.id, sentAt: null },
        data: { sentAt: new Date(), sentVia: args.via, sentById: ctx.actor!.kind === "user" ? ctx.actor!.id : null },
      });
      if (updated.count === 0) throw conflict("This letter was already recorded as sent.");
      return ctx.prisma.letter.findUniqueOrThrow({ ...query, where: { id: letter.id } });
    },
  }),
}));
