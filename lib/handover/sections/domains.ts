/** What points where: hostnames, DNS records, and how long DNS changes take. */
import type { DnsRecordEntry, DomainMap, HostEntry } from "../../domain-map";
import { unquoteTxt } from "../../../policies/shared/dns-text";
import { blocks, bullets, code, heading, humanSeconds, table, truncate, yesNo } from "../markdown";
import { domainMapMermaid, mermaidBlock } from "../../diagram/mermaid";
import { returnPathSender } from "./email";

/** Cloudflare's "automatic" TTL, which proxied records always use (300 seconds to resolvers). */
export const AUTO_TTL = 1;
const AUTO_TTL_SECONDS = 300;

const ROLE_NAMES: Record<HostEntry["role"], string> = {
  canonical: "main site",
  redirect: "redirect",
  subdomain: "subdomain",
};

/** "vercel" -> "Vercel", { cname: x } -> "CNAME to x", { ipv4: a } -> "server at a". */
export function describeTarget(target: HostEntry["target"]): string {
  if (target === "vercel") return "Vercel";
  if ("cname" in target) return `CNAME to ${code(target.cname)}`;
  return `server at ${code("ipv4" in target ? target.ipv4 : target.ipv6)}`;
}

function hostNote(host: HostEntry): string {
  if (host.role === "redirect") return `301 to ${host.redirectsTo ?? "the main site"}, path and query kept`;
  if (host.role === "canonical") return "the address to share";
  return "";
}

export function domainMapSection(map: DomainMap): string {
  const rows = map.hosts.map((h) => [
    code(h.hostname),
    ROLE_NAMES[h.role] ?? h.role,
    describeTarget(h.target),
    h.proxied ? "yes (orange cloud)" : "no (DNS only)",
    hostNote(h),
  ]);
  return blocks(
    heading(2, "Domain map"),
    "What points where: hosts and their targets, redirects, where mail goes and who sends as the domain, and what the monitors check.",
    mermaidBlock(domainMapMermaid(map)),
    table(["Hostname", "Role", "Points to", "Through Cloudflare", "Notes"], rows),
    "Proxied: traffic goes through Cloudflare first (it hides the server's address and applies TLS, caching, the firewall and rate limits). DNS only: visitors connect to the target directly.",
  );
}

export function ttlLabel(record: DnsRecordEntry): string {
  return record.ttl === AUTO_TTL ? "auto" : humanSeconds(record.ttl);
}

/** TXT content without the DNS quoting Cloudflare shows ("v=spf1 ..." -> v=spf1 ...). */
export function displayContent(record: Pick<DnsRecordEntry, "type" | "content">): string {
  return record.type === "TXT" ? unquoteTxt(record.content) : record.content;
}

function recordContent(record: DnsRecordEntry): string {
  const content = truncate(displayContent(record));
  return record.priority === undefined ? code(content) : `${code(content)} (priority ${record.priority})`;
}

function sortedRecords(records: readonly DnsRecordEntry[]): DnsRecordEntry[] {
  return [...records].sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type) || a.content.localeCompare(b.content));
}

/** The purpose column: the plan's purpose, except a sender's return-path CNAME, which the plan files under verification. */
function purposeLabel(map: DomainMap, r: DnsRecordEntry): string {
  const sender = returnPathSender(map, r);
  const purpose = sender ? `return path (${sender.name})` : r.purpose;
  return r.adopted ? `${purpose} (adopted)` : purpose;
}

/** Records alike in all but their name (the DMARC locks, TLS reporting, the Vercel CNAMEs) share one row. */
/** One row per set of alike records: one name's several values of a type (its CAA issuers), and names that share one value. */
function groupedRecords(map: DomainMap): Array<{ names: string[]; contents: string[]; r: DnsRecordEntry }> {
  const byName = new Map<string, { contents: string[]; r: DnsRecordEntry }>();
  for (const r of sortedRecords(map.records)) {
    // MX keep a row each: their priorities differ.
    const key = JSON.stringify([r.name, r.type, r.proxied, r.ttl, r.type === "MX" ? r.content : "", purposeLabel(map, r)]);
    const group = byName.get(key);
    if (group) group.contents.push(recordContent(r));
    else byName.set(key, { contents: [recordContent(r)], r });
  }
  const groups = new Map<string, { names: string[]; contents: string[]; r: DnsRecordEntry }>();
  for (const { contents, r } of byName.values()) {
    const key = JSON.stringify([r.type, contents, r.proxied, r.ttl, purposeLabel(map, r)]);
    const group = groups.get(key);
    if (group) group.names.push(r.name);
    else groups.set(key, { names: [r.name], contents, r });
  }
  return [...groups.values()];
}

/** The full record list, for reference: the appendix. */
export function recordsSection(map: DomainMap): string {
  if (map.records.length === 0) return "**DNS records**: the stack declares none.";
  const rows = groupedRecords(map).map(({ names, contents, r }) => [
    names.map(code).join(", "),
    r.type,
    contents.join("; "),
    yesNo(r.proxied),
    ttlLabel(r),
    purposeLabel(map, r),
  ]);
  const intro = `**DNS records**: all ${map.records.length} records this stack declares in the Cloudflare zone ${code(map.zone.name)}. Long values are shortened; the full list is in ${code(`pulumi stack output domainMap --json --stack ${map.stack}`)}.`;
  return blocks(intro, table(["Name", "Type", "Content", "Proxied", "TTL", "Purpose"], rows), adoptionNotes(map), ttlNote(map));
}

/** Adopted records and rulesets, and the records of the zone this stack leaves alone. */
function adoptionNotes(map: DomainMap): string | undefined {
  const adopted = map.records.filter((r) => r.adopted).length;
  const rulesets = map.zone.adoptedRulesets ?? [];
  if (!adopted && !rulesets.length) return undefined;
  return bullets([
    ...(adopted
      ? [
          `${adopted} record(s) marked "adopted" existed before this stack: it imported and now manages them, and ${code("pulumi destroy")} leaves them in the zone (retainOnDelete).`,
        ]
      : []),
    ...(rulesets.length
      ? [
          `Adopted rule phases (${rulesets.map(code).join(", ")}): their rulesets existed before this stack, which replaced their rules with its own (plus ${code("edge.extraRules")}); ${code("pulumi destroy")} leaves them with the stack's rules.`,
        ]
      : []),
    `Records the zone held that this stack does not declare are left as they are and are not listed here (the stack does not know them): ${code(`CLOUDFLARE_API_TOKEN=<read-only token> npm run adopt -- --stack ${map.stack} --dry-run`)} lists them, and ${code("zone.extraRecords")} brings one under the stack.`,
  ]);
}

/** The longest time a resolver may keep serving an old answer after a change. */
export function longestTtl(records: readonly DnsRecordEntry[]): number {
  return records.reduce((max, r) => Math.max(max, r.ttl === AUTO_TTL ? AUTO_TTL_SECONDS : r.ttl), 0);
}

function ttlNote(map: DomainMap): string {
  return `How long a change takes: a proxied record's change applies within seconds (visitors see Cloudflare's address, which does not change); a DNS-only record's reaches everyone within its TTL, here at most ${humanSeconds(longestTtl(map.records))}. Before moving a DNS-only record, lower its TTL to 5 minutes and wait one old TTL.`;
}
