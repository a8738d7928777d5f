/**
 * HTTP(S) checks: http:// goes to https:// on the same host first, every non-canonical
 * host reaches the canonical https:// URL in one permanent (301/308) hop, path and query
 * kept, at most two hops, no loop; the canonical URL answers; HSTS is sent with the
 * planned max-age.
 */
import { HSTS_MIN_MAX_AGE } from "../../policies/shared/bar";
import { judgeChain } from "../../policies/shared/redirect-chain";
import { webChecks } from "../../lib/provider-facts";
import type { DomainMap } from "../../lib/domain-map";
import type { HttpResponse, Net } from "./net";
import { makeRow } from "./row";
import type { CheckResult } from "./types";

/** A path and query that no real route uses, so a redirect that keeps them is visible. */
export const PROBE_PATH = "/launch-ready-verify/probe?check=redirect&keep=1";
const MAX_HOPS = 6;

export interface RedirectChain {
  hops: Array<{ url: string; status: number; location?: string }>;
  final?: HttpResponse;
  /** The URL that came round again, when the chain loops. */
  loop?: string;
  error?: string;
}

/** Follows redirects one request at a time (each bounded), stopping at a loop, an error, `stopAt`, or MAX_HOPS. */
export async function followRedirects(net: Net, start: string, stopAt?: string): Promise<RedirectChain> {
  const chain: RedirectChain = { hops: [] };
  const seen = new Set<string>();
  let url = start;
  for (let i = 0; i <= MAX_HOPS; i++) {
    if (seen.has(url)) {
      chain.loop = url;
      return chain;
    }
    seen.add(url);
    let res: HttpResponse;
    try {
      res = await net.request(url, { maxBodyBytes: 4096 });
    } catch (err) {
      chain.error = (err as Error).message;
      return chain;
    }
    const location = res.headers.location;
    const isRedirect = res.status >= 300 && res.status < 400 && !!location;
    const next = isRedirect ? new URL(location!, url).toString() : undefined;
    chain.hops.push({ url, status: res.status, location: next });
    if (!next) {
      chain.final = res;
      return chain;
    }
    if (stopAt && next === stopAt) return chain;
    url = next;
  }
  chain.error = `more than ${MAX_HOPS} redirects`;
  return chain;
}

const describe = (c: RedirectChain) =>
  c.hops
    .map((h) => `${h.url} (${h.status})`)
    .concat(c.hops.at(-1)?.location ? [c.hops.at(-1)!.location!] : [])
    .join(" -> ");

/**
 * `from` must reach `to` the way the minimum bar says (policies/shared/redirect-chain.ts, the
 * policy pack's judge too): http:// to https:// on the same host first, then one 301 to
 * the canonical origin; at most two hops, path and query kept, never a loop.
 */
export async function checkRedirect(net: Net, from: string, to: string): Promise<CheckResult> {
  const check = "Redirect to canonical";
  const chain = await followRedirects(net, from, to);
  const data = { hops: chain.hops };
  const verdict = judgeChain(from, new URL(to).origin, chain.hops, chain.loop);
  // A request that failed mid-chain (timeout, too many hops) is reported as such, with the chain's fix.
  if (chain.error && !chain.loop)
    return makeRow({
      id: "http.redirect",
      check,
      target: from,
      status: "fail",
      detail: chain.hops.length ? `${describe(chain)}: ${chain.error}` : chain.error,
      fix: verdict.fix,
      data,
    });
  return makeRow({ id: "http.redirect", check, target: from, status: verdict.status, detail: verdict.detail, fix: verdict.fix, data });
}

/** The canonical URL answers (following same-site redirects) without a loop or a server error. */
export async function checkCanonicalAnswers(net: Net, url: string): Promise<{ result: CheckResult; first?: HttpResponse }> {
  const check = "Canonical URL answers";
  const canonical = { id: "http.canonical", check, target: url };
  let first: HttpResponse | undefined;
  try {
    first = await net.request(url, { maxBodyBytes: 4096 });
  } catch (err) {
    return {
      result: makeRow({ ...canonical, status: "fail", detail: (err as Error).message, fix: "check the host is deployed and its DNS record points at it" }),
    };
  }
  const chain = await followRedirects(net, url);
  if (chain.loop) {
    return {
      first,
      result: makeRow({
        ...canonical,
        status: "fail",
        detail: `redirect loop: ${describe(chain)} comes back to ${chain.loop}`,
        fix: "remove the redirect that sends the canonical host away (often an apex/www setting on both Cloudflare and Vercel pointing at each other)",
        data: { hops: chain.hops },
      }),
    };
  }
  if (chain.error)
    return {
      first,
      result: makeRow({
        ...canonical,
        status: "fail",
        detail: `${describe(chain)}: ${chain.error}`,
        fix: "fix the redirect chain so the canonical URL answers",
      }),
    };
  const status = chain.final!.status;
  if (status >= 500)
    return {
      first,
      result: makeRow({ ...canonical, status: "fail", detail: `answers ${status}`, fix: "check the deployment's logs; the site is down" }),
    };
  if (status >= 400)
    return {
      first,
      result: makeRow({ ...canonical, status: "warn", detail: `answers ${status}`, fix: "serve a page at the canonical URL" }),
    };
  return {
    first,
    result: makeRow({ ...canonical, status: "pass", detail: `${status}${chain.hops.length > 1 ? ` after ${describe(chain)}` : ""} in ${chain.final!.ms} ms` }),
  };
}

export function parseHsts(header: string): { maxAge?: number; includeSubdomains: boolean; preload: boolean } {
  const parts = header.split(";").map((p) => p.trim().toLowerCase());
  const ma = parts.map((p) => /^max-age\s*=\s*"?(\d+)"?$/.exec(p)).find(Boolean);
  return { maxAge: ma ? Number(ma[1]) : undefined, includeSubdomains: parts.includes("includesubdomains"), preload: parts.includes("preload") };
}

const ONE_YEAR = 31536000;
const SIX_MONTHS = HSTS_MIN_MAX_AGE;

export function judgeHsts(url: string, res: HttpResponse, planned?: DomainMap["edge"]["hsts"]): CheckResult {
  const check = "HSTS header";
  const raw = res.headers["strict-transport-security"];
  const header = Array.isArray(raw) ? raw[0] : raw;
  const want = planned
    ? `max-age=${planned.maxAge}${planned.includeSubdomains ? "; includeSubDomains" : ""}${planned.preload ? "; preload" : ""}`
    : `max-age=${ONE_YEAR}; includeSubDomains`;
  const fix = `send "Strict-Transport-Security: ${want}" (Cloudflare SSL/TLS > Edge Certificates > HSTS, set by the stack's edge.hsts)`;
  if (!header)
    return makeRow({
      id: "http.hsts",
      check,
      target: url,
      status: "fail",
      detail: `no Strict-Transport-Security header (status ${res.status}): browsers keep trying plain http`,
      fix,
    });
  const h = parseHsts(header);
  const data = { header, ...h };
  if (h.maxAge === undefined) return makeRow({ id: "http.hsts", check, target: url, status: "fail", detail: `"${header}" has no valid max-age`, fix, data });
  if (h.maxAge === 0) return makeRow({ id: "http.hsts", check, target: url, status: "fail", detail: `"${header}": max-age=0 switches HSTS off`, fix, data });
  // The header itself asks for preload (hstspreload.org reads the directive as a request): hold it to the list's rules, stack or not.
  const preload = webChecks.hstsPreload;
  if (h.preload && (h.maxAge < preload.minMaxAge || !h.includeSubdomains)) {
    const why = [
      ...(h.maxAge < preload.minMaxAge ? [`max-age ${h.maxAge}s is under the ${preload.minMaxAge}s (one year) the preload list requires`] : []),
      ...(h.includeSubdomains ? [] : ["includeSubDomains, which the preload list requires, is missing"]),
    ];
    return makeRow({
      id: "http.hsts.preload",
      check: "HSTS preload",
      target: url,
      status: "fail",
      detail: `"${header}" asks for preload, but ${why.join(" and ")}: hstspreload.org refuses the domain`,
      fix: `send "Strict-Transport-Security: max-age=${preload.minMaxAge}; includeSubDomains; preload", or drop "preload" until every subdomain serves HTTPS`,
      data,
    });
  }
  const floor = planned?.maxAge ?? SIX_MONTHS;
  if (h.maxAge < floor)
    return makeRow({
      id: "http.hsts",
      check,
      target: url,
      status: "warn",
      detail: `"${header}": max-age ${h.maxAge}s is below ${planned ? "the planned" : "the recommended"} ${floor}s`,
      fix,
      data,
    });
  if (planned?.includeSubdomains && !h.includeSubdomains)
    return makeRow({ id: "http.hsts", check, target: url, status: "warn", detail: `"${header}": includeSubDomains is planned but not sent`, fix, data });
  if (planned?.preload && !h.preload)
    return makeRow({ id: "http.hsts", check, target: url, status: "warn", detail: `"${header}": preload is planned but not sent`, fix, data });
  return makeRow({ id: "http.hsts", check, target: url, status: "pass", detail: `"${header}" (max-age ${Math.round(h.maxAge / 86400)} days)`, data });
}

/** Every redirect the map implies: http->https on each host, and each redirect host to the canonical origin. */
export function plannedRedirects(map: DomainMap): Array<{ from: string; to: string }> {
  const canonical = new URL(map.canonicalOrigin || `https://${map.canonicalHost}`);
  const out: Array<{ from: string; to: string }> = [];
  const at = (origin: string) => new URL(PROBE_PATH, origin).toString();
  out.push({ from: at(`http://${canonical.host}`), to: at(canonical.origin) });
  for (const h of map.hosts) {
    if (h.hostname === canonical.hostname) continue;
    if (h.role === "redirect") {
      const dest = h.redirectsTo ? new URL(h.redirectsTo).origin : canonical.origin;
      out.push({ from: at(`http://${h.hostname}`), to: at(dest) }, { from: at(`https://${h.hostname}`), to: at(dest) });
    } else if (h.role === "subdomain") {
      out.push({ from: at(`http://${h.hostname}`), to: at(`https://${h.hostname}`) });
    }
  }
  return out;
}
