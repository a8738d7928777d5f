// Host names and DNS records: normalising, qualifying and finding the apex of record names; record types and TXT content.
import { unquoteTxt } from "../shared/dns-text";
import { StackRes, str, T } from "./util";

/** DNS names are case-insensitive and may carry a trailing dot. */
export function normHost(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** Placeholder zone for relative names ("@", "www") of a zone the stack never names; never shown in a message. */
export const RELATIVE_ZONE = "zone.invalid";

/** A name for messages: a placeholder-qualified name is shown as the relative name it was. */
export function shown(host: string): string {
  if (host === RELATIVE_ZONE) return "@ (the zone apex)";
  return host.endsWith(`.${RELATIVE_ZONE}`) ? host.slice(0, -(RELATIVE_ZONE.length + 1)) : host;
}

/**
 * The fully qualified name of each DNS record of a stack. Cloudflare qualifies a record name
 * that does not end in its zone's name ("@" is the apex, "www" is www.<zone>), so hand-written
 * stacks often name records relative to the zone. The zone's name is taken where the stack
 * shows it: a cloudflare.Zone the record's zoneId depends on; otherwise, for records of a zone
 * written relative ("@" or one label among them), the one registrable domain the stack's hosts
 * share (health checks, Vercel domains, Zone resources). Unresolved, the placeholder zone
 * stands in (and `shown` hides it).
 */
export function recordNamer(resources: readonly StackRes[]): (r: StackRes) => string {
  const zoneNames = new Map(resources.filter((r) => r.type === T.zone).map((r) => [r.urn, normHost(str(r.props.name) ?? str(r.props.zone) ?? "")]));
  const hosts = resources.flatMap((r) => {
    if (r.type === T.healthCheck) return [str(r.props.fqdn)];
    if (r.type === T.vercelDomain) return [str(r.props.domain)];
    if (r.type === T.zone) return [str(r.props.name) ?? str(r.props.zone)];
    return [];
  });
  const domains = [...new Set(hosts.filter((h): h is string => !!h).map(registrableDomain))];
  const inferred = domains.length === 1 ? domains[0] : undefined;
  const relativeZones = new Set(
    resources
      .filter((r) => r.type === T.dnsRecord)
      .filter((r) => {
        const n = normHost(str(r.props.name) ?? "");
        return n === "@" || n === "" || !n.includes(".");
      })
      .map((r) => str(r.props.zoneId)),
  );
  return (r) => {
    const n = normHost(str(r.props.name) ?? "");
    const zoneUrn = [...(r.propertyDeps.zoneId ?? [])].find((u) => zoneNames.has(u));
    const zone = zoneUrn ? zoneNames.get(zoneUrn) : relativeZones.has(str(r.props.zoneId)) ? inferred : undefined;
    if (!zone) return qualify(n);
    if (n === "@" || n === "") return zone;
    return n === zone || n.endsWith(`.${zone}`) ? n : `${n}.${zone}`;
  };
}

/**
 * A record name as a fully-qualified, lower-case name. Hand-written stacks sometimes
 * use zone-relative names ("@", "www", "_dmarc"); those are qualified with a
 * placeholder zone so apex logic still works.
 */
export function qualify(name: string): string {
  const n = normHost(name);
  if (n === "@" || n === "") return RELATIVE_ZONE;
  if (!n.includes(".")) return `${n}.${RELATIVE_ZONE}`;
  return n;
}

/**
 * Multi-label public suffixes common enough to matter; for these the registrable
 * domain has three labels (example.co.uk). Everything else: the last two labels.
 */
const MULTI_LABEL_SUFFIXES = new Set([
  "co.uk",
  "org.uk",
  "ac.uk",
  "gov.uk",
  "me.uk",
  "ltd.uk",
  "plc.uk",
  "net.uk",
  "com.au",
  "net.au",
  "org.au",
  "edu.au",
  "gov.au",
  "co.nz",
  "org.nz",
  "net.nz",
  "co.jp",
  "ne.jp",
  "or.jp",
  "com.br",
  "net.br",
  "org.br",
  "co.in",
  "net.in",
  "org.in",
  "firm.in",
  "co.za",
  "org.za",
  "com.mx",
  "com.ar",
  "com.tr",
  "com.sg",
  "com.hk",
  "com.tw",
  "com.cn",
  "com.my",
  "co.kr",
  "or.kr",
  "co.il",
  "co.id",
  "co.th",
]);

/** The registrable domain (the zone apex, for the common case) of a host name. */
export function registrableDomain(host: string): string {
  const labels = normHost(host).replace(/^\*\./, "").split(".").filter(Boolean);
  if (labels.length <= 2) return labels.join(".");
  const lastTwo = labels.slice(-2).join(".");
  return MULTI_LABEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join(".") : lastTwo;
}

/**
 * The apex for a name: the longest configured apex it falls under, else its
 * registrable domain.
 */
export function apexOf(host: string, configuredApexes: readonly string[] = []): string {
  const h = normHost(host);
  const match = configuredApexes
    .map(normHost)
    .filter((a) => h === a || h.endsWith(`.${a}`))
    .sort((a, b) => b.length - a.length)[0];
  return match ?? registrableDomain(h);
}

export function isWebRecordType(type: unknown): boolean {
  return type === "A" || type === "AAAA" || type === "CNAME";
}

/** TXT content as published: quoted strings joined, or the raw text when unquoted. */
export function txtText(content: unknown): string | undefined {
  const s = str(content);
  return s === undefined ? undefined : unquoteTxt(s);
}
