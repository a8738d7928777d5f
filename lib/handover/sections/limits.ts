/** Known limits: the Cloudflare plan, rate limits, caching, HTTPS settings. */
import type { DomainMap } from "../../domain-map";
import { blocks, bullets, code, heading, humanSeconds, table } from "../markdown";
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
    "Counted per visitor IP at Cloudflare. A visitor over the limit is stopped as the last column says.",
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
    table(["Caching", "Paths"], rows),
    `Everything else follows the caching headers the app sends. After a deploy, Vercel serves new files at new names; if an old file is stuck, purge it in Cloudflare (Caching, Configuration, Purge).`,
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

export function limitsSection(map: DomainMap): string {
  const notes = map.edge.notes.length ? bullets(map.edge.notes) : "The stack noted no other limits.";
  return blocks(
    heading(2, "Known limits"),
    heading(3, "Plan and platform limits"),
    `Cloudflare plan: ${planName(map)}. What that and the other platforms limit, as the stack noted when it was planned:`,
    notes,
    heading(3, "Rate limits"),
    rateLimitTable(map),
    heading(3, "Caching"),
    cacheTable(map),
    heading(3, "HTTPS"),
    bullets(httpsFacts(map)),
    heading(3, "API access from browsers (CORS)"),
    map.apiCorsOrigins.length
      ? `The API accepts browser calls only from ${map.apiCorsOrigins.map(code).join(", ")}.`
      : "No browser origin is allowed to call the API.",
  );
}
