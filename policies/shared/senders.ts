/**
 * The mail sender catalogue (mail-senders.json): where each provider's records go, as data
 * with sources. The program plans from it, the SPF lookup count reads its include costs,
 * and the pack's dkim-for-spf-senders asks for DKIM from each provider an SPF record names.
 * lib/provider-facts validates the file with zod (the pack stays free of dependencies).
 */
import catalogueJson from "./mail-senders.json";

/** Where a fact was read: the URL, the date, and whether the page is the provider's own. */
export interface SenderFactSource {
  source: string;
  read: string;
  providerPage: boolean;
  note?: string;
}

export interface SenderSpfFact extends SenderFactSource {
  /** The include domain; null when not found: the founder gives it (spfInclude). */
  include: string | null;
  /** "apex": the sending domain's own SPF; "return-path": the provider's envelope (bounce) subdomain. */
  at: "apex" | "return-path";
}

export interface SenderReturnPathFact extends SenderFactSource {
  /** Default label below the sending domain ("@": the sending domain itself); null when the founder picks it or the dashboard shows it. */
  label: string | null;
  labelFromDashboard: boolean;
  /** "cname": the name is a CNAME to the provider, which carries SPF; "spf-and-mx": its own SPF TXT and MX. */
  record: "cname" | "spf-and-mx";
  cnameTarget: string | null;
  /** Bounce MX hosts (`{region}` filled from the sender's region); null when the dashboard shows them. */
  mx: Array<{ host: string; priority: number }> | null;
}

export interface SenderDkimFact extends SenderFactSource {
  type: "TXT" | "CNAME" | null;
  /** Fixed selector names; null when the provider generates or the founder chooses them. */
  selectors: string[] | null;
  /** Selectors the provider uses unless the admin picks others (its page says so): verify --domain probes them, the program never writes them. */
  defaultSelectors?: string[];
  count: number | null;
  /** Targets the program can write itself (`{domain}`: the sending domain), by selector. */
  cnameTargets: Record<string, string> | null;
  /** Which name the `_domainkey` records sit under. */
  under: "sending-domain" | "return-path";
}

/** Where the provider receives the domain's mail (roles include "inbound"). */
export interface SenderInboundFact extends SenderFactSource {
  /** The domain's MX hosts; null when they are the tenant's own (the founder copies them into email.mx). */
  mx: Array<{ host: string; priority: number }> | null;
}

export type SenderRole = "inbound" | "transactional" | "marketing";

export interface SenderEntry {
  name: string;
  roles: SenderRole[];
  setupPage: { url: string; read: string };
  /** Where in the provider's dashboard the founder finds the values. */
  dashboard: string;
  /** What the founder copies from there. */
  copy: string;
  spf: SenderSpfFact | null;
  returnPath: SenderReturnPathFact | null;
  dkim: SenderDkimFact | null;
  inbound: SenderInboundFact | null;
  signsWithOwnDomainByDefault: boolean | null;
  notFound: string[];
}

export interface SenderCatalogue {
  what: string;
  read: string;
  method: string;
  providers: Record<string, SenderEntry>;
  /** The DNS lookups an include costs in all (itself and the nested ones), by include domain. */
  includes: Record<string, SenderFactSource & { lookups: number }>;
}

export const SENDER_CATALOGUE = catalogueJson as unknown as SenderCatalogue;

/** The sender kinds, in catalogue order. */
export const SENDER_KIND_NAMES = Object.keys(SENDER_CATALOGUE.providers);

export function senderEntry(kind: string): SenderEntry | undefined {
  return SENDER_CATALOGUE.providers[kind];
}

/** True when the provider sends mail (transactional or marketing), so it must sign with the founder's domain. */
export function sendsMail(entry: SenderEntry): boolean {
  return entry.roles.some((r) => r !== "inbound");
}

/** The catalogue's include costs as a plain map, for the SPF lookup count. */
export function includeLookupCosts(catalogue: SenderCatalogue = SENDER_CATALOGUE): Record<string, number> {
  return Object.fromEntries(Object.entries(catalogue.includes).map(([domain, fact]) => [domain, fact.lookups]));
}

/**
 * The catalogue providers an SPF include authorises: every kind whose include is this domain
 * (amazonses.com: Amazon SES and Resend). Empty for an include the catalogue does not know.
 */
export function providersOfInclude(include: string, catalogue: SenderCatalogue = SENDER_CATALOGUE): string[] {
  const domain = include.toLowerCase();
  return Object.entries(catalogue.providers)
    .filter(([, e]) => e.spf?.include === domain)
    .map(([kind]) => kind);
}

/**
 * The DKIM selectors worth probing on a domain with no stack (verify --domain): each provider's
 * fixed and default selectors under the sending domain, with the providers that use each.
 */
export function dkimProbes(catalogue: SenderCatalogue = SENDER_CATALOGUE): Array<{ selector: string; kinds: string[] }> {
  const bySelector = new Map<string, string[]>();
  for (const [kind, entry] of Object.entries(catalogue.providers)) {
    if (!entry.dkim || entry.dkim.under !== "sending-domain") continue;
    for (const selector of new Set([...(entry.dkim.selectors ?? []), ...(entry.dkim.defaultSelectors ?? [])]))
      bySelector.set(selector, [...(bySelector.get(selector) ?? []), kind]);
  }
  return [...bySelector].map(([selector, kinds]) => ({ selector, kinds }));
}
