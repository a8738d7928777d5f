/**
 * Rate limits: credential-stuffing and LLM-cost abuse target login and chat routes,
 * so where a stack declares those routes it must rate-limit them at the edge.
 *
 * Which routes a stack "declares" (documented rule, see routesDeclared):
 *  - every path the policy config lists in `routes` (e.g. ["/api/chat"]);
 *  - every uptime check's resourcePath (aws:route53/healthCheck);
 *  - every path literal in a Cloudflare ruleset expression of a phase that acts on the
 *    route (custom firewall, redirect rules...), and page rule targets. Not the rate-limit
 *    phase itself, nor the `precautionaryPhases` (default: cache rules): a never-cache list
 *    names paths in case they exist (Launch Ready config default lists /signup and /webhooks/ for
 *    every app), so it says nothing about which routes the app has.
 * A declared route is sensitive when one of its path segments is in `routePatterns`
 * (default: login, signin, signup, register, auth, chat, completions, webhook, password...).
 */
import { isHostLiteral } from "../shared/bar";
import { loosening, MAX_LOOSENING, parseConfiguredRates } from "../shared/rate-limits";
import { LaunchPolicy, StackRes, T, policySettings, setting, forType, isZoneEdgeConfig, num, obj, stackResources, str } from "./util";
import { expressionLiterals, expressionMentionsPath, expressionPathSegments, pathSegments, ruleLabel, rulesOf } from "./expressions";

export const DEFAULT_ROUTE_PATTERNS = [
  "login",
  "signin",
  "sign-in",
  "signup",
  "sign-up",
  "register",
  "auth",
  "chat",
  "completions",
  "webhook",
  "webhooks",
  "password",
  "reset-password",
  "otp",
  "magic-link",
];

/** Phases whose path lists are precautions, not routes the app declares (see the module comment). */
export const DEFAULT_PRECAUTIONARY_PHASES = ["http_request_cache_settings"];

/** Actions that actually limit traffic (log only counts). */
const LIMITING_ACTIONS = new Set(["block", "managed_challenge", "challenge", "js_challenge"]);

export const ratelimitEffective: LaunchPolicy = {
  name: "ratelimit-ruleset-effective",
  severity: "high",
  remediationSteps:
    "Give the http_ratelimit ruleset at least one enabled rule with action block or managed_challenge, a positive request count and period, counting by ip.src and cf.colo.id (Launch Ready config edge.rateLimits), " +
    "e.g. 20 requests per 10 s per IP on /api/chat with action block.",
  url: "https://developers.cloudflare.com/waf/rate-limiting-rules/",
  description:
    "A rate-limit ruleset (phase http_ratelimit) must contain at least one enabled rule that limits: action block or managed_challenge, " +
    "a positive requestsPerPeriod and period, and counting characteristics (ip.src and cf.colo.id). An empty or log-only ruleset looks like protection " +
    "but stops nothing.",
  enforcementLevel: "mandatory",
  validateResource: forType(T.ruleset, (props, args, report) => {
    if (str(props.phase) !== "http_ratelimit") args.notApplicable("not a rate-limit ruleset");
    const rules = rulesOf(props).filter((r) => r.enabled);
    if (rules.length === 0) {
      report("the http_ratelimit ruleset has no enabled rules: add a rate-limit rule for your login/chat routes.");
      return;
    }
    for (const rule of rules) {
      const action = str(rule.action);
      if (action && !LIMITING_ACTIONS.has(action))
        report(`${ruleLabel(rule)} has action "${action}", which does not limit traffic: use block or managed_challenge.`);
      const rl = obj(rule.ratelimit);
      if (!rl) {
        report(`${ruleLabel(rule)} has no ratelimit block: set characteristics, period and requestsPerPeriod.`);
        continue;
      }
      const rpp = num(rl.requestsPerPeriod ?? rl.requests_per_period);
      const period = num(rl.period);
      if (rpp !== undefined && rpp <= 0) report(`${ruleLabel(rule)} has requestsPerPeriod ${rpp}: it must be positive.`);
      if (period !== undefined && period <= 0) report(`${ruleLabel(rule)} has period ${period}: it must be positive.`);
      const ch = rl.characteristics;
      if (Array.isArray(ch) && ch.length === 0) report(`${ruleLabel(rule)} has no characteristics: count per client, e.g. ["ip.src", "cf.colo.id"].`);
    }
  }),
};

export interface DeclaredRoute {
  path: string;
  /** Where it was found, e.g. "health check api-health" or "policy config". */
  source: string;
  urn?: string;
}

/** Every route path the stack declares (see the module comment). */
export function routesDeclared(
  resources: StackRes[],
  configured: readonly string[],
  precautionaryPhases: readonly string[] = DEFAULT_PRECAUTIONARY_PHASES,
): DeclaredRoute[] {
  const out: DeclaredRoute[] = configured.map((path) => ({ path, source: "policy config" }));
  for (const r of resources) {
    if (r.type === T.healthCheck) {
      const p = str(r.props.resourcePath);
      if (p) out.push({ path: p, source: `health check ${r.name}`, urn: r.urn });
    } else if (r.type === T.ruleset && str(r.props.phase) !== "http_ratelimit" && !precautionaryPhases.includes(str(r.props.phase) ?? "")) {
      for (const rule of rulesOf(r.props)) {
        const expr = rule.expression;
        for (const lit of expressionLiterals(expr)) {
          if (lit.includes("/") || expressionMentionsPath(expr)) {
            if (!isHostLiteral(lit)) out.push({ path: lit, source: `${ruleLabel(rule)} of ${r.name}`, urn: r.urn });
          }
        }
      }
    } else if (r.type === T.pageRule) {
      const target = str(r.props.target);
      if (target) out.push({ path: target.replace(/^[^/]*/, ""), source: `page rule ${r.name}`, urn: r.urn });
    }
  }
  return out;
}

/** The route's path up to its sensitive segment: "/api/chat/health" and "chat" give "/api/chat". */
function routePrefix(path: string, seg: string): string {
  const at = path.toLowerCase().indexOf(seg.toLowerCase());
  return at < 0 ? path : path.slice(0, at + seg.length);
}

const ROUTE_SETTINGS = policySettings({
  routes: setting.strings(),
  routePatterns: setting.strings(DEFAULT_ROUTE_PATTERNS),
  requireInEveryStack: setting.boolean(false),
  precautionaryPhases: setting.strings(DEFAULT_PRECAUTIONARY_PHASES),
});

export const ratelimitForSensitiveRoutes: LaunchPolicy = {
  name: "ratelimit-for-sensitive-routes",
  severity: "high",
  remediationSteps:
    "Add a rate limit for each login, signup, chat and webhook route in Launch Ready config edge.rateLimits " +
    '(in a hand-written stack, a rate-limit rule whose expression names the route, e.g. starts_with(http.request.uri.path, "/api/chat")), ' +
    "or set this policy's routes to the ones the product has.",
  url: "https://developers.cloudflare.com/waf/rate-limiting-rules/best-practices/",
  description:
    "Where a stack declares login/auth/chat/webhook routes, an http_ratelimit ruleset must exist and limit each of them: login is the target of " +
    "credential stuffing and every chat request costs model tokens. Routes are the ones the stack declares: policy config `routes`, uptime checks' " +
    "resourcePath, and path literals of the stack's Cloudflare rules that act on a route (not the precautionaryPhases, default cache rules: a never-cache " +
    "list such as Launch Ready config default /signup and /webhooks/ names paths in case they exist). " +
    "A stack with no zone-level Cloudflare config is not judged (the zone's rules live in another stack; see shared-zone-ownership). " +
    "A route a rate-limit rule's description names as \"not limited\" (the zone's plan has no rule left for it: Free has one, kept for login and signup) " +
    "is left to the advisory ratelimit-not-loosened, which names the upgrade.",
  enforcementLevel: "mandatory",
  configSchema: ROUTE_SETTINGS.schema,
  validateStack: (args, report) => {
    const cfg = ROUTE_SETTINGS.read(args);
    const resources = stackResources(args);
    if (!cfg.requireInEveryStack && !resources.some(isZoneEdgeConfig)) {
      args.notApplicable("the stack declares no zone-level Cloudflare configuration");
    }
    const sensitive = new Map<string, DeclaredRoute>();
    for (const route of routesDeclared(resources, cfg.routes, cfg.precautionaryPhases)) {
      for (const seg of pathSegments(route.path, cfg.routePatterns)) if (!sensitive.has(seg)) sensitive.set(seg, route);
    }
    if (sensitive.size === 0) args.notApplicable("the stack declares no login/auth/chat routes");
    const rlRules = resources
      .filter((r) => r.type === T.ruleset && str(r.props.phase) === "http_ratelimit")
      .flatMap((r) => rulesOf(r.props).filter((rule) => rule.enabled && LIMITING_ACTIONS.has(str(rule.action) ?? "block")));
    if (rlRules.length === 0) {
      const list = [...sensitive.values()].map((r) => `${r.path} (${r.source})`).join(", ");
      report(
        `the stack declares sensitive routes ${list} but no enabled http_ratelimit rule: add one limit per route in Launch Ready config edge.rateLimits ` +
          "(e.g. { name: login, paths: [/login], requests: 5, periodSeconds: 60 }; a hand-written stack: an http_ratelimit ruleset with a rule per route).",
      );
      return;
    }
    const coversAll = rlRules.some((rule) => !expressionMentionsPath(rule.expression));
    if (coversAll) return;
    // Routes the zone's plan has no rule left for, as the program names them on its rule: ratelimit-not-loosened reports them (advisory), with the upgrade.
    const planLimited = rlRules.flatMap((rule) => parseConfiguredRates(str(rule.description) ?? "").flatMap((c) => c.unlimitedPaths ?? []));
    for (const [seg, route] of sensitive) {
      const covered = rlRules.some((rule) => expressionPathSegments(rule.expression, [seg]).length > 0);
      const acknowledged = planLimited.some((path) => pathSegments(path, [seg]).length > 0);
      if (!covered && !acknowledged) {
        report(
          `route ${route.path} (from ${route.source}) is not covered by any rate-limit rule: add a limit with paths [${routePrefix(route.path, seg)}] to ` +
            `Launch Ready config edge.rateLimits (a hand-written stack: a rate-limit rule whose expression names "/${seg}").`,
          route.urn,
        );
      }
    }
  },
};

export const ratelimitNotLoosened: LaunchPolicy = {
  name: "ratelimit-not-loosened",
  severity: "medium",
  remediationSteps:
    "Move the zone to the plan the message names (Launch Ready config zone.plan, after upgrading it in Cloudflare), or configure fewer rate limits in Launch Ready config edge.rateLimits so each keeps its own rule.",
  url: "https://developers.cloudflare.com/waf/rate-limiting-rules/#availability",
  description:
    `Advisory: no rate-limited route may let a client through more than ${MAX_LOOSENING}x as often as configured. Where the zone's plan has fewer rate-limit rules ` +
    "or shorter periods than the configured limits need, routes share a counter or change period; the program writes each route's configured rate into the rule's " +
    'description ("[configured per IP: chat 20/60s, kept on Business]"), and this policy compares it with the rule\'s requestsPerPeriod and period. ' +
    'A route the note names as "not limited" (no rule left on the plan) is reported too. A rule without that note counts at its configured rate and is not judged.',
  enforcementLevel: "advisory",
  validateResource: forType(T.ruleset, (props, args, report) => {
    if (str(props.phase) !== "http_ratelimit") args.notApplicable("not a rate-limit ruleset");
    const judged = rulesOf(props).filter((rule) => rule.enabled && obj(rule.ratelimit) && parseConfiguredRates(str(rule.description) ?? "").length);
    if (!judged.length) args.notApplicable("no rate-limit rule carries configured rates (each counts at its own)");
    for (const rule of judged) {
      const rl = obj(rule.ratelimit)!;
      const requests = num(rl.requestsPerPeriod ?? rl.requests_per_period);
      const period = num(rl.period);
      if (requests === undefined || period === undefined || period <= 0) continue;
      for (const configured of parseConfiguredRates(str(rule.description) ?? "")) {
        if (configured.unlimitedPaths) {
          report(
            `route ${configured.name} (${configured.unlimitedPaths.join(", ")}) is configured at ${configured.requests} requests / ${configured.periodSeconds}s per IP but has no rate limit: ` +
              `the zone's plan has no rate-limit rule left for it (rule ${str(rule.ref) ?? ruleLabel(rule)} keeps login and signup at their rates): ` +
              (configured.keptOn ? `the ${configured.keptOn} plan gives it a rule of its own.` : "a plan with more rate-limit rules gives it one."),
          );
          continue;
        }
        const factor = loosening(configured, { requests, periodSeconds: period });
        if (factor <= MAX_LOOSENING) continue;
        const effective = Math.round((requests * configured.periodSeconds) / period);
        report(
          `route ${configured.name} (rule ${str(rule.ref) ?? ruleLabel(rule)}) is configured at ${configured.requests} requests / ${configured.periodSeconds}s per IP but limited at ` +
            `${requests} / ${period}s, i.e. ${effective} / ${configured.periodSeconds}s (${factor.toFixed(1)}x looser): ` +
            (configured.keptOn
              ? `the ${configured.keptOn} plan gives it back its own rate.`
              : "a plan with more rate-limit rules and longer periods gives it back its own rate."),
        );
      }
    }
  }),
};
