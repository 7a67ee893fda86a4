// Webhook targets against server-side request forgery (issue 13, item 7;
// OWASP API7:2023): in production https to public addresses only, checked at
// registration and again at every send after resolving the name, the
// connection pinned to the checked address, no redirect followed, and every
// network failure recorded alike. Name resolution is injected: no real DNS.
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { checkWebhookUrl, type WebhookLookup } from "@attendance/schema";
import { DEMO_JWT_SECRET } from "@attendance/server";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const REGISTER = `mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) { endpoint { id url } } }`;
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

/** Names the tests resolve, changeable mid-test (DNS rebinding). */
const dns = new Map<string, string[]>();
const lookup: WebhookLookup = async (hostname) => {
  const addresses = dns.get(hostname);
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

/** Internal targets an attacker would aim at, in the forms the audit used. */
const INTERNAL = [
  "https://127.0.0.1/x",
  "https://127.1/x",
  "https://2130706433/x",
  "https://0x7f.0.0.1/x",
  "https://[::1]/x",
  "https://[::ffff:127.0.0.1]/x",
  "https://[::ffff:a9fe:a9fe]/x",
  "https://169.254.169.254/latest/meta-data/",
  "https://10.0.0.1/x",
  "https://172.16.5.4/x",
  "https://192.168.1.1/x",
  "https://100.64.0.1/x",
  "https://0.0.0.0/x",
  "https://[fd00::1]/x",
  "https://[fe80::1]/x",
  "https://localhost/x",
  "https://kubernetes.default.svc/x",
  "https://api.default.svc.cluster.local/x",
  "https://metadata.google.internal/x",
  "https://intranet/x",
  "https://metadata.partner.example/x",
  "https://private.partner.example/x",
  "http://hooks.partner.example/x",
  "ftp://hooks.partner.example/x",
];

describe("webhook target rules (no network)", () => {
  it("allows https to public names and addresses, and loopback only outside production", () => {
    for (const raw of ["https://hooks.partner.example/x", "https://93.184.215.14/x", "https://[2606:2800:220:1:248:1893:25c8:1946]/x"]) {
      expect(checkWebhookUrl(raw, { production: true }), raw).toHaveProperty("url");
    }
    for (const raw of ["http://127.0.0.1:8080/x", "http://localhost:8080/x", "http://[::1]:8080/x"]) {
      expect(checkWebhookUrl(raw, { production: true }), raw).toHaveProperty("problem");
      expect(checkWebhookUrl(raw, { production: false }), raw).toHaveProperty("url");
    }
    for (const raw of ["https://10.0.0.1/x", "https://169.254.169.254/x", "http://93.184.215.14/x", "https://kubernetes.default.svc/x"]) {
      expect(checkWebhookUrl(raw, { production: false }), raw).toHaveProperty("problem");
    }
  });
});

describe.each(availableBackends())("webhook targets on %s", (kind) => {
  describe("in production", () => {
    let t: TestServer;
    let admin: Credentials;
    let trustSlug: string;

    beforeAll(async () => {
      dns.set("hooks.partner.example", ["93.184.215.14"]);
      dns.set("rebind.partner.example", ["93.184.215.14"]);
      dns.set("metadata.partner.example", ["169.254.169.254"]);
      dns.set("private.partner.example", ["93.184.215.14", "10.1.2.3"]);
      t = await startTestServer(kind, { demo: { pupilsPerForm: 1, weeks: 1 }, env: { NODE_ENV: "production", JWT_SECRET: DEMO_JWT_SECRET }, webhookLookup: lookup });
      admin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: "Peterborough" });
      trustSlug = (await t.db.prisma.trust.findFirstOrThrow({ where: { name: { contains: "Peterborough" } } })).slug;
    });
    afterAll(() => t?.close());

    it("refuses every internal, loopback, metadata or plain-http target with BAD_USER_INPUT and stores none", async () => {
      for (const url of INTERNAL) {
        const res = await t.graphql(REGISTER, { input: { trustSlug, url, events: ["CASE_ACTION_CREATED"] } }, admin.headers);
        expect(codes(res), url).toEqual(["BAD_USER_INPUT"]);
        expect((res.errors![0]!.extensions!.problems as { field: string }[])[0]!.field, url).toBe("url");
      }
      expect(await t.db.prisma.webhookEndpoint.count()).toBe(0);
      // An unknown name and a name that resolves inside the network get the same answer (no map of internal DNS).
      const problems = async (url: string) =>
        ((await t.graphql(REGISTER, { input: { trustSlug, url, events: ["CASE_ACTION_CREATED"] } }, admin.headers)).errors![0]!.extensions!.problems as { message: string }[])[0]!.message;
      expect(await problems("https://nowhere.partner.example/x")).toBe(await problems("https://metadata.partner.example/x"));
      const ok = await t.graphql(REGISTER, { input: { trustSlug, url: "https://hooks.partner.example/x", events: ["CASE_ACTION_CREATED"] } }, admin.headers);
      expect(ok.errors).toBeUndefined();
    });

    it("checks the name again at each send: a name rebound to loopback is refused without connecting", async () => {
      const res = await t.graphql(REGISTER, { input: { trustSlug, url: "https://rebind.partner.example/x", events: ["CASE_ACTION_CREATED"] } }, admin.headers);
      expect(res.errors).toBeUndefined();
      const endpoint = await t.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { url: "https://rebind.partner.example/x" } });
      dns.set("rebind.partner.example", ["127.0.0.1"]);
      const delivery = await t.db.prisma.webhookDelivery.create({ data: { endpointId: endpoint.id, event: "case_action.created", payload: { test: true } } });
      await t.server.webhooks.drain();
      const after = await t.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
      expect(after.status).toBe("PENDING");
      expect(after.lastStatus).toBeNull();
      expect(after.lastError).toBe("delivery failed: The host name does not resolve to public internet addresses only.");
    });
  });

  describe("outside production", () => {
    let t: TestServer;
    let admin: Credentials;
    let trustSlug: string;
    const servers: (Server | TcpServer)[] = [];
    const sockets: Socket[] = [];

    async function listen<S extends Server | TcpServer>(server: S): Promise<number> {
      servers.push(server);
      server.on("connection", (socket: Socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return (server.address() as AddressInfo).port;
    }

    /** Registers `url`, queues one delivery to it, sends it, and returns the delivery afterwards. */
    async function deliverTo(url: string) {
      const res = await t.graphql(REGISTER, { input: { trustSlug, url, events: ["CASE_ACTION_CREATED"] } }, admin.headers);
      expect(res.errors, url).toBeUndefined();
      const endpoint = await t.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { url } });
      const delivery = await t.db.prisma.webhookDelivery.create({ data: { endpointId: endpoint.id, event: "case_action.created", payload: { test: true } } });
      await t.server.webhooks.drain();
      await t.db.prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { active: false } });
      return t.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    }

    beforeAll(async () => {
      t = await startTestServer(kind, { demo: { pupilsPerForm: 1, weeks: 1 }, env: { NODE_ENV: "development" }, webhookLookup: lookup, webhooks: { timeoutMs: 500 } });
      admin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: "Peterborough" });
      trustSlug = (await t.db.prisma.trust.findFirstOrThrow({ where: { name: { contains: "Peterborough" } } })).slug;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      await t?.close();
    });

    it("still refuses private, metadata and internal targets, and http beyond this machine", async () => {
      for (const url of ["https://10.0.0.1/x", "https://169.254.169.254/x", "https://metadata.partner.example/x", "http://hooks.partner.example/x", "https://kubernetes.default.svc/x"]) {
        expect(codes(await t.graphql(REGISTER, { input: { trustSlug, url, events: ["CASE_ACTION_CREATED"] } }, admin.headers)), url).toEqual(["BAD_USER_INPUT"]);
      }
    });

    it("connects to the address it checked, and follows no redirect", async () => {
      const received: IncomingHttpHeaders[] = [];
      const inside: string[] = [];
      const internal = await listen(createHttpServer((req, res) => (inside.push(req.url!), res.end())));
      const port = await listen(
        createHttpServer((req, res) => {
          received.push(req.headers);
          res.writeHead(302, { location: `http://127.0.0.1:${internal}/admin` }).end();
        }),
      );
      dns.set("hooks.dev.example", ["127.0.0.1"]);
      const delivery = await deliverTo(`http://hooks.dev.example:${port}/hooks`);
      expect(received).toHaveLength(1);
      expect(received[0]!.host).toBe(`hooks.dev.example:${port}`);
      expect(delivery.lastStatus).toBe(302);
      expect(delivery.status).not.toBe("DELIVERED");
      expect(inside).toEqual([]);
    });

    it("reports a closed port, a silent (filtered-like) port and a non-HTTP service alike", async () => {
      const closed = await listen(createTcpServer());
      await new Promise((resolve) => servers.pop()!.close(resolve));
      const silent = await listen(createTcpServer(() => {}));
      const notHttp = await listen(createTcpServer((socket) => socket.end("SSH-2.0-OpenSSH_9.6\r\n")));
      const results = [];
      for (const port of [closed, silent, notHttp]) results.push(await deliverTo(`http://127.0.0.1:${port}/x`));
      expect(results.map((d) => [d.lastStatus, d.lastError])).toEqual([
        [null, "delivery failed"],
        [null, "delivery failed"],
        [null, "delivery failed"],
      ]);
    });
  });
});
