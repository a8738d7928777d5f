/**
 * DNS record specs: what the program will declare, as plain data. Components turn
 * each spec into one `cloudflare.DnsRecord`, named by `key` so that reordering the
 * config never replaces a record.
 */
import type { SiteConfig, SubdomainConfig, Target, ZoneConfig } from "../config/schema";
import { fqdn } from "../../policies/shared/names";

export type RecordType = "A" | "AAAA" | "CNAME" | "TXT" | "MX" | "CAA";

export interface RecordSpec {
  /**
   * Stable logical name, e.g. "www web", "@ TXT spf", "_dmarc TXT dmarc". A web host's
   * key leaves out the record type, so retargeting it (CNAME to A) replaces the one
   * record in place rather than adding a second one beside it.
   */
  key: string;
  /** Relative to the zone ("@", "www", "_dmarc"). */
  name: string;
  fqdn: string;
  type: RecordType;
  /** Content as Cloudflare stores it (TXT quoted). */
  content: string;
  proxied: boolean;
  /** 1 = automatic (required for proxied records). */
  ttl: number;
  priority?: number;
  purpose: "web" | "redirect" | "spf" | "dkim" | "dmarc" | "mx" | "no-mail" | "verification" | "caa" | "tls-reporting" | "extra";
  /** Structured content where Cloudflare takes no `content` (CAA: `data`, which conflicts with `content`). */
  data?: { flags: number; tag: "issue" | "issuewild" | "iodef"; value: string };
  comment: string;
  /** The config key that asks for it, for messages (e.g. "email.senders[1].records[0]"); unset for records the program adds on its own. */
  configKey?: string;
  /** Keys this record had in earlier versions: the component declares them as aliases so a stack made then updates in place. */
  previousKeys?: string[];
}

// Vercel's documented targets (an A record for an apex, a CNAME for a subdomain) live with the pack, which judges them too.
import { VERCEL_APEX_A, VERCEL_CNAME } from "../../policies/shared/vercel-targets";
export { VERCEL_APEX_A, VERCEL_CNAME };

export interface WebHost {
  name: string;
  fqdn: string;
  role: "canonical" | "redirect" | "subdomain";
  target: Target;
  proxied: boolean;
  healthPath: string;
  expect?: string;
  api: boolean;
  monitor: boolean;
  /** CAA issuer domains the host's own provider needs (site/subdomain `caIssuers`). */
  caIssuers?: string[];
}

/** The hosts Vercel itself serves (and issues a certificate for): the redirecting twin is answered by Cloudflare and never reaches Vercel. */
export function servedByVercel(h: { target: Target; role: WebHost["role"] }): boolean {
  return h.target === "vercel" && h.role !== "redirect";
}

/** Every web host the site serves: the canonical host, its redirecting twin, the subdomains. */
export function webHosts(zone: ZoneConfig, site: SiteConfig, subdomains: readonly SubdomainConfig[]): WebHost[] {
  const hosts: WebHost[] = [];
  const bare = site.name;
  const www = bare === "@" ? "www" : `www.${bare}`;
  const canonicalName = site.canonical === "www" ? www : bare;
  const twinName = site.canonical === "www" ? bare : www;
  hosts.push({
    name: canonicalName,
    fqdn: fqdn(canonicalName, zone.name),
    role: "canonical",
    target: site.target,
    proxied: true,
    healthPath: site.healthPath,
    expect: site.expect,
    api: false,
    monitor: true,
    caIssuers: site.caIssuers,
  });
  if (site.redirectTwin) {
    // The twin only has to reach Cloudflare, which answers it with the redirect.
    hosts.push({
      name: twinName,
      fqdn: fqdn(twinName, zone.name),
      role: "redirect",
      target: site.target,
      proxied: true,
      healthPath: "/",
      api: false,
      monitor: true,
    });
  }
  for (const sub of subdomains) {
    hosts.push({
      name: sub.name,
      fqdn: fqdn(sub.name, zone.name),
      role: "subdomain",
      target: sub.target,
      proxied: sub.proxied,
      healthPath: sub.healthPath,
      expect: sub.expect,
      api: sub.api,
      monitor: sub.monitor,
      caIssuers: sub.caIssuers,
    });
  }
  return hosts;
}

/** One record per web host, pointing at its target. */
export function webRecords(zone: ZoneConfig, hosts: readonly WebHost[]): RecordSpec[] {
  const firstSubdomain = hosts.findIndex((h) => h.role === "subdomain");
  return hosts.map((h, i) => {
    const { type, content } = targetRecord(h.target, h.name);
    const purpose = h.role === "redirect" ? "redirect" : "web";
    return {
      key: `${h.name} web`,
      name: h.name,
      fqdn: h.fqdn,
      type,
      content,
      proxied: h.proxied,
      ttl: h.proxied ? 1 : 300,
      purpose,
      comment: h.role === "redirect" ? "launch-ready: answers with a 301 to the canonical host" : `launch-ready: ${h.role} web host`,
      configKey: h.role === "subdomain" ? `subdomains[${i - firstSubdomain}]` : h.role === "redirect" ? "site.redirectTwin" : "site",
      // Until ec60dca a web record's key carried its type ("www CNAME").
      previousKeys: [`${h.name} ${type}`],
    };
  });
}

export function targetRecord(target: Target, name: string): { type: RecordType; content: string } {
  if (target === "vercel") return name === "@" ? { type: "A", content: VERCEL_APEX_A } : { type: "CNAME", content: VERCEL_CNAME };
  if ("cname" in target) return { type: "CNAME", content: target.cname };
  if ("ipv4" in target) return { type: "A", content: target.ipv4 };
  return { type: "AAAA", content: target.ipv6 };
}

/** A target in words for messages: "Vercel", "CNAME to x", "A x", "AAAA x". */
export function targetText(target: Target): string {
  if (target === "vercel") return "Vercel";
  if ("cname" in target) return `CNAME to ${target.cname}`;
  if ("ipv4" in target) return `A ${target.ipv4}`;
  return `AAAA ${target.ipv6}`;
}
