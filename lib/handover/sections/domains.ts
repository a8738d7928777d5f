/** What points where: hostnames, DNS records, and how long DNS changes take. */
import type { DnsRecordEntry, DomainMap, HostEntry } from "../../domain-map";
import { unquoteTxt } from "../../../policies/shared/dns-text";
import { blocks, bullets, code, heading, humanSeconds, table, truncate, yesNo } from "../markdown";

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
  const explain = bullets([
    "Proxied means traffic goes through Cloudflare first: it hides the server's address and applies TLS, caching, the firewall and rate limits.",
    "DNS only means Cloudflare just answers DNS; visitors connect to the target directly. That is right for mail and provider verification records.",
  ]);
  return blocks(heading(2, "Domain map"), table(["Hostname", "Role", "Points to", "Through Cloudflare", "Notes"], rows), explain);
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

export function recordsSection(map: DomainMap): string {
  if (map.records.length === 0) return blocks(heading(2, "DNS records"), "The stack declares no DNS records.");
  const rows = sortedRecords(map.records).map((r) => [
    code(r.name),
    r.type,
    recordContent(r),
    yesNo(r.proxied),
    ttlLabel(r),
    r.adopted ? `${r.purpose} (adopted)` : r.purpose,
  ]);
  const intro = `All ${map.records.length} records live in the Cloudflare zone ${code(map.zone.name)}. Long values are shortened here; the full list is in ${code(`pulumi stack output domainMap --json --stack ${map.stack}`)}.`;
  const adopted = map.records.filter((r) => r.adopted).length;
  const adoptedNote = adopted
    ? `${adopted} record(s) marked "adopted" existed before this stack: it imported and now manages them, and ${code("pulumi destroy")} leaves them in the zone (retainOnDelete). Delete one by hand in the Cloudflare dashboard if it is really no longer needed.`
    : "";
  const rulesets = map.zone.adoptedRulesets ?? [];
  const rulesetNote = rulesets.length
    ? `Adopted rule phases (${rulesets.map(code).join(", ")}): their entrypoint rulesets existed before this stack. It imported them and replaced their rules with its own (plus any carried over in ${code("edge.extraRules")}); ${code("pulumi destroy")} leaves them in the zone with the stack's rules, so remove those rules in the dashboard if you leave Launch Ready.`
    : undefined;
  return blocks(
    heading(2, "DNS records"),
    intro,
    table(["Name", "Type", "Content", "Proxied", "TTL", "Purpose"], rows),
    adoptedNote,
    rulesetNote,
    ttlSection(map),
  );
}

/** The longest time a resolver may keep serving an old answer after a change. */
export function longestTtl(records: readonly DnsRecordEntry[]): number {
  return records.reduce((max, r) => Math.max(max, r.ttl === AUTO_TTL ? AUTO_TTL_SECONDS : r.ttl), 0);
}

function ttlSection(map: DomainMap): string {
  const longest = longestTtl(map.records);
  return blocks(
    heading(3, "How long DNS changes take"),
    bullets([
      "Proxied records: the address visitors see is Cloudflare's and does not change, so a change of where Cloudflare sends traffic applies within seconds.",
      `DNS-only records: resolvers keep the old answer for up to the record's TTL. The longest here is ${humanSeconds(longest)}, so allow that long for a change, or a rollback, to reach everyone.`,
      "Before a planned move of a DNS-only record, lower its TTL to 5 minutes, wait one old TTL, make the change, then raise it again.",
    ]),
  );
}
