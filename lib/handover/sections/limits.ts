/** Known limits: the Cloudflare plan, rate limits, caching, HTTPS settings. */
import type { DomainMap } from "../../domain-map";
import { blocks, bullets, code, heading, humanSeconds, lead, table } from "../markdown";
import { planName } from "./overview";

const ACTIONS: Record<string, string> = {
  block: "blocked (HTTP 429)",
  managed_challenge: "challenged (a check that people pass and bots do not)",
  challenge: "challenged (an interactive check)",
  js_challenge: "challenged (a JavaScript check)",
  log: "only logged",
};

export function describeAction(action: string): string {
  return ACTIONS[action] ?? action;
}

/** For a stack that does not own the zone's rules: where they are set instead. */
function ownedElsewhere(map: DomainMap, what: string): string {
  return `This stack does not manage the zone's ${what}: the stack that owns ${code(map.zone.name)} sets them (see its handover), and they apply to this stack's hosts too.`;
}

function rateLimitTable(map: DomainMap): string {
  const { rateLimits } = map.edge;
  if (rateLimits.length === 0 && !map.zone.managesZoneSettings) return ownedElsewhere(map, "rate limits");
  if (rateLimits.length === 0) return "No rate limits are set: login, signup and chat endpoints can be hammered. Add them to the stack config.";
  const rows = rateLimits.map((r) => [r.name, r.paths.map(code).join(", "), `${r.requests} per ${humanSeconds(r.periodSeconds)}`, describeAction(r.action)]);
  return blocks(
    "counted per visitor IP at Cloudflare; a visitor over the limit is stopped as the last column says.",
    table(["Rule", "Paths", "Allowed requests", "Over the limit"], rows),
  );
}

function cacheTable(map: DomainMap): string {
  const { cachedPaths, bypassPaths } = map.edge;
  const rows: string[][] = [];
  if (cachedPaths.length) rows.push(["Cached at Cloudflare, long TTL (static files with versioned names)", cachedPaths.map(code).join(", ")]);
  if (bypassPaths.length) rows.push(["Never cached: always fresh, per user (API, login, admin, webhooks)", bypassPaths.map(code).join(", ")]);
  if (rows.length === 0 && !map.zone.managesZoneSettings) return ownedElsewhere(map, "cache rules");
  if (rows.length === 0) return "No cache rules: Cloudflare's defaults apply.";
  return blocks(
    "these paths are cached at Cloudflare or never cached; everything else follows the caching headers the app sends.",
    table(["Caching", "Paths"], rows),
    `After a deploy, Vercel serves new files at new names; if an old file is stuck, purge it in Cloudflare (Caching, Configuration, Purge).`,
  );
}

function httpsFacts(map: DomainMap): string[] {
  const { hsts, minTlsVersion } = map.edge;
  const facts = [
    `HSTS: browsers remember to use HTTPS for ${humanSeconds(hsts.maxAge)}${hsts.includeSubdomains ? ", on every subdomain too" : ""}. A hostname that cannot serve HTTPS will be unreachable for that long.`,
    `Minimum TLS version: ${minTlsVersion}; older clients cannot connect.`,
  ];
  if (hsts.preload)
    facts.push("HSTS preload is on: leaving the browsers' preload list takes months. Do not turn it on for a domain you might serve over plain HTTP.");
  return facts;
}

/** CORS is the app's: the stack sets no CORS header, and `verify` checks the app against this list. */
function corsFacts(map: DomainMap): string {
  const origins = map.apiCorsOrigins.length ? map.apiCorsOrigins.map(code).join(", ") : "no origin";
  const from =
    map.apiCorsOriginsDefaulted === true
      ? `the default, the main site's origin: ${code("site.apiCorsOrigins")} is not set`
      : map.apiCorsOriginsDefaulted === false
        ? `${code("site.apiCorsOrigins")} in ${code(`Pulumi.${map.stack}.yaml`)}`
        : `the stack's ${code("apiCorsOrigins")}`;
  return `The stack sets no CORS header: the app answers browser calls itself. ${code(`npm run verify -- --stack ${map.stack}`)} checks that the API allows ${origins} (from ${from}) and refuses other origins.`;
}

export function limitsSection(map: DomainMap): string {
  return blocks(
    heading(2, "Known limits"),
    map.notes.length
      ? lead(`**Plan and platform limits** (Cloudflare plan: ${planName(map)}), as the stack noted when it was planned:`, bullets(map.notes.map((n) => n.text)))
      : `**Plan and platform limits** (Cloudflare plan: ${planName(map)}): the stack noted none.`,
    `**Rate limits**: ${rateLimitTable(map)}`,
    `**Caching**: ${cacheTable(map)}`,
    `**HTTPS**: ${httpsFacts(map).join(" ")}`,
    `**API access from browsers (CORS)**: ${corsFacts(map)}`,
  );
}
