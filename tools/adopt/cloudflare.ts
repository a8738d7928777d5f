/**
 * Reads what a zone holds through Cloudflare's API v4 with the official `cloudflare` client:
 * every page of DNS records, the entrypoint ruleset of each phase the stack manages, and each
 * zone setting it manages. The client paginates, retries 429s and 5xx after `Retry-After`
 * and times each request out; a wrapped fetch caps how long a Retry-After may make us wait.
 */
import Cloudflare from "cloudflare";
import {
  liveRecordSchema,
  liveRulesetSchema,
  liveSettingSchema,
  liveZoneDetailsSchema,
  liveZoneSummarySchema,
  type LiveZone,
  type LiveZoneSummary,
} from "../../lib/adopt/live";

/**
 * The read permission each call needs, as Cloudflare's API reference lists them ("Accepted
 * Permissions" of Zone Details, List DNS Records, Get Zone Setting, Get a zone entry point ruleset; per phase:
 * https://developers.cloudflare.com/ruleset-engine/basic-operations/add-rule-phase-rulesets/).
 */
export const READ_PERMISSIONS: Record<string, string> = {
  zone: "Zone > Zone > Read",
  dns: "Zone > DNS > Read",
  settings: "Zone > Zone Settings > Read",
  http_request_firewall_custom: "Zone > Zone WAF > Read",
  http_request_firewall_managed: "Zone > Zone WAF > Read",
  http_ratelimit: "Zone > Zone WAF > Read",
  http_request_cache_settings: "Zone > Cache Settings > Read",
  http_request_dynamic_redirect: "Zone > Dynamic URL Redirects > Read",
  http_response_compression: "Zone > Response Compression > Read",
  http_response_headers_transform: "Zone > Transform Rules > Read",
  http_request_late_transform: "Zone > Transform Rules > Read",
};

export class AdoptApiError extends Error {}

export interface ReadZoneOptions {
  token: string;
  zoneId: string;
  phases: readonly string[];
  settingIds: readonly string[];
  /** API base (tests point it at a local server). Default: Cloudflare's. */
  baseURL?: string;
  /** Per request. */
  timeoutMs?: number;
  /** The longest Retry-After honoured before giving up on a rate limit. */
  maxRetryAfterSeconds?: number;
  maxRetries?: number;
  /** DNS records per page (Cloudflare allows up to 5000; 100 keeps each answer small). */
  pageSize?: number;
}

/** A fetch that shortens a 429's Retry-After to the cap, keeping the asked value for the message. */
function cappedFetch(capSeconds: number): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const asked = Number(res.headers.get("retry-after"));
    if (res.status !== 429 || !(asked > capSeconds)) return res;
    const headers = new Headers(res.headers);
    headers.set("retry-after", String(capSeconds));
    headers.set("x-launch-ready-retry-after", String(asked));
    return new Response(await res.arrayBuffer(), { status: res.status, statusText: res.statusText, headers });
  };
}

function explain(err: unknown, what: string, permission: string): never {
  if (err instanceof Cloudflare.AuthenticationError) {
    throw new AdoptApiError(
      `Cloudflare refused the token (401) while reading ${what}: CLOUDFLARE_API_TOKEN is missing, mistyped or revoked. Create a token with ${permission} for this zone.`,
    );
  }
  if (err instanceof Cloudflare.PermissionDeniedError) {
    throw new AdoptApiError(`the token may not read ${what} (403): give it ${permission} for this zone (My Profile > API Tokens > Edit), read-only is enough.`);
  }
  if (err instanceof Cloudflare.RateLimitError) {
    const asked = err.headers?.get("x-launch-ready-retry-after") ?? err.headers?.get("retry-after");
    throw new AdoptApiError(
      `Cloudflare rate-limited the token while reading ${what} (429${asked ? `, retry after ${asked} s` : ""}): wait and run adopt again.`,
    );
  }
  if (err instanceof Cloudflare.APIConnectionTimeoutError)
    throw new AdoptApiError(`no answer from the Cloudflare API in time while reading ${what}: check the connection and run adopt again.`);
  if (err instanceof Cloudflare.APIConnectionError)
    throw new AdoptApiError(`could not reach the Cloudflare API while reading ${what}: ${(err as Error).message}`);
  if (err instanceof Cloudflare.APIError) throw new AdoptApiError(`Cloudflare answered ${err.status} while reading ${what}: ${err.message}`);
  throw err;
}

type ClientOptions = Pick<ReadZoneOptions, "token" | "baseURL" | "timeoutMs" | "maxRetries" | "maxRetryAfterSeconds">;

function clientFor(opts: ClientOptions): Cloudflare {
  return new Cloudflare({
    apiToken: opts.token,
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    timeout: opts.timeoutMs ?? 15_000,
    maxRetries: opts.maxRetries ?? 2,
    fetch: cappedFetch(opts.maxRetryAfterSeconds ?? 20),
  });
}

/**
 * The zone of this name among those the token may read (GET /zones?name=, List Zones:
 * https://developers.cloudflare.com/api/resources/zones/methods/list/), or undefined when there is none:
 * its id, plan, account, status ("pending" until the registrar points at its name servers) and name servers.
 */
export async function findZoneByName(name: string, opts: ClientOptions): Promise<LiveZoneSummary | undefined> {
  try {
    const page = await clientFor(opts).zones.list({ name, per_page: 5 });
    const found = page.result.map((z) => liveZoneSummarySchema.parse(z)).find((z) => z.name === name);
    return found;
  } catch (err) {
    explain(err, `the zone ${name}`, READ_PERMISSIONS.zone);
  }
}

export async function readZone(opts: ReadZoneOptions): Promise<LiveZone> {
  const client = clientFor(opts);
  const zone_id = opts.zoneId;
  let details: LiveZone["details"];
  try {
    details = liveZoneDetailsSchema.parse(await client.zones.get({ zone_id }));
  } catch (err) {
    explain(err, "the zone (its name and plan)", READ_PERMISSIONS.zone);
  }
  const records: LiveZone["records"] = [];
  try {
    for await (const r of client.dns.records.list({ zone_id, per_page: opts.pageSize ?? 100 })) records.push(liveRecordSchema.parse(r));
  } catch (err) {
    explain(err, "the zone's DNS records", READ_PERMISSIONS.dns);
  }
  const rulesets: LiveZone["rulesets"] = {};
  for (const phase of opts.phases) {
    try {
      rulesets[phase] = liveRulesetSchema.parse(await client.rulesets.phases.get(phase as never, { zone_id }));
    } catch (err) {
      if (err instanceof Cloudflare.NotFoundError) continue; // no entrypoint yet: the stack creates it
      explain(err, `the ${phase} entrypoint ruleset`, READ_PERMISSIONS[phase] ?? "the phase's Read permission");
    }
  }
  const settings: LiveZone["settings"] = {};
  for (const id of opts.settingIds) {
    try {
      const s = liveSettingSchema.parse(await client.zones.settings.get(id, { zone_id }));
      settings[id] = s.value;
    } catch (err) {
      if (err instanceof Cloudflare.NotFoundError) continue;
      explain(err, `the zone setting ${id}`, READ_PERMISSIONS.settings);
    }
  }
  return { details, records, rulesets, settings };
}
