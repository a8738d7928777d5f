/**
 * The runner: turns a domain map into check tasks, runs them with bounded concurrency
 * (each network call inside is bounded by the timeout), and assembles the report.
 */
import type { DomainMap } from "../../lib/domain-map";
import { compareToBaseline } from "./baseline";
import { bundlePages, checkBundles } from "./bundles";
import { checkCaaIssuer } from "./caa-issuer";
import { runRedTeam } from "./red-team";
import { checkCors, apiEndpoints } from "./cors";
import { checkHostResolves, checkRecordGroup, recordGroups } from "./dns-checks";
import { checkDkim, checkDmarc, checkNoMail, checkSpfLive } from "./email-checks";
import { checkMonitor } from "./health";
import { checkCanonicalAnswers, checkRedirect, judgeHsts, plannedRedirects } from "./http-checks";
import { mapLimit, TimeoutError, withTimeout } from "./limit";
import { Net } from "./net";
import { checkCaa, checkPreloadReady, checkRegistration, judgeSecurityHeaders } from "./scanner-checks";
import { checkDnssec } from "./dnssec";
import { checkCertificate, checkLegacyTls } from "./tls-checks";
import { forRun, makeRow } from "./row";
import { vercelEdgeTasks } from "./vercel-edge-checks";
import type { Category, CheckResult, Report, Status, VerifyOptions } from "./types";

export const CATEGORIES: Category[] = ["dns", "email", "http", "tls", "health", "cors", "bundles", "redteam"];

interface Task {
  category: Category;
  label: string;
  run: () => Promise<CheckResult[]>;
}

export interface RunContext {
  /** The map was discovered from live DNS (--domain): there is no plan to compare with. */
  discovered?: boolean;
  /** Rows produced before the run (discovery notes). */
  extraRows?: CheckResult[];
  /** When the run began (Date.now()), discovery included: the deadline and the printed duration count from here. */
  startedAt?: number;
}

export const DEFAULT_DEADLINE_MS = 60_000;

/** "60 s", or "500 ms" under a second. */
export function deadlineText(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export function buildTasks(map: DomainMap, net: Net, options: VerifyOptions, ctx: RunContext = {}): Task[] {
  const tasks: Task[] = [];
  const add = (category: Category, label: string, run: () => Promise<CheckResult[] | CheckResult>) =>
    tasks.push({ category, label, run: async () => [await run()].flat() });

  // DNS
  for (const host of map.hosts) add("dns", `resolve ${host.hostname}`, () => checkHostResolves(net, host));
  for (const group of recordGroups(map)) add("dns", `records ${group[0].type} ${group[0].name}`, () => checkRecordGroup(net, group));
  if (map.zone.name) {
    add("dns", `caa ${map.zone.name}`, () => checkCaa(net, map));
    if (map.edge.dnssec || map.stack === "discovered") add("dns", `dnssec ${map.zone.name}`, () => checkDnssec(net, map));
    add("dns", `registration ${map.zone.name}`, () => checkRegistration(net, map.zone.name, options.now, options.rdapBase));
  }

  // Email
  for (const domain of unique(map.email.sendingDomains)) add("email", `spf ${domain}`, () => checkSpfLive(net, domain, map.email.senders));
  for (const sender of map.email.senders) {
    for (const selector of unique(sender.dkimSelectors)) {
      add("email", `dkim ${selector} ${sender.sendingDomain}`, () => checkDkim(net, selector, sender.sendingDomain, sender));
    }
  }
  if (map.email.dmarc?.name) {
    add("email", `dmarc ${map.email.dmarc.name}`, () => checkDmarc(net, map.email.dmarc.name, ctx.discovered ? undefined : { policy: map.email.dmarc.policy }));
  }
  for (const name of unique(map.email.nonSendingDomains)) add("email", `no-mail ${name}`, () => checkNoMail(net, name, map.zone.name));

  // HTTP
  for (const r of plannedRedirects(map)) add("http", `redirect ${r.from}`, () => checkRedirect(net, r.from, r.to));
  const canonical = new URL(map.canonicalOrigin || `https://${map.canonicalHost}`);
  const hsts = ctx.discovered ? undefined : map.edge.hsts;
  add("http", `canonical ${canonical.origin}`, async () => {
    const { result, first } = await checkCanonicalAnswers(net, `${canonical.origin}/`);
    if (!first) return [result];
    // Scanners grade the page itself: a canonical origin that answers with a redirect is judged where it lands.
    const page = first.status >= 300 && first.status < 400 ? undefined : first;
    return [result, judgeHsts(`${canonical.origin}/`, first, hsts), ...(page ? judgeSecurityHeaders(`${canonical.origin}/`, page) : [])];
  });
  if (!ctx.discovered && map.edge.hsts.preload && map.zone.name) add("http", `preload ${map.zone.name}`, () => checkPreloadReady(net, map.zone.name));
  for (const h of map.hosts.filter((x) => x.role === "subdomain" && x.hostname !== canonical.hostname)) {
    const url = `https://${h.hostname}/`;
    add("http", `hsts ${url}`, async () => {
      try {
        return judgeHsts(url, await net.request(url, { maxBodyBytes: 1024 }), hsts);
      } catch (err) {
        return makeRow({
          id: "http.hsts",
          check: "HSTS header",
          target: url,
          status: "fail",
          detail: (err as Error).message,
          fix: `serve HTTPS on ${h.hostname}`,
        });
      }
    });
  }

  // Cloudflare in front of Vercel (tools/verify/vercel-edge-checks.ts)
  if (!ctx.discovered) for (const t of vercelEdgeTasks(map, net, options)) add(t.category, t.label, t.run);

  // TLS
  for (const host of unique([canonical.hostname, ...map.hosts.map((h) => h.hostname)])) {
    add("tls", `certificate ${host}`, () => checkCertificate(net, host, options.now));
    add("tls", `legacy ${host}`, () => checkLegacyTls(net, host, map.edge.minTlsVersion));
    if (map.zone.name && (host === map.zone.name || host.endsWith(`.${map.zone.name}`)))
      add("tls", `caa-issuer ${host}`, () => checkCaaIssuer(net, host, map.zone.name));
  }

  // Health
  for (const m of map.monitors) add("health", `monitor ${m.url}`, () => checkMonitor(net, m, options.latencySamples ?? 5));

  // CORS
  if (map.apiCorsOrigins?.length) {
    const apis = apiEndpoints(map);
    if (!apis.length) {
      add("cors", "cors", async () =>
        makeRow({
          id: "cors.endpoint",
          check: "CORS on the API",
          target: map.canonicalHost,
          status: "warn",
          detail: "the map lists CORS origins but no API URL (no api.* host or /api monitor) to check them on",
          fix: "add a monitor for the API's health route",
        }),
      );
    }
    for (const url of apis) add("cors", `cors ${url}`, () => checkCors(net, url, map.apiCorsOrigins));
  }

  // Client bundles: every script the pages load is public.
  add("bundles", `bundles ${canonical.origin}`, () => checkBundles(net, bundlePages(map), options.bundleLimits));

  // Red team: only when asked for (--red-team FILE).
  if (options.redTeam) add("redteam", `red team ${options.redTeam.config.url}`, () => runRedTeam(net, options.redTeam!, map));

  const only = options.only?.length ? new Set(options.only) : undefined;
  return only ? tasks.filter((t) => only.has(t.category)) : tasks;
}

/** Verifies the live internet against a domain map. Never throws for a network problem: it becomes a fail row. */
export async function runVerification(map: DomainMap, options: VerifyOptions = {}, ctx: RunContext = {}): Promise<Report> {
  const started = ctx.startedAt ?? Date.now();
  const deadline = started + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const net = new Net(options);
  const tasks = buildTasks(map, net, options, ctx);
  const results = await mapLimit(tasks, options.concurrency ?? 8, async (t) => {
    const left = deadline - Date.now();
    const late = (): CheckResult[] => [
      makeRow({
        id: `${t.category}.deadline`,
        check: t.label,
        target: t.label,
        status: "fail",
        detail: `not checked: the run's deadline of ${deadlineText(options.deadlineMs ?? DEFAULT_DEADLINE_MS)} passed`,
        fix: "find what is slow in the rows above (a silent DNS server, a host that never answers), or raise --deadline",
      }),
    ];
    if (left <= 0) return late();
    try {
      return await withTimeout(t.run(), left, t.label);
    } catch (err) {
      if (err instanceof TimeoutError) return late();
      return [
        makeRow({
          id: `${t.category}.error`,
          check: t.label,
          target: t.label,
          status: "fail",
          detail: `the check itself failed (${(err as Error).message})`,
          fix: "re-run verify; report this if it repeats",
        }),
      ];
    }
  });
  // Checks cut off at the deadline are still waiting on the network: stop them, so nothing outlives the run.
  net.close();
  const only = options.only?.length ? new Set(options.only) : undefined;
  const extra = (ctx.extraRows ?? []).filter((r) => !only || only.has(r.category));
  const measured = results.flat();
  if (options.baseline) measured.push(...compareToBaseline(measured, options.baseline, options.maxRegressionPct));
  const rows = [...extra, ...measured].map((r) => forRun(r, !ctx.discovered));
  const checks = rows.sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  return makeReport(map.zone?.name || map.canonicalHost, options.source ?? "map", checks, started, !!options.strict);
}

export function makeReport(domain: string, source: string, checks: CheckResult[], started: number, strict: boolean): Report {
  const summary: Record<Status, number> = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) summary[c.status] += 1;
  return {
    domain,
    source,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    summary,
    checks,
    ok: summary.fail === 0 && (!strict || summary.warn === 0),
    strict,
  };
}

function unique(items: readonly string[] | undefined): string[] {
  return [...new Set((items ?? []).map((i) => i.toLowerCase()))];
}
