/**
 * A loopback HTTP server answering like Cloudflare's API v4 for the calls `npm run adopt`
 * makes. Bodies follow the published API reference's shapes and examples: the v4 envelope
 * ({ success, errors, messages, result, result_info }), a DNS record's fields (id, name, type,
 * content, proxiable, proxied, ttl, settings, meta, comment, tags, created_on, modified_on),
 * an entrypoint ruleset (id, name, kind, phase, version, rules with ref/expression/action),
 * a zone setting (id, value, editable, modified_on), the zone (id, name, status, plan with
 * legacy_id, as Zone Details documents it), and error bodies such as
 * { code: 10000, message: "Authentication error" }.
 */
import * as http from "http";

export interface ApiZone {
  zoneId: string;
  /** The zone's name (GET /zones/:id), default acmechat.dev. */
  name?: string;
  /** The zone's plan as the API names it: legacy_id free, pro, business or enterprise (default free). */
  plan?: "free" | "pro" | "business" | "enterprise";
  /** The account that owns the zone (default 023e105f4ecef8ad9ca31a8372d0c353, the API reference's example). */
  accountId?: string;
  /** "active", or "pending" until the registrar points at the zone's name servers (default active). */
  status?: "active" | "pending";
  records: Array<Record<string, unknown>>;
  rulesets?: Record<string, { id: string; name?: string; rules: Array<Record<string, unknown>> }>;
  settings?: Record<string, unknown>;
}

export interface Scenario {
  /** The token the server accepts; anything else is a 401. */
  token: string;
  /** Requests answered 429 with this Retry-After (seconds) before the real answer: path prefix -> count. */
  rateLimited?: { path: string; times: number; retryAfter: number };
  /** Paths answered 403 (the token lacks the permission). */
  forbidden?: string[];
}

export interface ApiServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

const NOW = "2026-11-01T10:00:00.000000Z";

function envelope(result: unknown, resultInfo?: Record<string, number>) {
  return { success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) };
}
function failure(code: number, message: string) {
  return { success: false, errors: [{ code, message }], messages: [], result: null };
}

/** The zone as Zone Details and List Zones return it (plan with legacy_id, account, status, name servers). */
function zoneBody(zone: ApiZone) {
  const legacy = zone.plan ?? "free";
  const planNames = { free: "Free Website", pro: "Pro Website", business: "Business Website", enterprise: "Enterprise Website" };
  return {
    id: zone.zoneId,
    name: zone.name ?? "acmechat.dev",
    status: zone.status ?? "active",
    paused: false,
    type: "full",
    development_mode: 0,
    name_servers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: NOW,
    modified_on: NOW,
    activated_on: zone.status === "pending" ? null : NOW,
    meta: { step: 4, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    owner: { id: null, type: "user", email: null },
    account: { id: zone.accountId ?? "023e105f4ecef8ad9ca31a8372d0c353", name: "Founder's account" },
    permissions: ["#zone:read"],
    plan: {
      id: `${legacy}-plan-id`,
      name: planNames[legacy],
      price: 0,
      currency: "USD",
      frequency: "",
      is_subscribed: true,
      can_subscribe: false,
      legacy_id: legacy,
      legacy_discount: false,
      externally_managed: false,
    },
  };
}

export async function startCloudflareApi(zone: ApiZone, scenario: Scenario): Promise<ApiServer> {
  const requests: string[] = [];
  let limited = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${scenario.token}`) return send(401, failure(10000, "Authentication error"));
    const rl = scenario.rateLimited;
    if (rl && url.pathname.startsWith(rl.path) && limited < rl.times) {
      limited++;
      return send(429, failure(971, "Please wait and consider throttling your request speed"), { "retry-after": String(rl.retryAfter) });
    }
    if (scenario.forbidden?.some((p) => url.pathname.startsWith(p))) return send(403, failure(10000, "Authentication error"));
    if (url.pathname === "/client/v4/zones") {
      // List Zones: ?name= filters by exact name (the default "equal" operator); paginated as v4 lists are.
      const name = url.searchParams.get("name");
      const page = Number(url.searchParams.get("page") ?? 1);
      const perPage = Number(url.searchParams.get("per_page") ?? 20);
      const all = name === null || name === (zone.name ?? "acmechat.dev") ? [zoneBody(zone)] : [];
      const slice = all.slice((page - 1) * perPage, page * perPage);
      return send(
        200,
        envelope(slice, { page, per_page: perPage, count: slice.length, total_count: all.length, total_pages: Math.max(1, Math.ceil(all.length / perPage)) }),
      );
    }
    const base = `/client/v4/zones/${zone.zoneId}`;
    if (!url.pathname.startsWith(base)) return send(404, failure(7003, "Could not route to /zones/..., perhaps your object identifier is invalid?"));
    const rest = url.pathname.slice(base.length);
    if (rest === "") return send(200, envelope(zoneBody(zone)));
    if (rest === "/dns_records") {
      const page = Number(url.searchParams.get("page") ?? 1);
      const perPage = Number(url.searchParams.get("per_page") ?? 100);
      const slice = zone.records.slice((page - 1) * perPage, page * perPage).map((r) => ({
        proxiable: ["A", "AAAA", "CNAME"].includes(String(r.type)),
        proxied: false,
        ttl: 1,
        settings: {},
        meta: {},
        comment: null,
        tags: [],
        created_on: NOW,
        modified_on: NOW,
        ...r,
      }));
      return send(
        200,
        envelope(slice, {
          page,
          per_page: perPage,
          count: slice.length,
          total_count: zone.records.length,
          total_pages: Math.ceil(zone.records.length / perPage),
        }),
      );
    }
    const phase = /^\/rulesets\/phases\/([a-z_0-9]+)\/entrypoint$/.exec(rest);
    if (phase) {
      const rs = zone.rulesets?.[phase[1]];
      if (!rs) return send(404, failure(10003, "could not find entrypoint ruleset in the zone"));
      return send(
        200,
        envelope({
          id: rs.id,
          name: rs.name ?? "default",
          description: "",
          kind: "zone",
          version: "3",
          last_updated: NOW,
          phase: phase[1],
          rules: rs.rules.map((r, i) => ({ id: `${rs.id.slice(0, 24)}${String(i).padStart(8, "0")}`, version: "1", last_updated: NOW, enabled: true, ...r })),
        }),
      );
    }
    const setting = /^\/settings\/([a-z_0-9]+)$/.exec(rest);
    if (setting) {
      if (!zone.settings || !(setting[1] in zone.settings)) return send(404, failure(1003, "Invalid or missing zone setting"));
      return send(200, envelope({ id: setting[1], value: zone.settings[setting[1]], editable: true, modified_on: NOW }));
    }
    return send(404, failure(7000, "No route for that URI"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
