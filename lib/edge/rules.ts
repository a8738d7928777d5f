/**
 * The Cloudflare zone settings and ruleset rules the site needs, as plain data.
 * One list per phase: the components declare one `cloudflare.Ruleset` per phase
 * holding all of its rules (Cloudflare allows one entrypoint ruleset per phase).
 */
import type { EdgeConfig, RateLimitConfig } from "../config/schema";
import type { WebHost } from "../dns/records";
import { and, extensionCondition, HAS_AUTHORIZATION, hostCondition, ipNotIn, not, or, pathCondition, quote } from "./expressions";
import { CLOUDFLARE_MANAGED_RULESET_ID } from "../../policies/shared/bar";
import { Tier, phaseRuleLimit, tierLimits } from "./tiers";
import { vercelFacts } from "../provider-facts";
import { HTML_REWRITING_OFF } from "../../policies/shared/html-rewriting";
import { configuredRatesText, loosening, MAX_LOOSENING } from "../../policies/shared/rate-limits";

export type Phase =
  | "http_request_dynamic_redirect"
  | "http_request_cache_settings"
  | "http_ratelimit"
  | "http_request_firewall_custom"
  | "http_request_firewall_managed"
  | "http_response_compression"
  | "http_response_headers_transform"
  | "http_request_late_transform";

/** A ruleset rule in the provider's input shape (camelCase). */
export interface RuleSpec {
  /** Stable id for the rule within its ruleset, so edits update rather than recreate it. */
  ref: string;
  description: string;
  expression: string;
  action: string;
  actionParameters?: Record<string, unknown>;
  ratelimit?: { characteristics: string[]; period: number; requestsPerPeriod: number; mitigationTimeout: number };
  enabled: boolean;
}

export interface ZoneSettingSpec {
  settingId: string;
  value: unknown;
}

/** SSL/TLS and HSTS: the settings behind "SSL everywhere" (Automatic HTTPS Rewrites is among htmlRewritingZoneSettings). */
export function securityZoneSettings(edge: EdgeConfig): ZoneSettingSpec[] {
  return [
    { settingId: "ssl", value: edge.sslMode },
    { settingId: "always_use_https", value: "on" },
    { settingId: "min_tls_version", value: edge.minTlsVersion },
    { settingId: "tls_1_3", value: "on" },
    {
      settingId: "security_header",
      // `value` is passed to the API untranslated: its keys must be the API's snake_case
      // (camelCase keys never converge; pulumi/pulumi-cloudflare#1579).
      value: {
        strict_transport_security: {
          enabled: true,
          max_age: edge.hsts.maxAge,
          include_subdomains: edge.hsts.includeSubdomains,
          preload: edge.hsts.preload,
          nosniff: true,
        },
      },
    },
    { settingId: "security_level", value: edge.securityLevel },
    { settingId: "browser_check", value: "on" },
  ];
}

/**
 * The features that rewrite the app's HTML or scripts, off (policies/shared/html-rewriting.ts says
 * what each does, its source and why). Zone-wide: every host the stack proxies serves the app or its API.
 */
export function htmlRewritingZoneSettings(): ZoneSettingSpec[] {
  return HTML_REWRITING_OFF.map((settingId) => ({ settingId, value: "off" }));
}

/** Performance settings that are safe on every plan. */
export function performanceZoneSettings(): ZoneSettingSpec[] {
  return [
    { settingId: "http3", value: "on" },
    // 0-RTT data can be replayed: keep it off for an app with login and payments.
    { settingId: "0rtt", value: "off" },
  ];
}

/**
 * Whether to declare cloudflare.TieredCache, which sets the Smart Tiered Cache topology and
 * nothing else (cloudflare.json TieredCache notes). Smart Tiered Cache picks one upper tier near
 * each origin by measuring latency to it; behind Vercel's anycast network there is no one place to
 * measure, so it only helps proxied hosts on an origin of their own.
 */
export function smartTieredCache(hosts: ReadonlyArray<Pick<WebHost, "fqdn" | "proxied" | "target" | "role">>): { declare: boolean; note?: string } {
  const proxied = hosts.filter((h) => h.proxied && h.role !== "redirect");
  if (proxied.some((h) => h.target !== "vercel")) return { declare: true };
  if (proxied.length === 0) return { declare: false };
  return {
    declare: false,
    note:
      "Smart Tiered Cache is not declared: every proxied host is served by Vercel, whose anycast network hides where the origin is, so Smart Tiered Cache cannot choose an upper tier near it " +
      "(https://developers.cloudflare.com/smart-shield/configuration/smart-tiered-cache/), and Vercel's own edge cache already answers a miss close to the visitor. " +
      "A stack that declared it before deletes it on the next pulumi up, which turns the Smart topology off again and nothing else: a request the edge cache misses goes straight to Vercel.",
  };
}

/**
 * The one-hop 301 from the twin host to the canonical origin, path and query kept.
 * Single Redirects run before Always Use HTTPS, so the rule matches only https requests
 * (`ssl`): http://twin first goes to https://twin (Always Use HTTPS), then here — the
 * chain HSTS preload asks for (policies/shared/redirect-chain.ts). Vercel's own paths on the twin
 * (certificate challenges, /.well-known/vercel/) reach Vercel unredirected (vercel.json reverseProxy).
 */
export function canonicalRedirectRule(fromHost: string, canonicalHost: string): RuleSpec {
  return {
    ref: "canonical_host_redirect",
    description: `301 https://${fromHost} to https://${canonicalHost}, keeping path and query (http:// goes to https:// on ${fromHost} first)`,
    // One `not` per path, joined by `and`: no `or`, so the pack's redirect-chain reading still sees an https-only rule.
    expression: `(${and(hostCondition(fromHost), "ssl", ...VERCEL_PATHS.map((p) => not(pathCondition([p]))))})`,
    action: "redirect",
    actionParameters: {
      fromValue: {
        statusCode: 301,
        preserveQueryString: true,
        targetUrl: { expression: `concat(${quote(`https://${canonicalHost}`)}, http.request.uri.path)` },
      },
    },
    enabled: true,
  };
}

/** ACME HTTP-01 challenges and Vercel's domain verification live here: never cached. */
export const WELL_KNOWN = "/.well-known/";
/** The paths Vercel needs to pass a proxy untouched: never redirected, never cached (lib/provider-facts/vercel.json reverseProxy). */
export const VERCEL_PATHS = [vercelFacts.reverseProxy.acmeChallengePath, vercelFacts.reverseProxy.wellKnownVercelPath];

/**
 * Cache rules. All matching rules apply and later ones win, so the bypass rule
 * comes last: a private path or a request with credentials is never cached,
 * whatever an earlier rule or the origin says.
 */
export function cacheRules(cache: EdgeConfig["cache"]): RuleSpec[] {
  // Certificate (ACME) and domain verification answers must reach the host fresh.
  const isPrivate = or(pathCondition([...cache.privatePaths, WELL_KNOWN]), HAS_AUTHORIZATION);
  const isStatic = or(pathCondition(cache.staticPaths), extensionCondition(cache.staticExtensions));
  // An explicit edge TTL makes Cloudflare cache a Set-Cookie response (cookie stripped);
  // respecting the origin keeps such a response uncached (engine.json cloudflare.setCookieCaching).
  const ttl = (seconds: number | undefined) => (seconds === undefined ? { mode: "respect_origin" } : { mode: "override_origin", default: seconds });
  return [
    {
      ref: "cache_static_assets",
      description:
        cache.edgeTtlSeconds === undefined
          ? "Cache static assets at the edge as long as the origin's Cache-Control says; never a response that sets a cookie"
          : `Cache static assets for ${cache.edgeTtlSeconds}s at the edge`,
      expression: and(isStatic, not(isPrivate)),
      action: "set_cache_settings",
      actionParameters: { cache: true, edgeTtl: ttl(cache.edgeTtlSeconds), browserTtl: ttl(cache.browserTtlSeconds) },
      enabled: true,
    },
    {
      ref: "bypass_private_paths",
      description: "Never cache API, auth, admin, webhook and /.well-known/ paths, or requests carrying Authorization",
      expression: isPrivate,
      action: "set_cache_settings",
      actionParameters: { cache: false },
      enabled: true,
    },
  ];
}

/** Text types Cloudflare compresses by default; zstd is preferred where the browser accepts it. */
const COMPRESSIBLE_TYPES = [
  "text/html",
  "text/plain",
  "text/css",
  "text/javascript",
  "application/javascript",
  "application/json",
  "application/xml",
  "text/xml",
  "image/svg+xml",
  "application/manifest+json",
];

/**
 * Compression rules. If several match, the last one wins, so the streaming rule
 * comes last: a chat's server-sent events must reach the browser token by token,
 * never held back to be compressed.
 */
export function compressionRules(): RuleSpec[] {
  const mediaType = "http.response.content_type.media_type";
  return [
    {
      ref: "compress_text_zstd",
      description: "Compress text responses with Zstandard, then Brotli, then Gzip",
      expression: `${mediaType} in {${COMPRESSIBLE_TYPES.map(quote).join(" ")}}`,
      action: "compress_response",
      actionParameters: { algorithms: [{ name: "zstd" }, { name: "brotli" }, { name: "gzip" }] },
      enabled: true,
    },
    {
      ref: "stream_uncompressed",
      description: "Never compress server-sent events (chat token streams)",
      expression: `${mediaType} eq "text/event-stream"`,
      action: "compress_response",
      actionParameters: { algorithms: [{ name: "none" }] },
      enabled: true,
    },
  ];
}

/** Count per client IP, per Cloudflare data centre (every plan offers it; cf.colo.id is always required). */
const COUNT_BY_IP = ["ip.src", "cf.colo.id"] as const;

export interface PlannedRateLimit {
  name: string;
  paths: string[];
  requests: number;
  periodSeconds: number;
  action: string;
  rule: RuleSpec;
}

/** Rate limits against credential stuffing: they keep their configured rate and action on every plan. */
const CREDENTIAL_ROUTE = /^(login|log-in|signin|sign-in|signup|sign-up|register|auth|password|reset-password|otp|magic-link)$/;

export function isCredentialLimit(limit: Pick<RateLimitConfig, "name" | "paths">): boolean {
  return CREDENTIAL_ROUTE.test(limit.name) || limit.paths.some((p) => p.split("/").some((segment) => CREDENTIAL_ROUTE.test(segment)));
}

/** A limit as the plan can count it, with the limit as configured. */
type Fitted = RateLimitConfig & { configured: RateLimitConfig };
/** One rule: its members, and the member whose rate it counts at. */
interface RuleGroup {
  members: Fitted[];
  rateOf: Fitted;
  credential: boolean;
}

const perSecond = (l: { requests: number; periodSeconds: number }) => l.requests / l.periodSeconds;
/** The plans a zone can move up to, in order (Enterprise zones are not offered an upgrade). */
const UPGRADES: readonly Tier[] = ["free", "pro", "business", "enterprise"];

/**
 * Rate-limit rules within what the plan allows. With a rule per configured limit, each keeps
 * its own. With fewer rules, login and signup (credential routes) come first and keep their
 * configured rate and action: they share one counter at the strictest of their rates, so none
 * is looser than configured. The other limits (chat, webhooks) get the rules left: the strictest
 * keep their own and the rest share one at the loosest of their rates (at the strictest, a user
 * chatting normally or a webhook burst would be blocked). When no rule is left (Free: one rule),
 * they get no rate limit: counted against login's counter, a user chatting or a webhook sender's
 * burst would be challenged, which a fetch() or a webhook sender cannot solve. The plan note and
 * the credential rule's description say so, and the pack reports it (advisory) with the upgrade.
 * Periods the plan lacks are converted, keeping the rate no looser than configured where it can.
 * A rule whose members count at another rate than configured says so in its description
 * (policies/shared/rate-limits.ts), which the pack's ratelimit-not-loosened policy reads.
 */
export function rateLimitRules(limits: readonly RateLimitConfig[], tier: Tier): { rules: PlannedRateLimit[]; notes: string[] } {
  const caps = tierLimits(tier);
  const notes: string[] = [];
  const adapted: string[] = [];
  const fitted = limits.map((l) => ({ ...adaptToPlan(l, caps.rateLimitPeriods, adapted), configured: l }));
  // One note for every limit the plan's periods change, not one each.
  if (adapted.length) notes.push(`The ${tier} plan counts over ${periodsText(caps.rateLimitPeriods)}: ${adapted.join(", ")}.`);
  fitted.sort((a, b) => perSecond(a) - perSecond(b) || a.name.localeCompare(b.name));
  const groups = groupForPlan(fitted, caps.rateLimitRules);
  const limited = new Set(groups.flatMap((g) => g.members));
  const unlimited = fitted.filter((l) => !limited.has(l));
  if (groups.length < fitted.length) notes.push(sharingNote(groups, unlimited, tier, caps.rateLimitRules, limits));
  // Ten minutes where the plan offers it (a value from Cloudflare's supported list), else the plan's longest.
  const mitigationTimeout = [...caps.mitigationTimeouts].filter((t) => t <= 600).pop() ?? caps.mitigationTimeouts[0];
  const rules = groups.map((group) => {
    const limit = group.rateOf;
    const action = groupAction(group);
    const name = group.members.map((l) => l.name).join("+");
    const paths = group.members.flatMap((l) => l.paths);
    const changed = group.members.filter((m) => m.configured.requests !== limit.requests || m.configured.periodSeconds !== limit.periodSeconds);
    // The limits the plan has no rule for are named on the first rule (Free has only one).
    const left = group === groups[0] ? unlimited : [];
    const annotation =
      changed.length || left.length
        ? ` ${configuredRatesText([
            ...group.members.map((m) => ({
              name: m.name,
              requests: m.configured.requests,
              periodSeconds: m.configured.periodSeconds,
              ...keptOn(m, limit, limits, tier),
            })),
            ...left.map((m) => ({
              name: m.name,
              requests: m.configured.requests,
              periodSeconds: m.configured.periodSeconds,
              unlimitedPaths: m.paths,
              ...keptOn(m, undefined, limits, tier),
            })),
          ])}`
        : "";
    const rule: RuleSpec = {
      ref: `ratelimit_${group.members.map((l) => l.name.replace(/-/g, "_")).join("_")}`,
      description: `Rate limit ${name}: ${limit.requests} requests / ${limit.periodSeconds}s per IP${annotation}`,
      expression: pathCondition(paths),
      action,
      ratelimit: { characteristics: [...COUNT_BY_IP], period: limit.periodSeconds, requestsPerPeriod: limit.requests, mitigationTimeout },
      enabled: true,
    };
    return { name, paths, requests: limit.requests, periodSeconds: limit.periodSeconds, action, rule };
  });
  return { rules, notes };
}

/** `first n-1 own a rule, the rest share the last`, at the rate `pick` chooses among the sharers. */
function split(list: Fitted[], n: number, credential: boolean, pick: (shared: Fitted[]) => Fitted): RuleGroup[] {
  if (list.length <= n) return list.map((l) => ({ members: [l], rateOf: l, credential }));
  const shared = list.slice(n - 1);
  return [...list.slice(0, n - 1).map((l) => ({ members: [l], rateOf: l, credential })), { members: shared, rateOf: pick(shared), credential }];
}

function groupForPlan(fitted: Fitted[], maxRules: number): RuleGroup[] {
  const strictest = (shared: Fitted[]) => shared[0];
  const loosest = (shared: Fitted[]) => shared[shared.length - 1];
  if (fitted.length <= maxRules) return fitted.map((l) => ({ members: [l], rateOf: l, credential: isCredentialLimit(l) }));
  const credentials = fitted.filter(isCredentialLimit);
  const others = fitted.filter((l) => !isCredentialLimit(l));
  if (!credentials.length) return split(others, maxRules, false, loosest);
  // Every other limit that can have its own rule gets one; the credential routes keep at least one.
  const credentialRules = Math.min(credentials.length, Math.max(1, maxRules - others.length));
  const credentialGroups = split(credentials, credentialRules, true, strictest);
  const otherRules = maxRules - credentialRules;
  // No rule left for the others: they stay unlimited (rateLimitRules names them) rather than share login's counter.
  return otherRules > 0 ? [...credentialGroups, ...split(others, otherRules, false, loosest)] : credentialGroups;
}

/**
 * A credential rule challenges when one of its routes asks for it (a person who hits a shared
 * counter can still get through; a bot cannot). Other rules challenge only when every route
 * serves browsers: a webhook sender cannot solve one.
 */
function groupAction(group: RuleGroup): string {
  const deciding = group.credential ? group.members.filter(isCredentialLimit) : group.members;
  const challenge = group.credential ? deciding.some((l) => l.action === "managed_challenge") : deciding.every((l) => l.action === "managed_challenge");
  return challenge ? "managed_challenge" : "block";
}

/** For a member counted more than MAX_LOOSENING times looser than configured, or not at all (no rate): the first plan that keeps it within that. */
function keptOn(member: Fitted, rate: Fitted | undefined, limits: readonly RateLimitConfig[], tier: Tier): { keptOn?: string } {
  if (rate && loosening(member.configured, rate) <= MAX_LOOSENING) return {};
  const upgrade = UPGRADES.slice(UPGRADES.indexOf(tier) + 1).find((t) => {
    const rule = rateLimitRules(limits, t).rules.find((r) => r.name.split("+").includes(member.name));
    return rule !== undefined && loosening(member.configured, rule) <= MAX_LOOSENING;
  });
  return upgrade ? { keptOn: tierLimits(upgrade).label.split(" (")[0] } : {};
}

function sharingNote(groups: RuleGroup[], unlimited: Fitted[], tier: Tier, maxRules: number, limits: readonly RateLimitConfig[]): string {
  const rate = (l: Fitted) => `${l.requests} requests / ${l.periodSeconds}s`;
  const parts = groups
    .filter((g) => g.members.length > 1 || unlimited.length)
    .map((g) => {
      const names = g.members.map((l) => l.name);
      if (!g.credential) {
        const looser = g.members.filter((m) => m !== g.rateOf).map((m) => m.name);
        return `${names.join(", ")} share one counter at the loosest of their rates (${rate(g.rateOf)}), so ${looser.join(", ")} ${looser.length > 1 ? "are" : "is"} looser than configured`;
      }
      const credential = g.members.filter(isCredentialLimit).map((m) => m.name);
      // One rule has one action: a member configured otherwise says so.
      const action = groupAction(g);
      const otherAction = g.members.filter((m) => (m.action ?? "block") !== action).map((m) => `${m.name}'s ${m.action ?? "block"}`);
      return (
        `${credential.join(", ")} ${credential.length > 1 ? "keep their rate, sharing one counter at the strictest of them" : "keeps its rate"} (${rate(g.rateOf)})` +
        (otherAction.length ? `, and one action: ${action} (${otherAction.join(", ")} ${otherAction.length > 1 ? "become" : "becomes"} ${action})` : "")
      );
    });
  if (unlimited.length)
    parts.push(
      `${unlimited.map((l) => l.name).join(", ")} ${unlimited.length > 1 ? "have" : "has"} no rule left and ${unlimited.length > 1 ? "are" : "is"} not rate limited ` +
        "(counted against login's counter, a user chatting or a webhook sender's burst would be challenged, which neither can solve); " +
        "the WAF custom rules and bot protection still apply",
    );
  const upgrade = UPGRADES.slice(UPGRADES.indexOf(tier) + 1).find((t) => tierLimits(t).rateLimitRules >= limits.length);
  return (
    `The ${tier} plan allows ${maxRules} rate-limit rule(s) for ${limits.length} configured limits: ${parts.join("; ")}.` +
    (upgrade ? ` ${tierLimits(upgrade).label.split(" (")[0]} gives each limit its own rule.` : "")
  );
}

const periodsText = (periods: readonly number[]) => (periods.length === 1 ? `${periods[0]}s only` : `at most ${periods[periods.length - 1]}s`);

/** The limit at a period the plan offers; `adapted` gets "login 5/60s becomes 1/10s" when it changes. */
function adaptToPlan(limit: RateLimitConfig, periods: readonly number[], adapted: string[]): RateLimitConfig {
  if (periods.includes(limit.periodSeconds)) return limit;
  const period = [...periods].filter((p) => p <= limit.periodSeconds).pop() ?? periods[0];
  const requests = Math.max(1, Math.floor((limit.requests * period) / limit.periodSeconds));
  adapted.push(`${limit.name} ${limit.requests}/${limit.periodSeconds}s becomes ${requests}/${period}s`);
  return { ...limit, periodSeconds: period, requests };
}

/** Probes for files a Next.js/Node app never serves: answered by Cloudflare, never the origin. */
const PROBE_PATHS = ["/.env", "/.git/", "/wp-admin/", "/wp-login.php", "/xmlrpc.php", "/phpmyadmin/", "/.aws/", "/server-status"];

/** The routes webhook senders POST to: edge.webhookPaths and the paths of a rate limit named "webhooks". */
export function webhookPathsOf(edge: Pick<EdgeConfig, "webhookPaths" | "rateLimits">): string[] {
  return [...new Set([...edge.webhookPaths, ...edge.rateLimits.filter((l) => /^webhooks?$/.test(l.name)).flatMap((l) => l.paths)])];
}

/**
 * WAF custom rules. Webhook routes come first with a skip rule: a webhook sender cannot
 * solve a challenge, so Browser Integrity Check, Under Attack mode's challenge (the security
 * level only switches Under Attack mode now: engine.json cloudflare.securityLevelIsUnderAttackOnly)
 * and (from Pro) Super Bot Fight Mode leave them alone. Rate limits still apply.
 * Bot Fight Mode (Free) cannot be skipped by any rule (engine.json
 * cloudflare.botFightModeUnskippable): see botFightModeDefault.
 */
export function firewallCustomRules(waf: EdgeConfig["waf"], webhookPaths: readonly string[] = [], tier: Tier = "free"): RuleSpec[] {
  const rules: RuleSpec[] = [];
  const webhooks = webhookPaths.length ? pathCondition(webhookPaths) : undefined;
  if (webhooks) {
    const sbfm = tierLimits(tier).bots !== "bot_fight_mode";
    rules.push({
      ref: "skip_bot_checks_for_webhooks",
      description: `Webhook routes: skip ${sbfm ? "Super Bot Fight Mode, " : ""}Browser Integrity Check and Under Attack mode's challenge (senders cannot solve one); rate limits still apply`,
      expression: webhooks,
      action: "skip",
      actionParameters: { products: ["bic", "securityLevel"], ...(sbfm ? { phases: ["http_request_sbfm"] } : {}) },
      enabled: true,
    });
  }
  if (waf.blockProbes) {
    rules.push({
      ref: "block_probes",
      description: "Block scans for secrets and CMS admin files this app does not have",
      expression: pathCondition(PROBE_PATHS),
      action: "block",
      enabled: true,
    });
  }
  if (waf.adminPaths.length > 0) {
    const admin = pathCondition(waf.adminPaths);
    rules.push(
      waf.adminAllowedIps.length > 0
        ? {
            ref: "admin_allowlist",
            description: "Admin paths: only from the allowed IPs",
            expression: and(admin, ipNotIn(waf.adminAllowedIps)),
            action: "block",
            enabled: true,
          }
        : {
            ref: "admin_challenge",
            description: "Admin paths: managed challenge for every visitor",
            expression: admin,
            action: "managed_challenge",
            enabled: true,
          },
    );
  }
  rules.push({
    ref: "challenge_empty_user_agent",
    description: `Challenge clients that send no User-Agent (crude bots), verified bots${webhooks ? " and webhook routes" : ""} excepted`,
    expression: webhooks ? and(`http.user_agent eq ""`, "not cf.client.bot", not(webhooks)) : `(http.user_agent eq "" and not cf.client.bot)`,
    action: "managed_challenge",
    enabled: true,
  });
  return rules;
}

/** The Cloudflare Managed Ruleset, where the plan has it. */
export function managedRulesetRules(tier: Tier): RuleSpec[] {
  if (!tierLimits(tier).managedRuleset) return [];
  return [
    {
      ref: "execute_cloudflare_managed",
      description: "Cloudflare Managed Ruleset",
      expression: "true",
      action: "execute",
      actionParameters: { id: CLOUDFLARE_MANAGED_RULESET_ID },
      enabled: true,
    },
  ];
}

/** Checks a phase's rule count against the plan and says what to do when it is over. */
export function ruleCountProblem(phase: Phase, count: number, tier: Tier): string | undefined {
  const limit = phaseRuleLimit(phase, tier)?.max ?? Infinity;
  if (count <= limit) return undefined;
  return `${phase} would hold ${count} rules; the ${tier} plan allows ${limit}. Remove rules or upgrade the plan.`;
}

/**
 * Bot protection in the zone's plan's own product (lib/provider-facts/cloudflare-plans.json,
 * "bots"): Bot Fight Mode on Free, Super Bot Fight Mode from Pro (verified bots allowed,
 * likely-automated traffic challenged from Business). Fields of the other product are set
 * to their neutral value, as Cloudflare's plan-change clean-up asks.
 */
/**
 * Whether the plan's bot protection is on when the config does not say. On Free, Bot Fight
 * Mode cannot be skipped for webhook routes, so with webhooks it stays off unless the config
 * opts in, and the plan says why (the note reaches the handover).
 */
export function botFightModeDefault(tier: Tier, configured: boolean | undefined, webhookPaths: readonly string[]): { on: boolean; note?: string } {
  const freeProduct = tierLimits(tier).bots === "bot_fight_mode";
  if (!freeProduct || webhookPaths.length === 0) return { on: configured ?? true };
  const paths = webhookPaths.join(", ");
  if (configured === true) {
    return {
      on: true,
      note: `Bot Fight Mode is on (edge.waf.botFightMode: true) on a Free zone with webhook routes (${paths}): it cannot be skipped by any rule and challenges automated senders that are not Cloudflare-verified bots, so some webhook deliveries may fail. Watch the senders' delivery logs, or move the zone to Pro, where Super Bot Fight Mode skips these routes.`,
    };
  }
  if (configured === false) return { on: false };
  return {
    on: false,
    note: `Bot Fight Mode is off: on the Free plan it cannot be skipped by any rule and would challenge the webhook senders on ${paths}, which cannot solve a challenge. Bot filtering stays on for everything else (empty user agents challenged, Browser Integrity Check), and the webhook routes keep their rate limit. To turn it on anyway set edge.waf.botFightMode: true; on Pro and above, Super Bot Fight Mode is on and skips the webhook routes.`,
  };
}

/**
 * BotManagement's fields for the plan's bot product. `isRobotsTxtManaged` is always declared: left
 * out, the provider sends its schema default (false) on every apply (cloudflare.json applyDefaults).
 */
export interface BotManagementSettings {
  fightMode: boolean;
  enableJs: boolean;
  isRobotsTxtManaged: boolean;
  /** Super Bot Fight Mode (Pro and above): what to do with definitely automated traffic. */
  sbfmDefinitelyAutomated?: "managed_challenge" | "allow";
  sbfmVerifiedBots?: "allow";
  sbfmStaticResourceProtection?: boolean;
  /** Business and above only. */
  sbfmLikelyAutomated?: "managed_challenge" | "allow";
}

/**
 * BotManagement's fields for the plan's bot product, by the provider's own names (the
 * component passes them to cloudflare.BotManagement, so a renamed field fails to compile).
 */
export function botManagementSettings(tier: Tier, on: boolean, robotsTxtManaged = false): BotManagementSettings {
  const product = tierLimits(tier).bots;
  if (product === "bot_fight_mode") return { fightMode: on, enableJs: true, isRobotsTxtManaged: robotsTxtManaged };
  const challenge = on ? ("managed_challenge" as const) : ("allow" as const);
  return {
    fightMode: false,
    enableJs: true,
    isRobotsTxtManaged: robotsTxtManaged,
    sbfmDefinitelyAutomated: challenge,
    sbfmVerifiedBots: "allow" as const,
    sbfmStaticResourceProtection: false,
    ...(product === "super_bot_fight_mode_business" ? { sbfmLikelyAutomated: challenge } : {}),
  };
}
