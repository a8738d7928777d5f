/**
 * The canonical redirect: one canonical origin (https, one host), every alias 301s to it.
 */
import { LaunchPolicy, StackRes, T, policySettings, setting, isZoneEdgeConfig, num, obj, stackResources, str } from "./util";
import { apexOf, isWebRecordType, qualify, recordNamer, shown } from "./hosts";
import { expressionHosts, ruleLabel, rulesOf } from "./expressions";
import { ChainHop, judgeChain } from "../shared/redirect-chain";

export interface DeclaredRedirect {
  from: string[];
  /** The target's scheme and host, when they can be read. */
  scheme?: string;
  toHost?: string;
  statusCode?: number;
  /** Which request schemes the rule answers: a rule without an `ssl` condition answers both. */
  schemes: Array<"http" | "https">;
  label: string;
  urn: string;
}

/** The schemes an expression admits: `ssl` as a condition means https only, `not ssl` http only. */
export function schemesOf(expression: unknown): Array<"http" | "https"> {
  const text = str(expression) ?? "";
  if (/\bnot\s+ssl\b/.test(text)) return ["http"];
  if (/(^|[\s(])ssl\b/.test(text) && !/\bor\b/.test(text)) return ["https"];
  if (/http\.request\.full_uri\s+wildcard\s+"https:/.test(text)) return ["https"];
  return ["http", "https"];
}

/**
 * The hops a request takes through the declared edge: Single Redirects first, then
 * Always Use HTTPS for plain http (Cloudflare's order), until nothing answers.
 */
export function simulateChain(start: string, redirects: readonly DeclaredRedirect[], alwaysUseHttps: boolean): { hops: ChainHop[]; loop?: string } {
  const hops: ChainHop[] = [];
  const seen = new Set<string>([start]);
  let url = new URL(start);
  for (let i = 0; i < 6; i++) {
    const scheme = url.protocol.replace(":", "") as "http" | "https";
    const rule = redirects.find((r) => r.from.includes(url.hostname) && r.schemes.includes(scheme) && r.toHost);
    const tail = `${url.pathname}${url.search}`;
    let next: string | undefined;
    let status = 301;
    if (rule) {
      next = `${rule.scheme ?? "https"}://${rule.toHost}${tail}`;
      status = rule.statusCode ?? 301;
    } else if (scheme === "http" && alwaysUseHttps) next = `https://${url.host}${tail}`;
    if (!next) break;
    hops.push({ url: url.toString(), status, location: next });
    if (seen.has(next)) return { hops, loop: next };
    seen.add(next);
    url = new URL(next);
  }
  return { hops };
}

/** Reads scheme and host from a target URL value or a concat("https://host", ...) expression. */
export function targetOf(target: unknown): { scheme?: string; host?: string } {
  const t = obj(target) ?? {};
  const text = str(t.value) ?? str(t.expression) ?? str(target) ?? "";
  const m = /(https?):\/\/([a-z0-9.-]+)/i.exec(text);
  return m ? { scheme: m[1].toLowerCase(), host: m[2].toLowerCase() } : {};
}

export function redirectsDeclared(resources: StackRes[]): DeclaredRedirect[] {
  const out: DeclaredRedirect[] = [];
  for (const r of resources) {
    if (r.type === T.ruleset && str(r.props.phase) === "http_request_dynamic_redirect") {
      for (const rule of rulesOf(r.props)) {
        if (!rule.enabled || str(rule.action) !== "redirect") continue;
        const ap = obj(rule.actionParameters) ?? obj(rule.action_parameters) ?? {};
        const from = obj(ap.fromValue) ?? obj(ap.from_value) ?? {};
        const { scheme, host } = targetOf(from.targetUrl ?? from.target_url);
        out.push({
          from: expressionHosts(rule.expression),
          scheme,
          toHost: host,
          statusCode: num(from.statusCode ?? from.status_code),
          schemes: schemesOf(rule.expression),
          label: `${ruleLabel(rule)} of ${r.name}`,
          urn: r.urn,
        });
      }
    } else if (r.type === T.pageRule) {
      const fw = obj(obj(r.props.actions)?.forwardingUrl);
      if (!fw) continue;
      const { scheme, host } = targetOf(fw.url);
      const fromHost = (str(r.props.target) ?? "").replace(/^https?:\/\//, "").split("/")[0];
      const targetScheme = /^(https?):\/\//.exec(str(r.props.target) ?? "")?.[1] as "http" | "https" | undefined;
      out.push({
        from: fromHost ? [qualify(fromHost)] : [],
        scheme,
        toHost: host,
        statusCode: num(fw.statusCode),
        schemes: targetScheme ? [targetScheme] : ["http", "https"],
        label: `page rule ${r.name}`,
        urn: r.urn,
      });
    }
  }
  return out;
}

const REDIRECT_SETTINGS = policySettings({ canonicalHost: setting.string("") });

export const canonicalRedirect: LaunchPolicy = {
  name: "canonical-redirect",
  severity: "high",
  remediationSteps:
    "Keep one canonical host (Launch Ready config site.canonical) with site.redirectTwin: true, so the twin answers https:// with one 301 to https://<canonical> and http:// goes to https:// on the same host first. " +
    'In a hand-written stack: a dynamic redirect rule (http.host eq "www.example.com" and ssl) -> concat("https://example.com", http.request.uri.path), ' +
    "statusCode 301, preserveQueryString true. Set this policy's canonicalHost to pin the target.",
  url: "https://developers.cloudflare.com/rules/url-forwarding/single-redirects/",
  description:
    "The site must have one canonical origin: when a stack serves both the apex and www, one must permanently redirect (301/308) to the other, and every " +
    "redirect must target https:// and the canonical host (a declared web host that does not itself redirect), never a chain or loop. Duplicate hosts " +
    "split cookies, sessions, CORS origins and search ranking. http:// goes to https:// on the same host first (Single Redirects run before Always Use HTTPS, so the rule matches only https), at most two hops.",
  enforcementLevel: "mandatory",
  configSchema: REDIRECT_SETTINGS.schema,
  validateStack: (args, report) => {
    const cfg = REDIRECT_SETTINGS.read(args);
    const resources = stackResources(args);
    if (!resources.some(isZoneEdgeConfig) && !resources.some((r) => r.type === T.pageRule)) {
      args.notApplicable("the stack declares no zone-level Cloudflare configuration");
    }
    const nameOf = recordNamer(resources);
    const webHosts = new Set(
      resources
        .filter((r) => r.type === T.dnsRecord && isWebRecordType(str(r.props.type)?.toUpperCase()) && !(str(r.props.name) ?? "").startsWith("*"))
        .map(nameOf),
    );
    const redirects = redirectsDeclared(resources);
    const sources = new Set(redirects.flatMap((r) => r.from));
    const canonical = cfg.canonicalHost ? qualify(cfg.canonicalHost) : undefined;
    for (const rd of redirects) {
      if (rd.scheme === "http") report(`${rd.label} redirects to http://${rd.toHost}: redirect to https://.`, rd.urn);
      if (rd.statusCode !== undefined && rd.statusCode !== 301 && rd.statusCode !== 308) {
        report(`${rd.label} uses status ${rd.statusCode}: a canonical redirect is permanent (301 or 308).`, rd.urn);
      }
      if (!rd.toHost) continue;
      if (canonical && rd.toHost !== canonical) report(`${rd.label} redirects to ${rd.toHost}, not the canonical host ${canonical}.`, rd.urn);
      else if (sources.has(rd.toHost))
        report(`${rd.label} redirects to ${rd.toHost}, which itself redirects: point it at the canonical host (no chains or loops).`, rd.urn);
      else if (!canonical && !webHosts.has(rd.toHost))
        report(`${rd.label} redirects to ${rd.toHost}, which this stack does not declare as a web host.`, rd.urn);
    }
    // The chain each twin's visitors take, judged as verify judges the live one: http:// to
    // https:// on the same host first, one hop to the canonical origin, at most two.
    // A stack that does not declare Always Use HTTPS leaves it to the zone (the zone-settings policy judges that).
    const auh = resources.find((r) => r.type === T.zoneSetting && str(r.props.settingId) === "always_use_https");
    const alwaysUseHttps = auh ? str(auh.props.value) === "on" : true;
    for (const rd of redirects) {
      const target = canonical ?? rd.toHost;
      if (!target || rd.scheme === "http") continue;
      for (const host of rd.from.filter((h) => !h.startsWith("*"))) {
        for (const start of [`http://${host}/launch-ready/probe?q=1`, `https://${host}/launch-ready/probe?q=1`]) {
          const { hops, loop } = simulateChain(start, redirects, alwaysUseHttps);
          const verdict = judgeChain(start, `https://${target}`, hops, loop);
          if (verdict.status === "fail") {
            const why =
              rd.schemes.includes("http") && start.startsWith("http:")
                ? " (Single Redirects run before Always Use HTTPS, so this rule answers http:// itself)"
                : "";
            report(`${start.replace(/\/launch-ready.*$/, "")}: ${verdict.detail}${why}. Fix: ${verdict.fix}.`, rd.urn);
          }
        }
      }
    }
    // apex + www both served: one must redirect to the other.
    for (const host of webHosts) {
      const apex = apexOf(host);
      if (host !== apex || !webHosts.has(`www.${apex}`)) continue;
      const www = `www.${apex}`;
      const joined = redirects.some((r) => (r.from.includes(www) && r.toHost === apex) || (r.from.includes(apex) && r.toHost === www));
      if (!joined) {
        const urn = resources.find((r) => r.type === T.dnsRecord && nameOf(r) === www)?.urn;
        report(`both ${shown(apex)} and ${shown(www)} are served but neither redirects to the other: add a 301 from one to the canonical host.`, urn);
      }
    }
  },
};
