/**
 * `--domain example.com`: no stack, so discover what a careful engineer would look at
 * (apex and www addresses, MX, SPF, DMARC, DKIM at common selectors, which host is
 * canonical) and build a domain map to verify, with no plan to compare records against.
 */
import type { DomainMap, HostEntry } from "../../lib/domain-map";
import { isSpfRecord } from "../../policies/shared/spf";
import { addresses } from "./dns-checks";
import { followRedirects } from "./http-checks";
import type { Net } from "./net";
import { Net as NetClass } from "./net";
import { runVerification } from "./runner";
import { makeRow } from "./row";
import type { CheckResult, Report, VerifyOptions } from "./types";

/** Selectors used by common senders: Google Workspace, Microsoft 365, SendGrid, Mailchimp, Resend, Postmark, Amazon SES-style defaults. */
export const COMMON_DKIM_SELECTORS = [
  "google",
  "selector1",
  "selector2",
  "s1",
  "s2",
  "k1",
  "k2",
  "resend",
  "pm",
  "mandrill",
  "mxvault",
  "default",
  "dkim",
  "mail",
  "smtp",
];

function note(
  id: string,
  category: CheckResult["category"],
  check: string,
  target: string,
  status: CheckResult["status"],
  detail: string,
  fix?: string,
): CheckResult {
  return makeRow(id, category, check, target, status, detail, fix);
}

export async function discoverDomainMap(net: Net, domain: string): Promise<{ map: DomainMap; rows: CheckResult[] }> {
  const apex = domain.toLowerCase().replace(/\.$/, "");
  const www = `www.${apex}`;
  const rows: CheckResult[] = [];
  const [apexAddr, wwwAddr, apexCname, wwwCname, mx, txt] = await Promise.all([
    addresses(net, apex),
    addresses(net, www),
    net.cname(apex),
    net.cname(www),
    net.mx(apex),
    net.txt(apex),
  ]);
  const describe = (name: string, addr: { addresses: string[] }, cname: Awaited<ReturnType<Net["cname"]>>) =>
    `${cname.status === "ok" ? `CNAME ${cname.records.join(", ")}; ` : ""}${addr.addresses.length ? addr.addresses.join(", ") : "no address"}`;
  rows.push(
    note(
      "dns.discovered",
      "dns",
      "Discovered",
      apex,
      apexAddr.addresses.length ? "pass" : "fail",
      describe(apex, apexAddr, apexCname),
      apexAddr.addresses.length ? undefined : `point ${apex} at your site (A/AAAA, or a proxied CNAME on Cloudflare)`,
    ),
  );
  rows.push(
    note(
      "dns.discovered",
      "dns",
      "Discovered",
      www,
      wwwAddr.addresses.length ? "pass" : "warn",
      describe(www, wwwAddr, wwwCname),
      wwwAddr.addresses.length ? undefined : `add ${www} redirecting to ${apex}: people type it`,
    ),
  );
  const mxHosts = mx.status === "ok" ? mx.records.filter((m) => m.exchange && m.exchange !== ".") : [];
  rows.push(
    note(
      "dns.discovered",
      "dns",
      "Discovered MX",
      apex,
      "pass",
      mxHosts.length ? mxHosts.map((m) => `${m.priority} ${m.exchange}`).join(", ") : "no MX (receives no mail)",
    ),
  );

  // Which host is canonical: where https://apex/ ends up.
  let canonicalHost = apexAddr.addresses.length ? apex : www;
  if (apexAddr.addresses.length) {
    const chain = await followRedirects(net, `https://${apex}/`);
    const end = chain.hops.at(-1);
    const endHost = end ? new URL(end.location ?? end.url).hostname : undefined;
    if (endHost === www) canonicalHost = www;
  }
  const hosts: HostEntry[] = [];
  for (const [name, addr] of [
    [apex, apexAddr],
    [www, wwwAddr],
  ] as const) {
    if (!addr.addresses.length) continue;
    hosts.push({
      hostname: name,
      role: name === canonicalHost ? "canonical" : "redirect",
      target: addr.addresses[0].includes(":") ? { ipv6: addr.addresses[0] } : { ipv4: addr.addresses[0] },
      proxied: false,
      redirectsTo: name === canonicalHost ? undefined : `https://${canonicalHost}`,
    });
  }

  const hasSpf = txt.status === "ok" && txt.records.some(isSpfRecord);
  const sends = hasSpf || mxHosts.length > 0;
  const found = (
    await Promise.all(COMMON_DKIM_SELECTORS.map(async (s) => ((await net.txt(`${s}._domainkey.${apex}`)).status === "ok" ? s : undefined)))
  ).filter((s): s is string => !!s);
  if (sends && !found.length) {
    rows.push(
      note(
        "email.dkim",
        "email",
        "DKIM key",
        `*._domainkey.${apex}`,
        "warn",
        `no DKIM key at the common selectors (${COMMON_DKIM_SELECTORS.join(", ")})`,
        "publish your sender's DKIM record; if it uses another selector, verify with a stack (--stack) that lists it",
      ),
    );
  }

  const map: DomainMap = {
    stack: "discovered",
    environment: "production",
    zone: { name: apex, id: "", plan: "free", managesZoneSettings: false },
    canonicalOrigin: `https://${canonicalHost}`,
    canonicalHost,
    hosts,
    records: [],
    email: {
      senders: found.length ? [{ name: "discovered", kind: "discovered", sendingDomain: apex, spfDomain: apex, dkimSelectors: found }] : [],
      sendingDomains: sends ? [apex] : [],
      nonSendingDomains: sends ? [] : [apex],
      dmarc: { name: `_dmarc.${apex}`, record: "", policy: "", rua: [] },
    },
    edge: { hsts: { maxAge: 0, includeSubdomains: false, preload: false }, minTlsVersion: "1.2", rateLimits: [], cachedPaths: [], bypassPaths: [], notes: [] },
    hosting: { provider: "vercel", projectId: "", env: { production: [], preview: [], development: [] } },
    monitors: hosts.length
      ? [{ name: "home page", url: `https://${canonicalHost}/`, critical: false, latencyTargetMs: 2000, failureThreshold: 3, intervalSeconds: 30, regions: [] }]
      : [],
    alerts: { emails: [], slack: false, webhooks: 0 },
    apiCorsOrigins: [],
  };
  return { map, rows };
}

/** Discovers and verifies a domain with no stack. */
export async function verifyDomain(domain: string, options: VerifyOptions = {}): Promise<Report> {
  const net = new NetClass(options);
  const { map, rows } = await discoverDomainMap(net, domain);
  return runVerification(map, { ...options, source: options.source ?? `domain:${domain}` }, { discovered: true, extraRows: rows });
}
