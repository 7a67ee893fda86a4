// Where a webhook may be sent: the rules against server-side request forgery
// (OWASP API Security Top 10 2023, API7:2023 Server Side Request Forgery; OWASP
// SSRF Prevention Cheat Sheet, "Case 2: the application can send requests to
// any external IP address or domain name"). They are applied when a trust
// admin registers an endpoint and again before every delivery, after the name
// is resolved, and the delivery connects to the address that was checked (so a
// name that resolves to a public address at registration and to 169.254.169.254
// later, DNS rebinding, is still refused).
//
// - In production: https only, to a name or address whose every address is
//   public unicast (ipaddr.js `range() === "unicast"`): no loopback, RFC 1918
//   private, link-local (169.254/16, the cloud metadata service), CGNAT
//   (100.64/10), unique-local (fc00::/7), IPv4-mapped/translated IPv6, 6to4,
//   Teredo, multicast, reserved or unspecified addresses.
// - No single-label or internal names (localhost, *.internal, *.svc,
//   *.cluster.local, *.local, …): they name things inside a network.
// - Outside production, loopback (127.0.0.0/8, ::1, localhost) is allowed too,
//   over http or https, for a developer's own receiver.
//
// The WHATWG URL parser already turns odd IPv4 forms (127.1, 2130706433,
// 0x7f.0.0.1) into dotted quads, so they meet the same checks.
import { lookup as dnsLookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/** Every address a name resolves to. */
export type WebhookLookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface WebhookTargetPolicy {
  /** Production: https to public addresses only. Otherwise loopback is allowed as well. */
  production: boolean;
  /** Name resolution (tests inject one); default: the system resolver. */
  lookup?: WebhookLookup;
  /** How long resolution may take (ms). */
  resolveTimeoutMs?: number;
}

/** A target that passed every check, with the address to connect to. */
export interface CheckedTarget {
  url: URL;
  /** The address checked, which the delivery must connect to (not a fresh lookup). */
  address: string;
  family: 4 | 6;
}

export class WebhookTargetError extends Error {}

const UNRESOLVED = "The host name does not resolve to public internet addresses only.";

const INTERNAL_SUFFIXES = [
  "localhost",
  "local",
  "localdomain",
  "internal",
  "intranet",
  "lan",
  "home",
  "corp",
  "private",
  "home.arpa",
  "svc",
  "cluster.local",
  "test",
  "invalid",
  "onion",
];

const systemLookup: WebhookLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The host as an IP address, if it is one. */
function literalAddress(hostname: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (hostname.startsWith("[") && hostname.endsWith("]")) return ipaddr.IPv6.parse(hostname.slice(1, -1));
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) return ipaddr.IPv4.parse(hostname);
  return null;
}

function isLoopback(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.range() === "loopback";
}

/** Why this address may not be reached, or null when it may. */
function addressProblem(address: ipaddr.IPv4 | ipaddr.IPv6, policy: WebhookTargetPolicy): string | null {
  if (address.range() === "unicast") return null;
  if (!policy.production && isLoopback(address)) return null;
  return "Webhooks go to public internet addresses only (not loopback, private, link-local or other internal addresses).";
}

/**
 * The checks that need no network: scheme, name and any literal address.
 * Returns the parsed URL or the problem to show.
 */
export function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: "Not a URL." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { problem: "Use an https:// URL." };
  if (url.username || url.password) return { problem: "Put no credentials in the URL: verify deliveries with the signing secret." };
  const hostname = url.hostname.toLowerCase().replace(/\.$/, "");
  let literal: ipaddr.IPv4 | ipaddr.IPv6 | null;
  try {
    literal = literalAddress(hostname);
  } catch {
    return { problem: "Not a valid address." };
  }
  if (literal) {
    const problem = addressProblem(literal, policy);
    if (problem) return { problem };
    if (url.protocol === "http:" && !isLoopback(literal)) return { problem: "Use https:// (http:// only to this machine, outside production)." };
    return { url };
  }
  const local = hostname === "localhost" || hostname.endsWith(".localhost");
  if (local && !policy.production) return { url };
  if (!hostname.includes(".") || INTERNAL_SUFFIXES.some((suffix) => hostname === suffix || hostname.endsWith(`.${suffix}`))) {
    return { problem: "Use a public host name: internal and single-label names are refused." };
  }
  if (url.protocol === "http:" && policy.production) return { problem: "Use https://." };
  return { url };
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WebhookTargetError(UNRESOLVED)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every check, including the addresses the name resolves to now (all must be
 * allowed). Throws WebhookTargetError with the reason.
 */
export async function resolveWebhookTarget(raw: string, policy: WebhookTargetPolicy): Promise<CheckedTarget> {
  const checked = checkWebhookUrl(raw, policy);
  if ("problem" in checked) throw new WebhookTargetError(checked.problem);
  const { url } = checked;
  const hostname = url.hostname.toLowerCase().replace(/\.$/, "");
  const literal = literalAddress(hostname);
  let addresses: (ipaddr.IPv4 | ipaddr.IPv6)[];
  if (literal) addresses = [literal];
  else {
    // One answer whether the name is unknown, slow, or resolves inside the
    // network: otherwise the answer would map internal DNS for the caller.
    try {
      const found = await withTimeout((policy.lookup ?? systemLookup)(hostname), policy.resolveTimeoutMs ?? 5_000);
      addresses = found.map((a) => ipaddr.parse(a.address));
    } catch {
      addresses = [];
    }
    if (addresses.length === 0 || addresses.some((a) => addressProblem(a, policy))) throw new WebhookTargetError(UNRESOLVED);
  }
  for (const address of addresses) {
    const problem = addressProblem(address, policy);
    if (problem) throw new WebhookTargetError(problem);
  }
  // Plain http only when every address is this machine's (outside production).
  if (url.protocol === "http:" && !addresses.every(isLoopback)) throw new WebhookTargetError("Use https:// (http:// only to this machine, outside production).");
  const chosen = addresses[0]!;
  return { url, address: chosen.toString(), family: chosen.kind() === "ipv6" ? 6 : 4 };
}
