/**
 * Cloudflare in front of Vercel: what a proxy must leave alone for the app behind it (Vercel's
 * reverse-proxy page, vercel.com/docs/security/reverse-proxy) and what the app's markup needs.
 */
import { HTML_REWRITING } from "../shared/html-rewriting";
import { pointsAtVercel } from "../shared/vercel-targets";
import { zoneSettingsOf } from "./zone-settings";
import { LaunchPolicy, StackRes, T, isUnknown, obj, stackResources, str } from "./util";
import { normHost, recordNamer, shown } from "./hosts";

/** Proxied web records that serve a Vercel project: the content is Vercel's target, or the name is a vercel ProjectDomain. */
export function proxiedVercelHosts(resources: readonly StackRes[]): Array<{ host: string; zoneId: unknown }> {
  const nameOf = recordNamer(resources);
  const vercelDomains = new Set(
    resources
      .filter((r) => r.type === T.vercelDomain)
      .map((r) => str(r.props.domain))
      .filter((d): d is string => !!d)
      .map(normHost),
  );
  return resources
    .filter((r) => r.type === T.dnsRecord && r.props.proxied === true && ["A", "AAAA", "CNAME"].includes(String(r.props.type).toUpperCase()))
    .filter((r) => pointsAtVercel(r.props.content) || vercelDomains.has(nameOf(r)))
    .map((r) => ({ host: nameOf(r), zoneId: r.props.zoneId }));
}

/** The value each zone setting is declared with, per zone id (unknown ids share one bucket). */
function declaredSettings(resources: readonly StackRes[]): Map<unknown, Map<string, unknown>> {
  const out = new Map<unknown, Map<string, unknown>>();
  for (const r of resources) {
    for (const s of zoneSettingsOf(r.type, r.props)) {
      const zone = typeof r.props.zoneId === "string" ? r.props.zoneId : undefined;
      if (!out.has(zone)) out.set(zone, new Map());
      out.get(zone)!.set(s.id, s.value);
    }
  }
  return out;
}

const settingValue = (v: unknown) => (str(v) ?? str(obj(v)?.value) ?? (typeof v === "boolean" ? (v ? "on" : "off") : "")).toLowerCase();

function settingsOfZone(all: Map<unknown, Map<string, unknown>>, zoneId: unknown): Map<string, unknown> | undefined {
  return all.get(typeof zoneId === "string" ? zoneId : undefined) ?? (all.size === 1 ? [...all.values()][0] : undefined);
}

export const vercelNoHtmlRewriting: LaunchPolicy = {
  name: "vercel-no-html-rewriting",
  severity: "high",
  remediationSteps:
    'Declare the zone settings email_obfuscation and rocket_loader "off" (Launch Ready declares them, and automatic_https_rewrites, off on every zone it manages), and never turn mirage on in front of Vercel.',
  url: "https://vercel.com/docs/security/reverse-proxy",
  description:
    "A proxied host served by Vercel must reach the browser as the app rendered it: " +
    HTML_REWRITING.map((f) => `${f.label} (${f.settingId}) ${f.rewrites}`).join("; ") +
    ". React hydration then fails (microlinkhq/www#2122, remix-run/remix#3590). A stack that manages the zone's settings must declare email_obfuscation and rocket_loader off: " +
    "left undeclared, they stay at whatever the zone holds.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    const hosts = proxiedVercelHosts(resources);
    if (hosts.length === 0) args.notApplicable("no proxied host is served by Vercel");
    const settings = declaredSettings(resources);
    const mustDeclare = HTML_REWRITING.filter((f) => f.markers.length > 0).map((f) => f.settingId);
    const seen = new Set<string>();
    for (const { host, zoneId } of hosts) {
      const zone = settingsOfZone(settings, zoneId);
      if (!zone) continue; // a stack that declares no zone setting does not own the zone's settings (cloudflare-zone-baseline-declared)
      for (const f of HTML_REWRITING) {
        const v = zone.get(f.settingId);
        const key = `${f.settingId} ${String(zoneId)}`;
        if (seen.has(key) || isUnknown(v)) continue;
        if (v !== undefined && settingValue(v) === "on") {
          seen.add(key);
          report(`${f.settingId} is "on" while ${shown(host)} is proxied to Vercel: ${f.label} ${f.rewrites}. Set it to "off".`);
        } else if (v === undefined && mustDeclare.includes(f.settingId)) {
          seen.add(key);
          report(
            `${f.settingId} is not declared while ${shown(host)} is proxied to Vercel, so it stays at the zone's value: declare it "off" (${f.label} ${f.rewrites}).`,
          );
        }
      }
    }
  },
};

export const vercelSslStrict: LaunchPolicy = {
  name: "vercel-ssl-strict",
  severity: "high",
  remediationSteps:
    'Declare the ssl zone setting "strict" (Launch Ready: remove edge.sslMode once Vercel shows the domain\'s certificate as issued). Vercel serves a valid certificate for every verified domain.',
  url: "https://developers.cloudflare.com/ssl/origin-configuration/ssl-modes/full-strict/",
  description:
    'In front of Vercel, Cloudflare\'s SSL mode must be "strict": "flexible" sends plain HTTP to Vercel, which redirects it to HTTPS, and the visitor loops (js-org/js.org#7545); ' +
    '"full" accepts any certificate from whoever answers for Vercel; a stack that declares the zone\'s settings but not ssl leaves it at whatever the zone holds. Advisory, so a first launch can run "full" until Vercel has issued the certificate.',
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    const hosts = proxiedVercelHosts(resources);
    if (hosts.length === 0) args.notApplicable("no proxied host is served by Vercel");
    const settings = declaredSettings(resources);
    const reported = new Set<string>();
    for (const { host, zoneId } of hosts) {
      const zone = settingsOfZone(settings, zoneId);
      if (!zone) continue; // the zone's settings belong to another stack
      const v = zone.get("ssl");
      if (isUnknown(v)) continue;
      const mode = v === undefined ? undefined : settingValue(v);
      if (mode === "strict") continue;
      const key = String(zoneId);
      if (reported.has(key)) continue;
      reported.add(key);
      report(
        mode === undefined
          ? `${shown(host)} is proxied to Vercel and the stack declares no ssl zone setting: declare it "strict".`
          : `SSL mode is "${mode}" while ${shown(host)} is proxied to Vercel: set it to "strict".`,
      );
    }
  },
};
