// What browsers are told: which other sites may call the API (CORS), and a
// Content Security Policy for the GraphiQL page.
//
// CORS (OWASP API8:2023 Security Misconfiguration; OWASP HTML5 Security Cheat
// Sheet, "Cross Origin Resource Sharing"): only the origins in CORS_ORIGINS
// are answered with Access-Control-Allow-Origin, never a reflection of
// whatever Origin arrives, and never with Allow-Credentials: the API takes
// bearer tokens and keys in headers, not cookies.
//
// GraphiQL is served from this server (@graphql-yoga/render-graphiql bundles
// its scripts and styles into the page: no CDN is trusted), under a CSP (OWASP
// Content Security Policy Cheat Sheet) that lets only that page's own inline
// script run (by its SHA-256), its editor workers from blob: URLs, and
// requests go back to this origin only.
import { createHash } from "node:crypto";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { GraphiQLOptions, Plugin } from "graphql-yoga";

/** The headers a browser front end may send (credentials, academy, CSRF guard). */
const ALLOWED_HEADERS = ["authorization", "content-type", "accept", "x-api-key", "x-academy-urn", "x-graphql-yoga-csrf"];

/** yoga's `cors` option: the allow-list, nothing reflected. */
export function corsFor(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get("origin");
    if (!origin || !allowed.has(origin)) return false as const;
    return { origin, methods: ["GET", "POST"], allowedHeaders: ALLOWED_HEADERS, credentials: false, maxAge: 600 };
  };
}

/** The CSP for a page whose inline scripts are exactly these. */
function policyFor(scripts: string[]): string {
  const hashes = scripts.map((s) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    "worker-src blob:",
    // The editor (Monaco) sets styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The GraphiQL page (rendered once) and its CSP. */
export function graphiqlPage(options: GraphiQLOptions): { html: string; csp: string } {
  const html = renderGraphiQL(options);
  // The page's one script element: after the root element, to the last </script>
  // (the bundle inside it holds "<script>" in strings, so no tag-matching regex).
  const open = html.indexOf("<script>", html.indexOf('<div id="root"></div>')) + "<script>".length;
  const close = html.lastIndexOf("</script>");
  return { html, csp: policyFor([html.slice(open, close)]) };
}

/** Sends the CSP and other browser hardening headers with the GraphiQL page. */
export function useGraphiQLHeaders(cspOf: () => string | undefined): Plugin {
  return {
    onResponse({ response }) {
      const csp = cspOf();
      if (!csp || !response.headers.get("content-type")?.includes("text/html")) return;
      response.headers.set("content-security-policy", csp);
      response.headers.set("x-content-type-options", "nosniff");
      response.headers.set("referrer-policy", "no-referrer");
      response.headers.set("x-frame-options", "DENY");
    },
  };
}
