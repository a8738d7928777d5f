// Host names and DNS records: normalising, qualifying and finding the apex of record names; record types and TXT content.
import { unquoteTxt } from "../shared/spf";
import { str } from "./util";

/** DNS names are case-insensitive and may carry a trailing dot. */
export function normHost(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** Placeholder zone for hand-written relative names ("@", "www"). */
export const RELATIVE_ZONE = "zone.invalid";

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
  "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk",
  "com.au", "net.au", "org.au", "edu.au", "gov.au",
  "co.nz", "org.nz", "net.nz",
  "co.jp", "ne.jp", "or.jp",
  "com.br", "net.br", "org.br",
  "co.in", "net.in", "org.in", "firm.in",
  "co.za", "org.za",
  "com.mx", "com.ar", "com.tr", "com.sg", "com.hk", "com.tw", "com.cn", "com.my",
  "co.kr", "or.kr", "co.il", "co.id", "co.th",
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
