/**
 * CAA records at the apex (RFC 8659): exactly the certificate authorities the stack's hosts
 * need, so nobody else can get a certificate for the zone's names. Cloudflare adds its own
 * authorities once any CAA record exists (lib/provider-facts/certificate-authorities.json),
 * so proxied hosts need nothing here; Vercel's authority is added for hosts Vercel serves, and
 * a DNS-only host elsewhere names its provider's authorities (`caIssuers`).
 */
import type { StackConfig } from "../config/schema";
import { certificateAuthorities } from "../provider-facts";
import { servedByVercel, type RecordSpec, type WebHost } from "./records";
import { caaText } from "../../policies/shared/dns-text";
import { fitComment, recordCommentLimit } from "./comments";

export interface CaaPlan {
  records: RecordSpec[];
  /** Issuer domain -> the hosts that need it. */
  issuers: Array<{ issuer: string; hosts: string[]; why: string }>;
  iodef?: string;
  problems: Array<{ key: string; path: string; message: string }>;
  notes: string[];
}

const OFF: CaaPlan = { records: [], issuers: [], problems: [], notes: [] };

export function planCaa(config: StackConfig, hosts: readonly WebHost[]): CaaPlan {
  const { zone } = config;
  // The stack that owns the zone publishes its CAA.
  if (!zone.manageZoneSettings) return OFF;
  if (!zone.caa.enabled) {
    return { ...OFF, notes: [`CAA is off (zone.caa.enabled false): any certificate authority may issue certificates for ${zone.name} and its names.`] };
  }
  const needs = new Map<string, { hosts: string[]; why: string }>();
  const need = (issuer: string, host: string, why: string) => {
    const entry = needs.get(issuer) ?? { hosts: [], why };
    if (!entry.hosts.includes(host)) entry.hosts.push(host);
    needs.set(issuer, entry);
  };
  const problems: CaaPlan["problems"] = [];
  const notes: string[] = [];
  const firstSubdomain = hosts.findIndex((h) => h.role === "subdomain");
  hosts.forEach((h, i) => {
    const where = h.role === "subdomain" ? { key: "subdomains", path: `[${i - firstSubdomain}].caIssuers` } : { key: "site", path: "caIssuers" };
    if (servedByVercel(h)) {
      for (const issuer of certificateAuthorities.providers.vercel.issuers) need(issuer, h.fqdn, "Vercel issues the host's certificate");
    }
    for (const issuer of h.caIssuers ?? []) need(issuer, h.fqdn, "named in the host's caIssuers");
    if (h.target !== "vercel" && !h.caIssuers) {
      if (!h.proxied) {
        problems.push({
          ...where,
          message:
            `${h.fqdn} is DNS-only and served by its provider, which issues its own certificate; the zone's CAA records would refuse it. ` +
            `List the provider's certificate authorities here (ask the provider; e.g. ["letsencrypt.org"] or ["pki.goog"]), or set zone.caa.enabled to false`,
        });
      } else {
        notes.push(
          `${h.fqdn} is proxied to its own origin: if that origin serves a publicly issued certificate (Full strict needs a valid one), list its authority in caIssuers; a Cloudflare Origin CA certificate needs nothing.`,
        );
      }
    }
  });
  const iodef = zone.caa.iodef ?? config.alerts.emails[0];
  const records: RecordSpec[] = [];
  const commentLimit = recordCommentLimit(zone.plan);
  /** `what`: the record's purpose, then shorter wordings for a plan whose comments are shorter. */
  const record = (key: string, data: NonNullable<RecordSpec["data"]>, ...what: [string, ...string[]]): RecordSpec => ({
    key: `@ CAA ${key}`,
    name: "@",
    fqdn: zone.name,
    type: "CAA",
    content: caaText(data),
    data,
    proxied: false,
    ttl: 1,
    purpose: "caa",
    comment: fitComment(commentLimit, ...(what.map((w) => `launch-ready: ${w}`) as [string, ...string[]])),
  });
  for (const [issuer, { hosts: who }] of [...needs].sort(([a], [b]) => a.localeCompare(b))) {
    // Every host it serves where the plan's comment length allows (500 characters on paid plans), else how many (Free: 100).
    records.push(
      record(
        `issue ${issuer}`,
        { flags: 0, tag: "issue", value: issuer },
        `CAA lets ${issuer} issue for ${who.join(", ")}`,
        `CAA lets ${issuer} issue certificates for ${who.length === 1 ? "1 host" : `${who.length} hosts`} of ${zone.name}`,
        `CAA lets ${issuer} issue certificates`,
      ),
    );
  }
  if (records.length === 0) {
    // Only Cloudflare issues (every host proxied to an origin with its own arrangement): one record
    // is enough for Cloudflare to publish its authorities, and this one names nobody else.
    records.push(record("issue none", { flags: 0, tag: "issue", value: ";" }, "CAA: only Cloudflare's authorities (added by Cloudflare) may issue"));
  }
  // No address to report to (alerts go to Slack or a webhook only): iodef is optional (RFC 8659 4.4), so none is published.
  if (iodef) records.push(record("iodef", { flags: 0, tag: "iodef", value: `mailto:${iodef}` }, "CAA: where an authority reports a refused request"));
  else
    notes.push(
      "CAA: no iodef record (no zone.caa.iodef and no alerts.emails address): an authority that refuses a request reports it to nobody. Set zone.caa.iodef to an address to hear about it.",
    );
  return {
    records,
    issuers: [...needs].map(([issuer, v]) => ({ issuer, hosts: v.hosts, why: v.why })),
    iodef,
    problems,
    notes,
  };
}
