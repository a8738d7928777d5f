/**
 * DNS records: no origin exposed by an unproxied web record or by a wildcard.
 */
import { LaunchPolicy, T, policySettings, setting, forType, isUnknown, str } from "./util";
import { normHost } from "./hosts";

/** First labels of hosts that are not web hosts (mail, shell, VPN...): they may be unproxied. */
export const NON_WEB_LABELS = [
  "mail",
  "smtp",
  "imap",
  "pop",
  "pop3",
  "mx",
  "webmail",
  "autodiscover",
  "autoconfig",
  "ftp",
  "sftp",
  "ssh",
  "vpn",
  "ns",
  "ns1",
  "ns2",
  "ns3",
  "ns4",
  "turn",
  "stun",
  "sip",
];

/** RFC 1918 / loopback / link-local / ULA / documentation addresses: not a reachable origin. */
export function isNonPublicIp(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip.trim());
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
  }
  const v6 = ip.trim().toLowerCase();
  return v6 === "::1" || v6.startsWith("fc") || v6.startsWith("fd") || v6.startsWith("fe80:");
}

function firstLabel(name: string): string {
  return normHost(name).split(".")[0];
}

const ORIGIN_SETTINGS = policySettings({ allowedHosts: setting.strings(), nonWebLabels: setting.strings(NON_WEB_LABELS) });

export const noUnproxiedOrigin: LaunchPolicy = {
  name: "dns-no-unproxied-origin",
  severity: "high",
  remediationSteps:
    "Set proxied: true on the A/AAAA record (Launch Ready config subdomains[].proxied) and restrict the origin to Cloudflare's IP ranges, " +
    "or list a host that must stay DNS-only in this policy's allowedHosts setting; then rotate the origin IP if it was ever public.",
  url: "https://developers.cloudflare.com/dns/proxy-status/",
  description:
    "A/AAAA records for web hostnames must be proxied through Cloudflare (proxied: true): an unproxied record publishes the origin's IP address, " +
    "so attackers can bypass the WAF, rate limits and DDoS protection by hitting the origin directly. " +
    "Mail/SSH/VPN hosts (mail., smtp., vpn. ...) and private addresses are exempt, and so are the deliberate exceptions allowedHosts lists.",
  enforcementLevel: "mandatory",
  configSchema: ORIGIN_SETTINGS.schema,
  validateResource: forType(T.dnsRecord, (props, args, report) => {
    const type = str(props.type)?.toUpperCase();
    if (type !== "A" && type !== "AAAA") args.notApplicable("not an A/AAAA record");
    const cfg = ORIGIN_SETTINGS.read(args);
    if (props.proxied === true || isUnknown(props.proxied)) return;
    const name = str(props.name);
    if (name === undefined) return;
    if (cfg.allowedHosts.map(normHost).includes(normHost(name))) return;
    if (cfg.nonWebLabels.includes(firstLabel(name))) return;
    const content = str(props.content);
    if (content && isNonPublicIp(content)) return;
    report(`${type} record ${name} is not proxied: it exposes the origin address${content ? ` ${content}` : ""} for a web hostname. Set proxied: true.`);
  }),
};

const WILDCARD_SETTINGS = policySettings({ allowedNames: setting.strings() });

export const noWildcardOrigin: LaunchPolicy = {
  name: "dns-no-wildcard-origin",
  severity: "high",
  remediationSteps:
    "Replace the wildcard record with one record per hostname you serve; if a wildcard is truly needed, list it in this policy's allowedNames setting.",
  url: "https://developers.cloudflare.com/dns/manage-dns-records/reference/wildcard-dns-records/",
  description:
    "No wildcard (*) A/AAAA/CNAME record: it answers for every name under the zone, so typos, forgotten hosts and scanners all reach the origin " +
    "(and any subdomain can be used for phishing or to bypass per-host rules).",
  enforcementLevel: "mandatory",
  configSchema: WILDCARD_SETTINGS.schema,
  validateResource: forType(T.dnsRecord, (props, args, report) => {
    const type = str(props.type)?.toUpperCase();
    if (type !== "A" && type !== "AAAA" && type !== "CNAME") args.notApplicable("not an A/AAAA/CNAME record");
    const name = str(props.name);
    if (!name || !(name === "*" || name.startsWith("*."))) return;
    const cfg = WILDCARD_SETTINGS.read(args);
    if (cfg.allowedNames.map(normHost).includes(normHost(name))) return;
    report(`wildcard ${type} record ${name} points every name at ${str(props.content) ?? "the origin"}: declare each hostname explicitly.`);
  }),
};
