// Outbound webhooks for third-party front ends: a trust admin registers an
// endpoint for some events; each delivery is signed (Standard Webhooks:
// webhook-id, webhook-timestamp and an HMAC-SHA256 webhook-signature with the
// endpoint's secret), retried with backoff and logged
// (packages/server/src/webhooks). Deliveries are written in the transaction
// of what caused them (workflows/events.ts) and sent afterwards.
import { randomBytes } from "node:crypto";
import { canInTrust } from "@attendance/core";
import { builder } from "../builder.ts";
import { badInput, forbidden, type InputProblem } from "../errors.ts";
import { WEBHOOK_EVENTS, type WebhookEvent } from "../workflows/events.ts";
import { resolveWebhookTarget, WebhookTargetError } from "../webhook-targets.ts";

const EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];
const enumName = (e: WebhookEvent) => e.replace(/[.]/g, "_").toUpperCase();

const WebhookEventEnum = builder.enumType("WebhookEvent", {
  description: "An event a webhook endpoint can subscribe to.",
  values: Object.fromEntries(EVENT_NAMES.map((e) => [enumName(e), { value: e, description: `${e}: ${WEBHOOK_EVENTS[e]}` }])) as Record<
    string,
    { value: WebhookEvent; description: string }
  >,
});

const DeliveryStatusEnum = builder.enumType("WebhookDeliveryStatus", {
  description: "Where a delivery stands.",
  values: {
    PENDING: { description: "Not yet delivered: sent or retried at nextAttemptAt." },
    DELIVERED: { description: "The endpoint answered 2xx." },
    FAILED: { description: "Given up after the last retry." },
  },
});

const scope = (trustId: string) => ({ trust: { trustId, capability: "manageWebhooks" as const } });

builder.prismaObject("WebhookDelivery", {
  description: "One event sent (or to be sent) to one endpoint, and how the last attempt went.",
  // Reachable only through its endpoint, whose scope is manageWebhooks in the trust.
  authScopes: { authenticated: true },
  fields: (t) => ({
    event: t.exposeString("event", { description: "The event's name, e.g. \"case_action.created\"." }),
    payload: t.expose("payload", { type: "JSON", description: "The JSON body sent." }),
    status: t.expose("status", { type: DeliveryStatusEnum, description: "Where it stands." }),
    attempts: t.exposeInt("attempts", { description: "Attempts so far." }),
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", description: "When it will next be tried, if pending." }),
    lastStatus: t.exposeInt("lastStatus", { nullable: true, description: "The HTTP status of the last attempt." }),
    lastError: t.exposeString("lastError", { nullable: true, description: "What went wrong on the last attempt." }),
    deliveredAt: t.expose("deliveredAt", { type: "DateTime", nullable: true, description: "When it was delivered." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was queued." }),
  }),
});

const EndpointNode = builder.prismaNode("WebhookEndpoint", {
  id: { field: "id" },
  description: "An HTTPS endpoint of a third-party front end that receives the trust's events (the secret is shown once, at registration).",
  authScopes: (e) => scope(e.trustId),
  fields: (t) => ({
    url: t.exposeString("url", { description: "Where events are POSTed." }),
    events: t.field({ type: [WebhookEventEnum], description: "The events it receives.", resolve: (e) => e.events as WebhookEvent[] }),
    active: t.exposeBoolean("active", { description: "Whether events are still sent to it." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was registered." }),
    deliveries: t.relatedConnection("deliveries", {
      description: "Its deliveries, newest first.",
      cursor: "id",
      totalCount: true,
      args: { status: t.arg({ type: DeliveryStatusEnum, required: false, description: "Only this status." }) },
      query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: [{ createdAt: "desc" }, { id: "asc" }] }),
    }),
  }),
});

builder.prismaObjectField("Trust", "webhooks", (t) =>
  t.relation("webhooks", {
    description: "The trust's webhook endpoints. Trust admins only: null, with FORBIDDEN, for others.",
    nullable: true,
    authScopes: (trust) => scope(trust.id),
    query: { orderBy: [{ createdAt: "desc" }, { id: "asc" }] },
  }),
);

const RegisteredWebhook = builder.objectRef<{ secret: string; endpoint: typeof EndpointNode.$inferType }>("RegisteredWebhook");
RegisteredWebhook.implement({
  description: "A new endpoint and its signing secret, shown here once.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    secret: t.exposeString("secret", { description: "The signing secret (Standard Webhooks, whsec_…): verify each delivery's webhook-signature with it." }),
    endpoint: t.field({ type: EndpointNode, description: "The endpoint.", resolve: (r) => r.endpoint }),
  }),
});

builder.mutationFields((t) => ({
  registerWebhook: t.field({
    type: RegisteredWebhook,
    description: "Registers an endpoint for some of the trust's events. Trust admins only.",
    args: {
      input: t.arg({
        type: builder.inputType("RegisterWebhookInput", {
          description: "The endpoint.",
          fields: (f) => ({
            trustSlug: f.string({ required: true, description: "The trust's slug." }),
            url: f.string({ required: true, description: "An https:// URL whose host is public (never loopback, private, link-local or internal names); outside production also http:// to this machine." }),
            events: f.field({ type: [WebhookEventEnum], required: true, description: "The events to send." }),
          }),
        }),
        required: true,
        description: "The endpoint.",
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const trust = await ctx.prisma.trust.findUnique({ where: { slug: input.trustSlug }, select: { id: true } });
      if (!trust || !canInTrust(ctx.actor, "manageWebhooks", trust.id)) throw forbidden("You may not manage this trust's webhooks.", { trustCapability: "manageWebhooks" });
      const problems: InputProblem[] = [];
      // SSRF rules (webhook-targets.ts): checked here, with the name resolved, and again before every delivery.
      let url: URL | null = null;
      try {
        url = (await resolveWebhookTarget(input.url, ctx.webhookTargets ?? { production: true })).url;
      } catch (error) {
        if (!(error instanceof WebhookTargetError)) throw error;
        problems.push({ field: "url", message: error.message });
      }
      if (input.events.length === 0) problems.push({ field: "events", message: "Choose at least one event." });
      if (problems.length > 0) throw badInput("The webhook was not registered.", problems);
      const secret = `whsec_${randomBytes(24).toString("base64")}`;
      const endpoint = await ctx.prisma.webhookEndpoint.create({
        data: { trustId: trust.id, url: url!.toString(), secret, events: [...new Set(input.events)], createdById: ctx.actor!.kind === "user" ? ctx.actor!.id : null },
      });
      return { secret, endpoint };
    },
  }),

  deactivateWebhook: t.prismaField({
    type: "WebhookEndpoint",
    description: "Stops sending events to an endpoint; pending deliveries to it are not sent. Trust admins only.",
    args: { id: t.arg.globalID({ required: true, description: "The endpoint." }) },
    resolve: async (query, _root, args, ctx) => {
      const endpoint = args.id.typename === "WebhookEndpoint" ? await ctx.prisma.webhookEndpoint.findUnique({ where: { id: args.id.id } }) : null;
      if (!endpoint || !canInTrust(ctx.actor, "manageWebhooks", endpoint.trustId)) throw forbidden("You may not manage this trust's webhooks.", { trustCapability: "manageWebhooks" });
      return ctx.prisma.webhookEndpoint.update({ ...query, where: { id: endpoint.id }, data: { active: false } });
    },
  }),
}));
