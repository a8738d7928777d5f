/**
 * The checks security scanners make that the bar implies: CAA at the apex, the security
 * headers HTTP Observatory grades, and HSTS preload readiness when the stack asks for preload.
 */
import type { DomainMap } from "../../lib/domain-map";
import { servedByVercel, targetText } from "../../lib/dns/records";
import type { HttpResponse, Net } from "./net";
import { makeRow, unanswered, type Fix } from "./row";
import { certificateAuthorities } from "../../lib/provider-facts";
import type { CheckResult, Status } from "./types";
import { caaText } from "../../policies/shared/dns-text";

/**
 * Certificate authorities a host's provider needs CAA to allow (policies/shared/certificate-authorities.json,
 * with sources): Cloudflare adds its own once any CAA record exists, so proxied hosts need nothing listed.
 */
export const PROVIDER_CAS: Record<string, string> = { vercel: certificateAuthorities.providers.vercel.issuers[0] };

type Caa = { critical: number; issue?: string; issuewild?: string; iodef?: string };

export async function checkCaa(net: Net, map: DomainMap): Promise<CheckResult> {
  const apex = map.zone.name;
  const row = (status: Status, detail: string, fix?: Fix, data?: Record<string, unknown>) =>
    makeRow({ id: "dns.caa", check: "CAA", target: apex, status, detail, fix, data });
  const r = await net.caa(apex);
  if (r.status === "error") return unanswered({ id: "dns.caa", check: "CAA", target: apex }, r.error);
  const records: Caa[] = r.status === "ok" ? (r.records as Caa[]) : [];
  // The stack's own CAA plan names every authority its hosts need (DNS-only hosts' caIssuers included); older maps: Vercel's.
  const declared = map.edge.caa?.published ? map.edge.caa.issuers : undefined;
  const needs = declared ? declared.map((i) => i.issuer) : [...new Set(map.hosts.filter(servedByVercel).map(() => PROVIDER_CAS.vercel))];
  const dnsOnly = map.hosts.filter((h) => !h.proxied && h.target !== "vercel").map((h) => `${h.hostname} (${targetText(h.target)})`);
  const add = (ca: string) => `${apex} CAA ${caaText({ flags: 0, tag: "issue", value: ca })}`;
  const iodef = `${apex} CAA ${caaText({ flags: 0, tag: "iodef", value: "mailto:<security contact>" })}`;
  if (!records.length) {
    return row(
      "warn",
      "no CAA record: any certificate authority may issue for the domain",
      `publish ${[...needs, ...(needs.length ? [] : ["<your CA>"])].map(add).join(" and ")} plus ${iodef} (Cloudflare adds its own authorities)`,
    );
  }
  const issuers = records.filter((c) => c.issue !== undefined).map((c) => (c.issue ?? "").split(";")[0].trim().toLowerCase());
  const allowed = issuers.filter((i) => i !== "");
  const data = { issue: allowed, iodef: records.filter((c) => c.iodef).map((c) => c.iodef) };
  const missing = needs.filter((ca) => issuers.length > 0 && !allowed.includes(ca));
  if (missing.length) {
    const who = declared ? declared.filter((i) => missing.includes(i.issuer)).flatMap((i) => i.hosts) : map.hosts.filter(servedByVercel).map((h) => h.hostname);
    return row(
      "fail",
      `CAA allows ${allowed.join(", ") || "no authority"}, not ${missing.join(", ")}: ${declared ? "the providers" : "Vercel"} cannot issue or renew certificates for ${[...new Set(who)].join(", ")}`,
      missing.map(add).join("; "),
      data,
    );
  }
  if (issuers.length > 0 && allowed.length === 0 && dnsOnly.length) {
    return row(
      "fail",
      `CAA forbids every authority (issue ";"), so the DNS-only hosts cannot get certificates: ${dnsOnly.join(", ")}`,
      `allow the CA each of them uses, e.g. ${add("letsencrypt.org")}`,
      data,
    );
  }
  if (!data.iodef.length)
    return row("warn", `CAA allows ${allowed.join(", ") || "Cloudflare only"}, with no iodef: nobody hears about a refused issuance`, `publish ${iodef}`, data);
  return row(
    "pass",
    `CAA allows ${allowed.join(", ") || "Cloudflare's authorities only"} (Cloudflare adds its own), iodef ${data.iodef.join(", ")}`,
    undefined,
    data,
  );
}

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** The security headers HTTP Observatory grades, on the canonical page: one row each. */
export function judgeSecurityHeaders(url: string, res: HttpResponse): CheckResult[] {
  const row = (check: string, status: Status, detail: string, fix?: Fix) => makeRow({ id: `http.headers`, check, target: url, status, detail, fix });
  const out: CheckResult[] = [];
  const nosniff = header(res, "x-content-type-options");
  out.push(
    nosniff?.trim().toLowerCase() === "nosniff"
      ? row("X-Content-Type-Options", "pass", "nosniff")
      : row(
          "X-Content-Type-Options",
          "fail",
          nosniff ? `"${nosniff}" is not nosniff` : "missing: browsers may guess a response's type",
          'send "X-Content-Type-Options: nosniff"',
        ),
  );
  const referrer = header(res, "referrer-policy");
  out.push(
    referrer
      ? row("Referrer-Policy", ["unsafe-url", "no-referrer-when-downgrade"].includes(referrer.trim().toLowerCase()) ? "warn" : "pass", referrer)
      : row(
          "Referrer-Policy",
          "warn",
          "missing: full URLs (with tokens in query strings) leak to other sites",
          'send "Referrer-Policy: strict-origin-when-cross-origin"',
        ),
  );
  const csp = header(res, "content-security-policy");
  const frameAncestors = csp && /(^|;)\s*frame-ancestors\s/i.test(csp);
  const xfo = header(res, "x-frame-options");
  out.push(
    frameAncestors || (xfo && /^(deny|sameorigin)$/i.test(xfo.trim()))
      ? row("Framing (frame-ancestors / X-Frame-Options)", "pass", frameAncestors ? "CSP frame-ancestors" : `X-Frame-Options: ${xfo}`)
      : row(
          "Framing (frame-ancestors / X-Frame-Options)",
          "fail",
          "any site may frame the page (clickjacking)",
          `send "Content-Security-Policy: frame-ancestors 'none'" (or 'self'), or "X-Frame-Options: DENY"`,
        ),
  );
  out.push(
    csp
      ? row("Content-Security-Policy", "pass", csp.length > 80 ? `${csp.slice(0, 79)}…` : csp)
      : row(
          "Content-Security-Policy",
          "warn",
          "missing: injected scripts run unhindered",
          "start with Content-Security-Policy-Report-Only to collect violations, then enforce",
        ),
  );
  const raw = res.headers["set-cookie"];
  const cookies = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const c of cookies) {
    const name = c.split("=")[0].trim();
    const attrs = c
      .split(";")
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    const missing = ["secure", "httponly"].filter((a) => !attrs.includes(a));
    if (!attrs.some((a) => a.startsWith("samesite="))) missing.push("SameSite");
    out.push(
      missing.length === 0
        ? row(`Cookie ${name}`, "pass", "Secure; HttpOnly; SameSite")
        : row(
            `Cookie ${name}`,
            missing.includes("secure") ? "fail" : "warn",
            `set without ${missing.map((m) => (m === "secure" ? "Secure" : m === "httponly" ? "HttpOnly" : m)).join(", ")}`,
            `set the cookie with Secure; HttpOnly; SameSite=Lax (HttpOnly only where scripts need not read it)`,
          ),
    );
  }
  return out;
}

/**
 * hstspreload.org's rules, when the stack asks for preload: the apex answers https with
 * max-age of at least a year, includeSubDomains and preload, and http:// on the apex goes to
 * https:// on the apex first. Returns every problem.
 */
export function preloadProblems(apex: string, httpsRes: HttpResponse | undefined, httpFirstLocation: string | undefined): string[] {
  const problems: string[] = [];
  if (!httpsRes) return [`https://${apex}/ does not answer`];
  const hsts = header(httpsRes, "strict-transport-security");
  if (!hsts) problems.push(`https://${apex}/ sends no Strict-Transport-Security header`);
  else {
    const maxAge = Number(/max-age\s*=\s*"?(\d+)/i.exec(hsts)?.[1] ?? 0);
    if (maxAge < 31536000) problems.push(`max-age is ${maxAge}, under 31536000 (one year)`);
    if (!/(^|;)\s*includesubdomains\s*(;|$)/i.test(hsts)) problems.push("includeSubDomains is missing");
    if (!/(^|;)\s*preload\s*(;|$)/i.test(hsts)) problems.push("the preload directive is missing");
  }
  const sameHost = (() => {
    try {
      const loc = httpFirstLocation ? new URL(httpFirstLocation, `http://${apex}/`) : undefined;
      return !!loc && loc.protocol === "https:" && loc.hostname === apex;
    } catch {
      return false; // an unparsable Location is no redirect to the apex
    }
  })();
  if (!sameHost) problems.push(`http://${apex}/ must redirect to https://${apex}/ first${httpFirstLocation ? ` (it goes to ${httpFirstLocation})` : ""}`);
  return problems;
}

export async function checkPreloadReady(net: Net, apex: string): Promise<CheckResult> {
  const target = `https://${apex}/`;
  let httpsRes: HttpResponse | undefined;
  let httpRes: HttpResponse | undefined;
  try {
    httpsRes = await net.request(target, { maxBodyBytes: 1024 });
  } catch {
    httpsRes = undefined;
  }
  try {
    httpRes = await net.request(`http://${apex}/`, { maxBodyBytes: 1024 });
  } catch {
    httpRes = undefined;
  }
  const location = httpRes ? header(httpRes, "location") : undefined;
  const problems = preloadProblems(apex, httpsRes, location);
  return problems.length
    ? makeRow({
        id: "http.hsts.preload",
        check: "HSTS preload ready",
        target,
        status: "fail",
        detail: `the stack asks for preload, but ${problems.join("; ")}`,
        fix: "meet hstspreload.org's requirements before submitting the domain",
      })
    : makeRow({
        id: "http.hsts.preload",
        check: "HSTS preload ready",
        target,
        status: "pass",
        detail: "max-age ≥ 1 year, includeSubDomains, preload, http:// to https:// on the apex first",
      });
}

/** Where registration data is asked for: rdap.org redirects to the registry's RDAP server (IANA bootstrap, RFC 9224). */
export const DEFAULT_RDAP_BASE = "https://rdap.org/domain/";
const DAY = 86400000;

/** The registration's expiry from an RDAP domain answer (RFC 9083 events, eventAction "expiration"). */
export function rdapExpiry(json: unknown): Date | undefined {
  const events = (json as { events?: Array<{ eventAction?: string; eventDate?: string }> } | undefined)?.events ?? [];
  const date = events.find((e) => e.eventAction === "expiration")?.eventDate;
  const parsed = date ? new Date(date) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}

/**
 * The domain's registration expiry through RDAP (following the bootstrap redirect), bounded
 * like every call. A lapsed registration takes the whole launch down with it: warn under 45
 * days, fail under 14 (registrars' auto-renew runs well before either).
 */
export async function checkRegistration(net: Net, apex: string, now: Date = new Date(), base = DEFAULT_RDAP_BASE): Promise<CheckResult> {
  const row = (status: Status, detail: string, fix?: Fix) =>
    makeRow({ id: "dns.registration", check: "Domain registration", target: apex, status, detail, fix });
  let url = `${base}${apex}`;
  let res: HttpResponse | undefined;
  try {
    for (let hop = 0; hop < 3; hop++) {
      res = await net.request(url, { headers: { accept: "application/rdap+json" }, maxBodyBytes: 262144 });
      const location = res.status >= 300 && res.status < 400 ? res.headers.location : undefined;
      if (!location) break;
      url = new URL(String(location), url).toString();
    }
  } catch (err) {
    return row("warn", `could not be checked: RDAP ${url}: ${(err as Error).message}`, `look the expiry up at your registrar (whois ${apex})`);
  }
  if (!res || res.status !== 200)
    return row("warn", `could not be checked: RDAP ${url} answered ${res?.status}`, `look the expiry up at your registrar (whois ${apex})`);
  let expiry: Date | undefined;
  try {
    expiry = rdapExpiry(JSON.parse(res.body));
  } catch {
    expiry = undefined;
  }
  if (!expiry) return row("warn", `could not be checked: RDAP ${url} gives no expiration event`, `look the expiry up at your registrar (whois ${apex})`);
  const days = Math.floor((expiry.getTime() - now.getTime()) / DAY);
  const when = expiry.toISOString().slice(0, 10);
  const renew = `renew ${apex} at the registrar and turn auto-renew on`;
  if (days < 14) return row("fail", days < 0 ? `the registration expired on ${when}` : `the registration expires in ${days} days (${when})`, renew);
  if (days < 45) return row("warn", `the registration expires in ${days} days (${when})`, renew);
  return row("pass", `registered until ${when} (${days} days)`);
}
