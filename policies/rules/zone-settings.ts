/**
 * Cloudflare zone settings: TLS to the visitor and to the origin, HTTPS only, HSTS.
 * Judges `cloudflare:index/zoneSetting:ZoneSetting` (provider v6) and, for older
 * hand-written stacks, `cloudflare:index/zoneSettingsOverride:ZoneSettingsOverride`.
 */
import { HSTS_MIN_MAX_AGE } from "../shared/bar";
import { LaunchPolicy, T, policySettings, setting, forType, isUnknown, isZoneEdgeConfig, num, obj, stackResources, str } from "./util";

const SETTING_TYPES = [T.zoneSetting, T.zoneSettingsOverride] as const;

/** The (settingId, value) pairs a resource sets, whichever resource style declared them. */
export function zoneSettingsOf(type: string, props: Record<string, any>): Array<{ id: string; value: unknown }> {
  if (type === T.zoneSetting) {
    const id = str(props.settingId);
    return id ? [{ id, value: props.value }] : [];
  }
  if (type === T.zoneSettingsOverride) {
    const s = obj(props.settings) ?? {};
    const map: Record<string, string> = {
      ssl: "ssl",
      alwaysUseHttps: "always_use_https",
      minTlsVersion: "min_tls_version",
      securityHeader: "security_header",
      tls13: "tls_1_3",
    };
    return Object.entries(map)
      .filter(([k]) => s[k] !== undefined)
      .map(([k, id]) => {
        let value = s[k];
        // v4 shape: securityHeader: { enabled, maxAge, includeSubdomains, ... } (sometimes a one-element list).
        if (id === "security_header") value = { strictTransportSecurity: Array.isArray(value) ? value[0] : value };
        return { id, value };
      });
  }
  return [];
}

const NO_SETTINGS = policySettings({});

function settingsFor<C>(
  id: string,
  fn: (value: unknown, report: (m: string) => void, cfg: C) => void,
  settings: { read: (args: { getConfig<T extends object>(): T }) => C } = NO_SETTINGS as never,
) {
  return forType(SETTING_TYPES, (props, args, report) => {
    const mine = zoneSettingsOf(args.type, props).filter((s) => s.id === id);
    if (mine.length === 0) args.notApplicable(`not the ${id} setting`);
    const cfg = settings.read(args);
    for (const s of mine) {
      if (isUnknown(s.value)) continue;
      fn(s.value, (m) => report(m), cfg);
    }
  });
}

const TLS_SETTINGS = policySettings({ minimum: setting.string("1.2", { enum: ["1.2", "1.3"] }) });
const HSTS_SETTINGS = policySettings({ minMaxAge: setting.integer(HSTS_MIN_MAX_AGE, { minimum: 0 }), requireIncludeSubdomains: setting.boolean(true) });
const ZONE_BASELINE_SETTINGS = policySettings({ requireInEveryStack: setting.boolean(false) });

const sslMode = (v: unknown) => (str(v) ?? str(obj(v)?.value) ?? "").toLowerCase();

export const sslEncryptsOrigin: LaunchPolicy = {
  name: "cloudflare-ssl-encrypts-origin",
  severity: "critical",
  remediationSteps:
    'Set the ssl zone setting to "strict" (Launch Ready config edge.sslMode, default strict; "full" only while Vercel issues its first certificate): ' +
    'strict needs a valid origin certificate, which Vercel has. Never "flexible" or "off".',
  url: "https://developers.cloudflare.com/ssl/origin-configuration/ssl-modes/",
  description:
    'Cloudflare SSL/TLS mode must be "full" or "strict". "off" serves HTTP and "flexible" sends visitor traffic to the origin unencrypted ' +
    "(and loops with an origin that redirects to HTTPS).",
  enforcementLevel: "mandatory",
  validateResource: settingsFor("ssl", (value, report) => {
    const mode = sslMode(value);
    if (mode === "off" || mode === "flexible" || mode === "") {
      report(`SSL mode is "${mode || String(value)}": set it to "strict" ("full" at the very least).`);
    }
  }),
};

export const sslStrict: LaunchPolicy = {
  name: "cloudflare-ssl-strict",
  severity: "medium",
  remediationSteps:
    'Once the origin serves a valid certificate (Vercel does once the domain is verified), set the ssl zone setting to "strict": ' +
    'remove edge.sslMode from the stack config so it returns to "strict", and run pulumi up.',
  url: "https://developers.cloudflare.com/ssl/origin-configuration/ssl-modes/full-strict/",
  description:
    'Cloudflare SSL/TLS mode should be "strict": "full" encrypts to the origin but accepts any certificate, so anyone on the path can impersonate the origin.',
  enforcementLevel: "advisory",
  validateResource: settingsFor("ssl", (value, report) => {
    const mode = sslMode(value);
    if (mode === "full") report('SSL mode is "full" (origin certificate not validated): use "strict".');
  }),
};

export const alwaysUseHttps: LaunchPolicy = {
  name: "cloudflare-always-use-https",
  severity: "high",
  remediationSteps: 'Set the always_use_https zone setting to "on" (Launch Ready declares it whenever the stack manages the zone).',
  url: "https://developers.cloudflare.com/ssl/edge-certificates/additional-options/always-use-https/",
  description: 'Always Use HTTPS must be "on" so every http:// request is redirected to https:// at the edge.',
  enforcementLevel: "mandatory",
  validateResource: settingsFor("always_use_https", (value, report) => {
    const v = str(value) ?? (typeof value === "boolean" ? (value ? "on" : "off") : String(value));
    if (v.toLowerCase() !== "on") report(`always_use_https is "${v}": set it to "on".`);
  }),
};

/** Parses a 1.0 / 1.1 / 1.2 / 1.3 TLS version string. */
export function tlsVersion(v: unknown): number | undefined {
  const s = str(v) ?? (typeof v === "number" ? String(v) : undefined);
  if (!s) return undefined;
  const m = /^(?:TLS\s*v?)?(1\.[0-3])$/i.exec(s.trim());
  return m ? Number(m[1]) : undefined;
}

export const minTlsVersion: LaunchPolicy = {
  name: "cloudflare-min-tls-version",
  severity: "high",
  remediationSteps: 'Set the min_tls_version zone setting to "1.2" or "1.3" (Launch Ready config edge.minTlsVersion).',
  url: "https://developers.cloudflare.com/ssl/edge-certificates/additional-options/minimum-tls/",
  description: "The minimum TLS version must be 1.2 or higher: TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS.",
  enforcementLevel: "mandatory",
  configSchema: TLS_SETTINGS.schema,
  validateResource: settingsFor(
    "min_tls_version",
    (value, report, cfg) => {
      const v = tlsVersion(value);
      const min = Number(cfg.minimum);
      if (v === undefined) report(`min_tls_version "${String(value)}" is not a TLS version: use "${cfg.minimum}".`);
      else if (v < min) report(`min_tls_version is ${value}: set it to "${cfg.minimum}" or higher.`);
    },
    TLS_SETTINGS,
  ),
};

/** Reads HSTS settings from a security_header value (camelCase or snake_case). */
export function readHsts(value: unknown): { enabled?: boolean; maxAge?: number; includeSubdomains?: boolean; preload?: boolean } | undefined {
  const v = obj(value);
  if (!v) return undefined;
  const h =
    obj(v.strictTransportSecurity) ??
    obj(v.strict_transport_security) ??
    obj(Array.isArray(v.strictTransportSecurity) ? v.strictTransportSecurity[0] : undefined);
  if (!h) return undefined;
  const bool = (x: unknown) => (typeof x === "boolean" ? x : x === "true" ? true : x === "false" ? false : undefined);
  return {
    enabled: bool(h.enabled),
    maxAge: num(h.maxAge ?? h.max_age),
    includeSubdomains: bool(h.includeSubdomains ?? h.include_subdomains),
    preload: bool(h.preload),
  };
}

export const hsts: LaunchPolicy = {
  name: "cloudflare-hsts",
  severity: "high",
  remediationSteps:
    "Set the security_header zone setting's value to { strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true } } " +
    "(Launch Ready config edge.hsts; a hand-written ZoneSetting's value reaches the API untranslated, so its keys are snake_case); " +
    "turn preload on only when every subdomain is HTTPS, after reading hstspreload.org.",
  url: "https://developers.cloudflare.com/ssl/edge-certificates/additional-options/http-strict-transport-security/",
  description: `HSTS must be on with max-age of at least ${HSTS_MIN_MAX_AGE} seconds (180 days) and includeSubDomains, so browsers refuse plain HTTP for the site and its subdomains.`,
  enforcementLevel: "mandatory",
  configSchema: HSTS_SETTINGS.schema,
  validateResource: settingsFor(
    "security_header",
    (value, report, cfg) => {
      const h = readHsts(value);
      if (!h) {
        report("security_header has no strict_transport_security block: enable HSTS.");
        return;
      }
      if (h.enabled !== true) report("HSTS is not enabled: set strict_transport_security.enabled to true.");
      if (h.maxAge === undefined || h.maxAge < cfg.minMaxAge) {
        report(`HSTS max-age is ${h.maxAge ?? "missing"}: set it to at least ${cfg.minMaxAge} (31536000 recommended).`);
      }
      if (cfg.requireIncludeSubdomains && h.includeSubdomains !== true) {
        report("HSTS does not include subdomains: set strict_transport_security.include_subdomains to true.");
      }
    },
    HSTS_SETTINGS,
  ),
};

/** The settings a stack that configures a zone must declare. */
export const BASELINE_SETTINGS = ["ssl", "always_use_https", "min_tls_version", "security_header"] as const;

export const zoneBaselineDeclared: LaunchPolicy = {
  name: "cloudflare-zone-baseline-declared",
  severity: "high",
  remediationSteps:
    "Declare ZoneSetting resources for ssl, always_use_https, min_tls_version and security_header in the stack that owns the zone (Launch Ready config zone.manageZoneSettings: true in exactly one stack).",
  url: "https://developers.cloudflare.com/ssl/edge-certificates/",
  description:
    "A stack that manages a Cloudflare zone's edge configuration must declare the baseline settings (ssl, always_use_https, min_tls_version, security_header/HSTS): " +
    "otherwise the zone runs on dashboard defaults that nobody reviews. A stack with no zone-level Cloudflare config " +
    "(its zone is managed by another stack) is not judged here; see shared-zone-ownership.",
  enforcementLevel: "mandatory",
  configSchema: ZONE_BASELINE_SETTINGS.schema,
  validateStack: (args, report) => {
    const cfg = ZONE_BASELINE_SETTINGS.read(args);
    const resources = stackResources(args);
    const edge = resources.filter(isZoneEdgeConfig);
    const hasDns = resources.some((r) => r.type === T.dnsRecord);
    if (edge.length === 0 && !(cfg.requireInEveryStack && hasDns)) {
      args.notApplicable("the stack declares no zone-level Cloudflare configuration");
    }
    const zones = new Map<string, Set<string>>();
    const zoneKey = (z: unknown) => (typeof z === "string" ? z : "(zone)");
    for (const r of resources.filter((x) => isZoneEdgeConfig(x) || (cfg.requireInEveryStack && x.type === T.dnsRecord))) {
      if (!zones.has(zoneKey(r.props.zoneId))) zones.set(zoneKey(r.props.zoneId), new Set());
    }
    for (const r of resources) {
      for (const s of zoneSettingsOf(r.type, r.props)) zones.get(zoneKey(r.props.zoneId))?.add(s.id);
    }
    // With unknown zone ids everything lands in one bucket; judge the union then.
    const buckets = zones.size > 1 && zones.has("(zone)") ? new Map([["(zone)", new Set([...zones.values()].flatMap((s) => [...s]))]]) : zones;
    for (const [zone, ids] of buckets) {
      const missing = BASELINE_SETTINGS.filter((id) => !ids.has(id));
      if (missing.length) {
        report(`zone ${zone === "(zone)" ? "" : `${zone} `}is missing the baseline settings: ${missing.join(", ")}. Declare a ZoneSetting for each.`);
      }
    }
  },
};
