/**
 * `--domain example.com`: no stack, so discover what a careful engineer would look at
 * (apex and www addresses, MX, SPF, DMARC, DKIM at the selectors the sender catalogue names, which host is
 * canonical) and build a domain map to verify, with no plan to compare records against.
 */
import type { DomainMap, HostEntry } from "../../lib/domain-map";
import { dkimProbes, providersOfInclude, senderEntry } from "../../policies/shared/senders";
import { isSpfRecord, parseSpf } from "../../policies/shared/spf";
import { whereToCopy } from "../../lib/email/senders";
import { addresses } from "./dns-checks";
import { followRedirects } from "./http-checks";
import type { Net } from "./net";
import { Net as NetClass } from "./net";
import { DEFAULT_DEADLINE_MS, deadlineText, makeReport, runVerification } from "./runner";
import { TimeoutError, withTimeout } from "./limit";
import { makeRow } from "./row";
import type { CheckResult, Report, VerifyOptions } from "./types";

/** A lookup that failed is an error to report, never an absence to act on. */
const NAMESERVERS_FIX = (apex: string) => `check that ${apex}'s nameservers answer (dig NS ${apex}), or the --dns-server given, then re-run verify`;

/**
 * What the DKIM probes say about a sending domain with no stack: for each SPF include that names
 * catalogue providers, whether a key sits at their selectors (and which page gives it when not);
 * and, when no key was found anywhere and no include explains why, that the mail is unsigned.
 */
function dkimGaps(
  apex: string,
  txtRecords: readonly string[],
  found: readonly string[],
  given: readonly string[],
  probes: ReturnType<typeof dkimProbes>,
): CheckResult[] {
  const rows: CheckResult[] = [];
  const warn = (target: string, detail: string, fix: string) =>
    rows.push(makeRow({ id: "email.dkim", check: "DKIM key", target, status: "warn", detail, fix }));
  const includes = [...new Set(txtRecords.filter(isSpfRecord).flatMap((t) => parseSpf(t).includes))];
  for (const include of includes) {
    // One include can serve several providers (amazonses.com: Amazon SES and Resend): a key of any of them will do.
    const entries = providersOfInclude(include)
      .map((kind) => ({ kind, entry: senderEntry(kind)! }))
      .filter(({ entry }) => entry.dkim?.under === "sending-domain");
    if (!entries.length) continue;
    const names = entries.map(({ entry }) => entry.name).join(" or ");
    const pages = entries.map(({ entry }) => whereToCopy(entry)).join("; or ");
    const own = probes.filter((p) => entries.some(({ kind }) => p.kinds.includes(kind))).map((p) => p.selector);
    // A provider that sets its selectors per domain can only be checked at the selectors given.
    const perDomain = entries.filter(({ kind }) => !probes.some((p) => p.kinds.includes(kind)));
    if ([...own, ...(perDomain.length ? given : [])].some((s) => found.includes(s))) continue;
    if (perDomain.length)
      warn(
        `*._domainkey.${apex}`,
        `the SPF's include:${include} authorises ${names}; ${perDomain.map(({ entry }) => entry.name).join(" and ")} set${perDomain.length > 1 ? "" : "s"} DKIM selectors per domain${own.length ? ` and no key is at ${own.join(", ")}` : ""}: not checked`,
        `copy the DKIM selectors from ${pages}, and name each with --dkim-selector <selector>`,
      );
    else
      warn(
        `${own[0]}._domainkey.${apex}`,
        `the SPF's include:${include} authorises ${names} but no DKIM key is at ${own.join(", ")}: its mail fails DKIM, and DMARC once the policy leaves p=none`,
        `publish the DKIM records from ${pages}; if it shows another selector, name it with --dkim-selector <selector>`,
      );
  }
  if (!found.length && !rows.length) {
    const where = given.length ? `the given selectors (${given.join(", ")}) or ` : "";
    warn(
      `*._domainkey.${apex}`,
      `no DKIM key at ${where}the selectors the sender catalogue's providers use (${probes.map((p) => p.selector).join(", ")})`,
      "publish your sender's DKIM record; if it uses another selector, name it with --dkim-selector <selector>",
    );
  }
  return rows;
}

/**
 * The one row for a domain that does not exist: every question about the apex was answered
 * NXDOMAIN (RFC 8020: nothing exists at or under that name), so every other check would only
 * repeat it, or worse, pass ("no MX") on a name nobody can reach.
 */
export function nxdomainRow(apex: string, net: Net): CheckResult {
  return makeRow({
    id: "dns.nxdomain",
    check: "Domain exists",
    target: apex,
    status: "fail",
    detail: `${apex} does not exist: ${net.dnsDescription(apex)} answered NXDOMAIN for its A, MX and TXT records, so nothing else was checked`,
    fix: `check the spelling of ${apex}; that it is registered and not expired (whois ${apex}, or your registrar's dashboard); and that the registrar lists the nameservers of your DNS host (dig NS ${apex}; on Cloudflare, the two nameservers the zone's Overview page names)`,
  });
}

export async function discoverDomainMap(
  net: Net,
  domain: string,
  dkimSelectors: readonly string[] = [],
): Promise<{ map: DomainMap; rows: CheckResult[] } | { map: undefined; rows: CheckResult[] }> {
  const apex = domain.toLowerCase().replace(/\.$/, "");
  const www = `www.${apex}`;
  const found = await lookUpApex(net, apex, www);
  const { apexAddr, wwwAddr, mx, txt } = found;
  if (apexAddr.nx && mx.status === "nxdomain" && txt.status === "nxdomain") return { map: undefined, rows: [nxdomainRow(apex, net)] };
  const rows = discoveredRows(apex, www, found);
  const canonicalHost = await canonicalHostOf(net, apex, www, apexAddr);
  const hosts = discoveredHosts(canonicalHost, [
    [apex, apexAddr],
    [www, wwwAddr],
  ]);
  const mail = await discoverMail(net, apex, found, dkimSelectors);
  rows.push(...mail.rows);
  return { map: discoveredMap(apex, canonicalHost, hosts, mail), rows };
}

type Addresses = Awaited<ReturnType<typeof addresses>>;

/** What discovery asks about the apex and www, all at once. */
async function lookUpApex(net: Net, apex: string, www: string) {
  const [apexAddr, wwwAddr, apexCname, wwwCname, mx, txt] = await Promise.all([
    addresses(net, apex),
    addresses(net, www),
    net.cname(apex),
    net.cname(www),
    net.mx(apex),
    net.txt(apex),
  ]);
  return { apexAddr, wwwAddr, apexCname, wwwCname, mx, txt };
}

type ApexLookups = Awaited<ReturnType<typeof lookUpApex>>;

/** A lookup that failed: the answer is unknown, not "none". */
const failedRow = (apex: string, check: string, target: string, error: string) =>
  makeRow({ id: "dns.discovered", check, target, status: "fail", detail: `could not be checked: ${error}`, fix: NAMESERVERS_FIX(apex) });

/** MX hosts that receive mail (a null MX receives none). */
const mailHosts = (mx: ApexLookups["mx"]) => (mx.status === "ok" ? mx.records.filter((m) => m.exchange && m.exchange !== ".") : []);

/** What was found at the apex and www (addresses, MX), and the lookups that failed. */
function discoveredRows(apex: string, www: string, { apexAddr, wwwAddr, apexCname, wwwCname, mx, txt }: ApexLookups): CheckResult[] {
  const rows: CheckResult[] = [];
  const describe = (addr: { addresses: string[] }, cname: Awaited<ReturnType<Net["cname"]>>) =>
    `${cname.status === "ok" ? `CNAME ${cname.records.join(", ")}; ` : ""}${addr.addresses.length ? addr.addresses.join(", ") : "no address"}`;
  for (const [name, addr, cname, missing] of [
    [apex, apexAddr, apexCname, ["fail", `point ${apex} at your site (A/AAAA, or a proxied CNAME on Cloudflare)`]],
    [www, wwwAddr, wwwCname, ["warn", `add ${www} redirecting to ${apex}: people type it`]],
  ] as const) {
    if (addr.error && !addr.addresses.length) rows.push(failedRow(apex, "Discovered", name, addr.error));
    else
      rows.push(
        makeRow({
          id: "dns.discovered",
          check: "Discovered",
          target: name,
          status: addr.addresses.length ? "pass" : missing[0],
          detail: describe(addr, cname),
          fix: addr.addresses.length ? undefined : missing[1],
        }),
      );
  }
  const mxHosts = mailHosts(mx);
  if (mx.status === "error") rows.push(failedRow(apex, "Discovered MX", apex, mx.error));
  else
    rows.push(
      makeRow({
        id: "dns.discovered",
        check: "Discovered MX",
        target: apex,
        status: "pass",
        detail: mxHosts.length ? mxHosts.map((m) => `${m.priority} ${m.exchange}`).join(", ") : "no MX (receives no mail)",
      }),
    );
  if (txt.status === "error") rows.push(failedRow(apex, "Discovered TXT (SPF)", apex, txt.error));
  return rows;
}

/** Which host is canonical: where https://apex/ ends up (www when the apex has no address). */
async function canonicalHostOf(net: Net, apex: string, www: string, apexAddr: Addresses): Promise<string> {
  if (!apexAddr.addresses.length) return www;
  const chain = await followRedirects(net, `https://${apex}/`);
  const end = chain.hops.at(-1);
  const endHost = end ? new URL(end.location ?? end.url).hostname : undefined;
  return endHost === www ? www : apex;
}

/** The hosts that answer: the canonical one, and the other redirecting to it. */
function discoveredHosts(canonicalHost: string, named: ReadonlyArray<readonly [string, Addresses]>): HostEntry[] {
  return named
    .filter(([, addr]) => addr.addresses.length)
    .map(([name, addr]) => ({
      hostname: name,
      role: name === canonicalHost ? "canonical" : "redirect",
      target: addr.addresses[0].includes(":") ? { ipv6: addr.addresses[0] } : { ipv4: addr.addresses[0] },
      proxied: false,
      redirectsTo: name === canonicalHost ? undefined : `https://${canonicalHost}`,
    }));
}

interface DiscoveredMail {
  /** Whether the domain sends mail (an SPF or an MX); only meaningful when mailKnown. */
  sends: boolean;
  mailKnown: boolean;
  /** The DKIM selectors that have a key. */
  found: string[];
  rows: CheckResult[];
}

/** Whether the domain sends mail, the DKIM keys at the given and catalogued selectors, and the gaps. */
async function discoverMail(net: Net, apex: string, { mx, txt }: ApexLookups, dkimSelectors: readonly string[]): Promise<DiscoveredMail> {
  const rows: CheckResult[] = [];
  const hasSpf = txt.status === "ok" && txt.records.some(isSpfRecord);
  const sends = hasSpf || mailHosts(mx).length > 0;
  // Whether the domain sends mail is unknown when its MX or TXT lookup failed: check neither way.
  const mailKnown = mx.status !== "error" && txt.status !== "error";
  const probes = dkimProbes();
  const selectors = [...new Set([...dkimSelectors, ...probes.map((p) => p.selector)])];
  const lookups = await Promise.all(selectors.map(async (s) => ({ s, r: await net.txt(`${s}._domainkey.${apex}`) })));
  const found = lookups.filter(({ r }) => r.status === "ok").map(({ s }) => s);
  const dkimErrors = lookups.filter(({ r }) => r.status === "error");
  for (const { s, r } of dkimErrors.filter(({ s }) => dkimSelectors.includes(s)))
    rows.push(failedRow(apex, "DKIM key", `${s}._domainkey.${apex}`, (r as { error: string }).error));
  if (mailKnown && sends && dkimErrors.length === 0) rows.push(...dkimGaps(apex, txt.status === "ok" ? txt.records : [], found, dkimSelectors, probes));
  return { sends, mailKnown, found, rows };
}

/** A domain map of what was discovered: no plan, so no records to compare; the home page monitored when a host answers. */
function discoveredMap(apex: string, canonicalHost: string, hosts: HostEntry[], { sends, mailKnown, found }: DiscoveredMail): DomainMap {
  return {
    stack: "discovered",
    notes: [],
    environment: "production",
    zone: { name: apex, id: "", plan: "free", managesZoneSettings: false },
    canonicalOrigin: `https://${canonicalHost}`,
    canonicalHost,
    hosts,
    records: [],
    email: {
      senders: found.length ? [{ name: "discovered", kind: "discovered", sendingDomain: apex, spfDomain: apex, dkimSelectors: found }] : [],
      sendingDomains: mailKnown && sends ? [apex] : [],
      nonSendingDomains: mailKnown && !sends ? [apex] : [],
      dmarc: { name: `_dmarc.${apex}`, record: "", policy: "", rua: [] },
    },
    edge: { hsts: { maxAge: 0, includeSubdomains: false, preload: false }, minTlsVersion: "1.2", rateLimits: [], cachedPaths: [], bypassPaths: [] },
    hosting: { provider: "vercel", projectId: "", env: { production: [], preview: [], development: [] } },
    monitors: hosts.length
      ? [{ name: "home page", url: `https://${canonicalHost}/`, critical: false, latencyTargetMs: 2000, failureThreshold: 3, intervalSeconds: 30, regions: [] }]
      : [],
    alerts: { emails: [], slack: false, webhooks: 0 },
    apiCorsOrigins: [],
  };
}

/** Discovers and verifies a domain with no stack, within the run's deadline (discovery included). */
export async function verifyDomain(domain: string, options: VerifyOptions = {}): Promise<Report> {
  const startedAt = Date.now();
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const net = new NetClass(options);
  const source = options.source ?? `domain:${domain}`;
  let discovered: Awaited<ReturnType<typeof discoverDomainMap>>;
  try {
    discovered = await withTimeout(discoverDomainMap(net, domain, options.dkimSelectors), deadlineMs, `discovering ${domain}`);
  } catch (err) {
    if (!(err instanceof TimeoutError)) throw err;
    // Discovery's queries to a silent server are still waiting: stop them, or they keep the process alive past the deadline.
    net.close();
    const row = makeRow({
      id: "dns.discovered",
      check: "Discovered",
      target: domain,
      status: "fail",
      detail: `not discovered: the run's deadline of ${deadlineText(deadlineMs)} passed`,
      fix: NAMESERVERS_FIX(domain),
    });
    return makeReport(domain, source, [row], startedAt, !!options.strict);
  }
  net.close();
  if (!discovered.map) return makeReport(domain, source, discovered.rows, startedAt, !!options.strict);
  return runVerification(discovered.map, { ...options, source }, { discovered: true, extraRows: discovered.rows, startedAt });
}
