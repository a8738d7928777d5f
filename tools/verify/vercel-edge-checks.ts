/**
 * Cloudflare in front of Vercel, checked live: the paths Vercel needs pass the proxy untouched
 * (vercel.acme-path, vercel.well-known-cache), the app's HTML arrives as the app rendered it
 * (html.rewritten), pages and RSC payloads are not served from the edge cache (cache.html-hit),
 * and the production deployment cannot be reached around Cloudflare (vercel.origin-bypass:
 * the app's critical routes through each --vercel-host and through Vercel's address with the
 * app's Host header). Every request is bounded by the run's timeout; --connect-to points them
 * at local servers.
 */
import type { DomainMap } from "../../lib/domain-map";
import { cloudflareFacts, vercelFacts } from "../../lib/provider-facts";
import { HTML_REWRITING } from "../../policies/shared/html-rewriting";
import { VERCEL_APEX_A } from "../../policies/shared/vercel-targets";
import type { HttpResponse, Net } from "./net";
import { makeRow } from "./row";
import type { Category, CheckResult, VerifyOptions } from "./types";

const { challengeHeader, cacheStatusHeader } = cloudflareFacts.edgeResponses;
const PROBE = "launch-ready-verify";
const REVERSE_PROXY_DOC = "vercel.com/docs/security/reverse-proxy";

/** The proxied hosts Vercel serves (the redirecting twin is answered by Cloudflare). */
export function proxiedVercelHosts(map: DomainMap): string[] {
  return map.hosts.filter((h) => h.proxied && h.target === "vercel" && h.role !== "redirect").map((h) => h.hostname);
}

const header = (r: HttpResponse, name: string) => {
  const v = r.headers[name];
  return (Array.isArray(v) ? v.join(", ") : (v ?? "")).trim();
};
const challenged = (r: HttpResponse) => header(r, challengeHeader.name).toLowerCase() === challengeHeader.value;
const cacheHit = (r: HttpResponse) => header(r, cacheStatusHeader.name).toUpperCase() === cacheStatusHeader.hit;
const mediaType = (r: HttpResponse) => header(r, "content-type").split(";")[0].trim().toLowerCase();

async function attempt(fn: () => Promise<CheckResult>, id: string, check: string, target: string): Promise<CheckResult> {
  try {
    return await fn();
  } catch (err) {
    return makeRow({
      id,
      check,
      target,
      status: "warn",
      detail: `could not be checked: ${(err as Error).message}`,
      fix: "re-run verify once the host answers",
    });
  }
}

export function checkAcmePath(net: Net, host: string): Promise<CheckResult> {
  const url = `http://${host}${vercelFacts.reverseProxy.acmeChallengePath}${PROBE}`;
  const check = "Certificate challenge path reaches Vercel over HTTP";
  return attempt(
    async () => {
      const r = await net.request(url, { maxBodyBytes: 4096 });
      if (r.status >= 300 && r.status < 400) {
        return makeRow({
          id: "vercel.acme-path",
          check,
          target: url,
          status: "fail",
          detail: `answered ${r.status} to ${header(r, "location") || "(no location)"}: Vercel cannot issue or renew ${host}'s certificate (it shows "Invalid Configuration")`,
          fix: `let http://${host}/.well-known/acme-challenge/* reach Vercel without the HTTPS redirect (${REVERSE_PROXY_DOC}): remove the rule or page rule that redirects it`,
        });
      }
      if (challenged(r)) {
        return makeRow({
          id: "vercel.acme-path",
          check,
          target: url,
          status: "fail",
          detail: `Cloudflare answered with a challenge page (${challengeHeader.name}: ${challengeHeader.value}): the certificate authority cannot solve it, so ${host}'s certificate cannot be issued or renewed`,
          fix: `skip the WAF and bot challenges for /.well-known/acme-challenge/ on ${host}`,
        });
      }
      return makeRow({ id: "vercel.acme-path", check, target: url, status: "pass", detail: `answered ${r.status} without a redirect or a challenge` });
    },
    "vercel.acme-path",
    check,
    url,
  );
}

export function checkWellKnownUncached(net: Net, host: string): Promise<CheckResult> {
  const url = `https://${host}${vercelFacts.reverseProxy.wellKnownVercelPath}${PROBE}`;
  const check = "/.well-known/vercel/ is never served from Cloudflare's cache";
  return attempt(
    async () => {
      // Twice: a cacheable first answer is only a HIT the second time.
      const answers = [await net.request(url, { maxBodyBytes: 4096 }), await net.request(url, { maxBodyBytes: 4096 })];
      if (answers.some(cacheHit)) {
        return makeRow({
          id: "vercel.well-known-cache",
          check,
          target: url,
          status: "fail",
          detail: `came from Cloudflare's cache (${cacheStatusHeader.name}: ${cacheStatusHeader.hit}): Vercel's domain checks read a stale answer`,
          fix: `never cache /.well-known/vercel/* on ${host} (${REVERSE_PROXY_DOC}): a cache rule that bypasses /.well-known/, as Launch Ready declares`,
        });
      }
      return makeRow({
        id: "vercel.well-known-cache",
        check,
        target: url,
        status: "pass",
        detail: `not a cache hit (${header(answers[1], cacheStatusHeader.name) || "no cache status"})`,
      });
    },
    "vercel.well-known-cache",
    check,
    url,
  );
}

/** The page and its RSC payload: never rewritten by Cloudflare, never a cache hit. */
export async function checkPage(net: Net, host: string): Promise<CheckResult[]> {
  const url = `https://${host}/`;
  const rewriteCheck = "HTML arrives as the app rendered it";
  const cacheCheck = "Pages and RSC payloads are not served from the edge cache";
  try {
    const page = [await net.request(url), await net.request(url)];
    const rsc = [await net.request(url, { headers: { rsc: "1" } }), await net.request(url, { headers: { rsc: "1" } })];
    const rows: CheckResult[] = [];
    const html = page.find((r) => mediaType(r) === "text/html");
    const found = html ? HTML_REWRITING.filter((f) => f.markers.some((m) => html.body.includes(m))) : [];
    rows.push(
      found.length
        ? makeRow({
            id: "html.rewritten",
            check: rewriteCheck,
            target: url,
            status: "fail",
            detail: `the page carries ${found.map((f) => `${f.label}'s script (${f.markers.find((m) => html!.body.includes(m))})`).join(" and ")}: Cloudflare rewrote the HTML, and a React app's hydration fails on it`,
            fix: {
              stack: `set the zone setting${found.length > 1 ? "s" : ""} ${found.map((f) => `${f.settingId}`).join(", ")} to "off" (Launch Ready declares ${found.length > 1 ? "them" : "it"} off: run \`pulumi up\`)`,
              withoutStack: `set the zone setting${found.length > 1 ? "s" : ""} ${found.map((f) => `${f.settingId}`).join(", ")} to "off" in the Cloudflare dashboard`,
            },
            data: { features: found.map((f) => f.settingId) },
          })
        : makeRow({
            id: "html.rewritten",
            check: rewriteCheck,
            target: url,
            status: "pass",
            detail: html ? "no script Cloudflare injects was found in the page" : "the page is not HTML",
          }),
    );
    const hits = [...page, ...rsc].filter((r) => cacheHit(r) && ["text/html", "text/x-component"].includes(mediaType(r)));
    rows.push(
      hits.length
        ? makeRow({
            id: "cache.html-hit",
            check: cacheCheck,
            target: url,
            status: "fail",
            detail: `a ${[...new Set(hits.map(mediaType))].join(" and a ")} response came from Cloudflare's cache (${cacheStatusHeader.name}: ${cacheStatusHeader.hit}): visitors get another visitor's page, and Cloudflare ignores Vary: rsc, so an RSC payload can be served as the page`,
            fix: `cache only static assets at the edge: remove the cache rule (or "Cache Everything") that matches pages on ${host}`,
          })
        : makeRow({ id: "cache.html-hit", check: cacheCheck, target: url, status: "pass", detail: "neither the page nor its RSC payload was a cache hit" }),
    );
    return rows;
  } catch (err) {
    const why = `could not be checked: ${(err as Error).message}`;
    return [
      makeRow({ id: "html.rewritten", check: rewriteCheck, target: url, status: "warn", detail: why, fix: "re-run verify once the host answers" }),
      makeRow({ id: "cache.html-hit", check: cacheCheck, target: url, status: "warn", detail: why, fix: "re-run verify once the host answers" }),
    ];
  }
}

/** The routes an attacker would flood: rate-limited paths and critical monitors on the Vercel hosts. */
export function criticalRoutes(map: DomainMap, hosts: readonly string[]): string[] {
  const fromLimits = map.edge.rateLimits.flatMap((l) => l.paths.slice(0, 1));
  const fromMonitors = map.monitors
    .filter((m) => m.critical)
    .map((m) => new URL(m.url))
    .filter((u) => hosts.includes(u.hostname))
    .map((u) => u.pathname);
  return [...new Set([...fromLimits, ...fromMonitors])].slice(0, 6);
}

/** Through a way in that skips Cloudflare: a 403 is the origin lock refusing; any other answer means the route is served there. */
export async function checkOriginBypass(
  net: Net,
  via: { label: string; origin: string; host?: string },
  routes: readonly string[],
  locked: boolean,
): Promise<CheckResult> {
  const check = "The app cannot be reached around Cloudflare";
  const served: string[] = [];
  const errors: string[] = [];
  for (const route of routes) {
    try {
      const r = await net.request(`${via.origin}${route}`, { maxBodyBytes: 1024, ...(via.host ? { headers: { host: via.host } } : {}) });
      if (r.status !== 403) served.push(`${route} (${r.status})`);
    } catch (err) {
      errors.push(`${route}: ${(err as Error).message}`);
    }
  }
  if (served.length) {
    return makeRow({
      id: "vercel.origin-bypass",
      check,
      target: via.label,
      status: "fail",
      detail: `served ${served.join(", ")} without passing Cloudflare: none of its WAF, rate limits or bot checks apply there`,
      fix: {
        stack: locked
          ? "run `pulumi up` so the Vercel firewall rule of the origin lock is in place, and check the project's firewall is enabled"
          : "turn the origin lock on (remove edge.originLock: false) and run `pulumi up`",
        withoutStack:
          "deny requests that did not pass Cloudflare in the Vercel project's firewall (a secret header Cloudflare adds, which Launch Ready's edge.originLock sets up)",
      },
      data: { served },
    });
  }
  if (errors.length === routes.length)
    return makeRow({
      id: "vercel.origin-bypass",
      check,
      target: via.label,
      status: "warn",
      detail: `could not be checked: ${errors.join("; ")}`,
      fix: "re-run verify",
    });
  return makeRow({
    id: "vercel.origin-bypass",
    check,
    target: via.label,
    status: "pass",
    detail: `refused ${routes.length - errors.length} critical route(s) (403)`,
  });
}

/** The tasks for the runner, one per check and host. */
export function vercelEdgeTasks(
  map: DomainMap,
  net: Net,
  options: Pick<VerifyOptions, "vercelHosts">,
): Array<{ category: Category; label: string; run: () => Promise<CheckResult[] | CheckResult> }> {
  const hosts = proxiedVercelHosts(map);
  if (hosts.length === 0) return [];
  const tasks: Array<{ category: Category; label: string; run: () => Promise<CheckResult[] | CheckResult> }> = [];
  for (const host of hosts) {
    tasks.push({ category: "http", label: `acme path ${host}`, run: () => checkAcmePath(net, host) });
    tasks.push({ category: "http", label: `well-known cache ${host}`, run: () => checkWellKnownUncached(net, host) });
    tasks.push({ category: "http", label: `page ${host}`, run: () => checkPage(net, host) });
  }
  // Maps written before the origin lock existed say nothing about it: only --vercel-host asks.
  const lock = map.edge.originLock;
  if (!lock && !options.vercelHosts?.length) return tasks;
  const routes = criticalRoutes(map, hosts);
  if (routes.length === 0) return tasks;
  const locked = lock?.on ?? false;
  for (const v of options.vercelHosts ?? []) {
    tasks.push({
      category: "http",
      label: `origin bypass ${v}`,
      run: () => checkOriginBypass(net, { label: `https://${v}`, origin: `https://${v}` }, routes, locked),
    });
  }
  const host = hosts[0];
  tasks.push({
    category: "http",
    label: `origin bypass ${VERCEL_APEX_A} ${host}`,
    run: () => checkOriginBypass(net, { label: `https://${VERCEL_APEX_A} (Host: ${host})`, origin: `https://${VERCEL_APEX_A}`, host }, routes, locked),
  });
  return tasks;
}
