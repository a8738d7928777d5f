/**
 * Cache rules must never cache per-user or privileged responses (API, auth, admin,
 * login, webhooks): a cached response is served to the next visitor, session and all.
 */
import { isHostLiteral } from "../shared/bar";
import { LaunchPolicy, T, policySettings, setting, forType, obj, str } from "./util";
import { expressionLiteralPolarity, expressionMentionsPath, expressionPathSegments, pathSegments, ruleLabel, rulesOf } from "./expressions";

export const DEFAULT_SENSITIVE_PATHS = [
  "api",
  "auth",
  "admin",
  "login",
  "logout",
  "signin",
  "signup",
  "sign-in",
  "sign-up",
  "webhook",
  "webhooks",
  "oauth",
  "session",
  "sessions",
  "account",
  "graphql",
  "trpc",
];

export interface CacheEffect {
  /** The rule makes responses cacheable (cache: true). */
  caches: boolean;
  /** The rule bypasses cache (cache: false). */
  bypasses: boolean;
  /** The rule overrides the origin's Cache-Control (private/no-store are ignored). */
  overridesOrigin: string[];
}

/** What a set_cache_settings rule does to caching. */
export function cacheEffect(rule: Record<string, any>): CacheEffect {
  const ap = obj(rule.actionParameters) ?? obj(rule.action_parameters) ?? {};
  const overridesOrigin: string[] = [];
  const edgeTtl = obj(ap.edgeTtl ?? ap.edge_ttl);
  const browserTtl = obj(ap.browserTtl ?? ap.browser_ttl);
  if (edgeTtl && str(edgeTtl.mode) === "override_origin") overridesOrigin.push("edgeTtl override_origin");
  if (browserTtl && str(browserTtl.mode) === "override_origin") overridesOrigin.push("browserTtl override_origin");
  if ((ap.originCacheControl ?? ap.origin_cache_control) === false) overridesOrigin.push("originCacheControl: false");
  return { caches: ap.cache === true, bypasses: ap.cache === false, overridesOrigin };
}

/**
 * The sensitive segments an expression *includes* (clauses negated with `not` / `ne`
 * exclude a path rather than select it).
 */
export function selectedSensitiveSegments(expression: unknown, segments: readonly string[]): string[] {
  const selected = expressionLiteralPolarity(expression).filter((l) => !l.negated);
  const pathish = expressionMentionsPath(expression);
  const out = new Set<string>();
  for (const { text } of selected) {
    // Path literals only: skip host names and header values.
    if (!text.includes("/") && (!pathish || isHostLiteral(text))) continue;
    for (const seg of pathSegments(text, segments)) out.add(seg);
  }
  return [...out];
}

const CACHE_SETTINGS = policySettings({ sensitivePaths: setting.strings(DEFAULT_SENSITIVE_PATHS) });

export const cacheNoSensitivePaths: LaunchPolicy = {
  name: "cache-no-sensitive-paths",
  severity: "critical",
  remediationSteps:
    "Make the cache rule bypass cache for API, auth, admin, login and webhook paths (Launch Ready config edge.cache.privatePaths), and never cache everything on them or override the origin's Cache-Control there. " +
    'In a hand-written stack, restrict caching to static assets (e.g. /_next/static/, *.css) and add a bypass rule: expression starts_with(http.request.uri.path, "/api/"), action_parameters { cache: false }.',
  url: "https://developers.cloudflare.com/cache/how-to/cache-rules/",
  description:
    "Cache rules must not cache paths under api/auth/admin/login/webhook (and similar), nor override the origin's Cache-Control on them: a cached " +
    "response is served to the next visitor with someone else's data or session, and ignoring cookies/Authorization makes per-user responses shared. " +
    "A rule that caches every path (no path condition) must be followed by a bypass rule (cache: false) for those paths.",
  enforcementLevel: "mandatory",
  configSchema: CACHE_SETTINGS.schema,
  validateResource: forType([T.ruleset, T.pageRule], (props, args, report) => {
    const cfg = CACHE_SETTINGS.read(args);
    if (args.type === T.pageRule) {
      const actions = obj(props.actions) ?? {};
      const target = str(props.target) ?? "";
      const segs = expressionPathSegments(`"${target.replace(/^[^/]*/, "")}"`, cfg.sensitivePaths);
      if (str(actions.cacheLevel) === "cache_everything" && (segs.length || !/\/./.test(target.replace(/^[^/]*/, "")))) {
        report(`page rule ${target} sets cache_everything on ${segs.length ? segs.map((s) => `/${s}`).join(", ") : "every path"}: bypass cache there instead.`);
      }
      return;
    }
    if (str(props.phase) !== "http_request_cache_settings") args.notApplicable("not a cache settings ruleset");
    const rules = rulesOf(props).filter((r) => r.enabled && (str(r.action) ?? "set_cache_settings") === "set_cache_settings");
    rules.forEach((rule, i) => {
      const effect = cacheEffect(rule);
      if (effect.bypasses) {
        // Header names keep the client's case: `names[*] eq "authorization"` misses "Authorization".
        const text = str(rule.expression) ?? "";
        if (/(?<!lower\()http\.request\.headers\.names\[\*\]\s*(eq|==)\s*"/.test(text)) {
          report(
            `${ruleLabel(rule)} compares header names case-sensitively (http.request.headers.names keeps the client's case, so "Authorization" is missed and cached): use any(lower(http.request.headers.names[*])[*] eq "authorization").`,
          );
        }
        return;
      }
      const segs = selectedSensitiveSegments(rule.expression, cfg.sensitivePaths);
      if (segs.length && effect.caches) {
        report(`${ruleLabel(rule)} caches ${segs.map((s) => `/${s}`).join(", ")}: set cache: false for these paths.`);
      } else if (segs.length && effect.overridesOrigin.length) {
        report(
          `${ruleLabel(rule)} overrides the origin's Cache-Control (${effect.overridesOrigin.join(", ")}) on ${segs.map((s) => `/${s}`).join(", ")}: remove it.`,
        );
      } else if (!segs.length && effect.caches && !expressionMentionsPath(rule.expression)) {
        const laterBypass = rules.slice(i + 1).some((r) => cacheEffect(r).bypasses && selectedSensitiveSegments(r.expression, cfg.sensitivePaths).length > 0);
        if (!laterBypass) {
          report(
            `${ruleLabel(rule)} caches every path (its expression "${str(rule.expression) ?? ""}" has no path condition), including /api and /auth: ` +
              "restrict it to static paths or add a later bypass rule (cache: false) for them.",
          );
        }
      }
    });
  }),
};
