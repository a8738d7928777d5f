/**
 * The whole site as plain data, derived from validated config: hosts, records,
 * edge rules, email, env vars and monitors. Components only wire slices of this
 * to resources; the domain map (a stack output) is derived from it too. Rules
 * that span several config keys report their problems here, so a bad config is
 * refused before any resource is declared.
 */
import type { StackConfig } from "./config/schema";
import type { DomainMap, NoteTopic, PlanNote } from "./domain-map";
import { depthBelowZone, fqdn, looksLikeNonProductionName } from "../policies/shared/names";
import { RecordSpec, servedByVercel, WebHost, webHosts, webRecords } from "./dns/records";
import { vercelVerificationRecords } from "./hosting/verification";
import { EmailPlan, planEmail } from "./email/records";
import { commentLength, fitRecordComments, recordCommentLimit } from "./dns/comments";
import {
  botFightModeDefault,
  botManagementSettings,
  type BotManagementSettings,
  cacheRules,
  canonicalRedirectRule,
  compressionRules,
  firewallCustomRules,
  htmlRewritingZoneSettings,
  managedRulesetRules,
  performanceZoneSettings,
  smartTieredCache,
  Phase,
  PlannedRateLimit,
  rateLimitRules,
  RuleSpec,
  ruleCountProblem,
  securityZoneSettings,
  webhookPathsOf,
  ZoneSettingSpec,
} from "./edge/rules";
import { zoneTier, tierLimits, type Tier } from "./edge/tiers";
import { ENV_TARGETS, EnvPlan, planEnv } from "./hosting/env";
import { CaaPlan, planCaa } from "./dns/caa";
import { extraRecords } from "./dns/extra";
import { CNAME_EXCLUSIVE, cnameConflicts } from "./dns/cname";
import { SecurityHeader, securityHeaderRules, securityHeaders } from "./edge/headers";
import { planTurnstile, TurnstilePlan } from "./hosting/turnstile";
import { protectPlanOf, type ProtectPlan } from "./state/protect";
import { monthlyCost, MonthlyCost } from "./cost/monthly";
import { AlertWebhook, alertWebhooks, dashboardOf, MonitorSpec, planMonitors, ROUTE53_METRICS_REGION } from "./uptime/monitors";
import { originLockWanted, planOriginLock, type OriginLockPlan } from "./edge/origin-lock";
import { phaseOf, plannedRecordInputs, recordChanges, rulesetChanges } from "./adopt/phases";

export interface ConfigIssue {
  /**
   * The config key and path. Below the project's name (e.g. "zone.id") where the plan finds it;
   * validateStackConfig qualifies it (lib/config/project.ts configKey: "mybot:zone.id").
   */
  key: string;
  message: string;
}

export interface EdgePlan {
  securitySettings: ZoneSettingSpec[];
  performanceSettings: ZoneSettingSpec[];
  /** Rules per phase; a phase with no rules gets no ruleset. */
  rulesets: Partial<Record<Phase, RuleSpec[]>>;
  rateLimits: PlannedRateLimit[];
  /** BotManagement's fields for the plan's bot product; absent when the stack does not manage the zone's settings. */
  botSettings?: BotManagementSettings;
  /** Declare cloudflare.TieredCache (the Smart topology): only for proxied hosts on an origin other than Vercel's anycast network. */
  smartTieredCache: boolean;
  /** Headers the edge adds where the app sends none (lib/edge/headers.ts). */
  securityHeaders: SecurityHeader[];
}

export interface SitePlan {
  stack: string;
  config: StackConfig;
  hosts: WebHost[];
  canonical: WebHost;
  webRecords: RecordSpec[];
  /** Vercel's `_vercel` TXT, one per Vercel-served host in the order of `hosts` (lib/hosting/verification.ts). */
  vercelVerification: Array<{ host: string; record: RecordSpec }>;
  email: Omit<EmailPlan, "notes">;
  edge: EdgePlan;
  env: Omit<EnvPlan, "notes">;
  monitors: MonitorSpec[];
  /** Alert webhooks keyed by name or host, never by list position. */
  alertWebhooks: AlertWebhook[];
  /** CAA records at the apex and what each allows (lib/dns/caa.ts). */
  caa: Omit<CaaPlan, "notes">;
  /** DNSSEC signing of the zone (cloudflare.ZoneDnssec). */
  dnssec: boolean;
  /** The Turnstile widget and the variables it fills, when turnstile.enabled. */
  turnstile?: TurnstilePlan;
  /** Which kinds of resource carry Pulumi's `protect` option (lib/state/protect.ts). */
  protect: ProtectPlan;
  /** The origin lock (edge.originLock), when on and this stack manages the zone. */
  originLock?: OriginLockPlan;
  /** Why the origin can be walked around, when the lock is off by choice (edge.originLock false). */
  originBypass?: string;
  /** What the declared stack costs per month at list prices. */
  cost: MonthlyCost;
  /** What the founder should know, every concern's in one list (the domain map carries it). */
  notes: PlanNote[];
  problems: ConfigIssue[];
}

/** Every phase entrypoint the plan declares: the edge's rulesets and the origin lock's request-header ruleset (adoption reads each). */
export function managedPhases(plan: Pick<SitePlan, "edge" | "originLock">): string[] {
  return [...Object.keys(plan.edge.rulesets), ...(plan.originLock ? ["http_request_late_transform"] : [])];
}

/** `project`: the config namespace (Pulumi.yaml `name`), for the commands messages suggest; problem keys stay below it. */
export function planSite(config: StackConfig, stack: string, project: string): SitePlan {
  const problems: ConfigIssue[] = [];
  const at = (key: string, path: string) => (message: string) =>
    problems.push({ key: `${key}${path === "" || path.startsWith("[") ? path : `.${path}`}`, message });
  const notes: PlanNote[] = [];
  const note: Note = (topic) => (text) => notes.push({ topic, text });
  const { zone, site, subdomains } = config;

  if (site.canonical === "www" && site.name !== "@") {
    at(
      "site",
      "canonical",
    )(
      `"www" only exists for the apex site; ${fqdn(`www.${site.name}`, zone.name)} would be two labels deep and outside Cloudflare's Universal SSL certificate. Use "apex"`,
    );
  }
  const hosts = webHosts(zone, site, subdomains);
  const canonical = hosts[0];
  checkHosts(config, hosts, at);
  checkCanonicalReferences(config, hosts, at);

  const web = webRecords(zone, hosts);
  const cnameNames = new Set(web.filter((r) => r.type === "CNAME").map((r) => r.name));
  const email = planEmail({ zone, siteName: site.name, email: config.email, hosts, cnameNames });
  email.problems.forEach((p) => at("email", p.path)(p.message));
  if (!config.email && config.environment === "production") {
    at("email", "")("is required in production: DMARC with reporting (email.dmarc.rua) is part of the launch bar, even for a product that sends no mail yet");
  }

  checkOwners(config, at);
  const edge = planEdge(config, hosts, canonical, at, note);
  const env = planEnv(config.hosting, stack, project);
  env.problems.forEach((p) => at("hosting", p.path)(p.message));
  const caa = planCaa(config, hosts);
  caa.problems.forEach((p) => at(p.key, p.path)(p.message));
  caa.notes.forEach(note("dns"));
  const dnssec = planDnssec(zone, at, note);
  const { turnstile, problems: turnstileProblems } = planTurnstile(config, stack, hosts);
  turnstileProblems.forEach((p) => at("turnstile", p.path)(p.message));
  if (turnstile) env.vars.push(...turnstile.vars);
  const vercelVerification = vercelVerificationRecords(zone.name, hosts);
  const { monitors, problems: monitorProblems } = planMonitors(zone, hosts, config.uptime);
  monitorProblems.forEach((p) => at("uptime", p.path)(p.message));
  const { webhooks: alertHooks, problems: hookProblems } = alertWebhooks(config.alerts.webhooks);
  if (zone.manageZoneSettings && config.alerts.emails.length === 0) {
    note("alerts")(
      "Certificate alerts: Cloudflare sends certificate events (a failed renewal) by email, and alerts.emails names no address, so no notification policy is declared (the advisory ssl-expiry-notifications says so). Add an address to alerts.emails to hear about them.",
    );
  }
  hookProblems.forEach((p) => at("alerts", p.path)(p.message));

  const extras = extraRecords(zone);
  const commentLimit = recordCommentLimit(zone.plan);
  checkExtraRecords(zone, commentLimit, at);
  const lock = planOriginLock(config, hosts);
  if (lock.note) note("edge")(lock.note);
  email.notes.forEach(note("email"));
  env.notes.forEach(note("hosting"));
  if (vercelVerification.length) note("hosting")(vercelDomainsNote(zone.name, hosts));
  if (!config.uptime.measureLatency) {
    note("uptime")(
      "Latency is not watched: uptime.measureLatency is false, so Route 53 only reports up or down. It can only be chosen when a health check is created; turning it on later replaces every check (new ids, alarm history starts again).",
    );
  }
  const cost = monthlyCost({ monitors, dashboards: 1, tier: zone.plan, managesZone: zone.manageZoneSettings });
  const plan: SitePlan = {
    stack,
    config,
    hosts,
    canonical,
    webRecords: fitRecordComments([...web, ...caa.records, ...extras], commentLimit),
    vercelVerification,
    email: { ...withoutNotes(email), records: fitRecordComments(email.records, commentLimit) },
    edge,
    env: withoutNotes(env),
    monitors,
    alertWebhooks: alertHooks,
    caa: withoutNotes(caa),
    dnssec,
    turnstile,
    protect: protectPlanOf(config.environment, config.protect),
    ...(lock.lock ? { originLock: lock.lock } : {}),
    ...("trustIssue" in lock && lock.trustIssue ? { originBypass: lock.trustIssue } : {}),
    cost,
    notes,
    problems,
  };
  checkRecordsAndImports(plan, at);
  checkCnameExclusive(plan, at);
  return plan;
}

type At = (key: string, path: string) => (message: string) => void;

/** DNSSEC signing: on for the stack that manages the zone unless turned off, refused elsewhere. */
function planDnssec(zone: StackConfig["zone"], at: At, note: Note): boolean {
  const dnssec = zone.manageZoneSettings && zone.dnssec !== false;
  if (zone.dnssec && !zone.manageZoneSettings)
    at("zone", "dnssec")("belongs to the stack that manages the zone (zone.manageZoneSettings is false here): remove it");
  if (dnssec) {
    note("dns")(
      `DNSSEC: Cloudflare signs ${zone.name} after pulumi up, but resolvers only check signatures once the DS record (stack output dnssecDs) is at the registrar; until then its status stays pending (the stack leaves that status to Cloudflare after creating it, so a refresh shows no change). Add it at the registrar (the handover says how); to turn DNSSEC off, remove the DS there first and wait a day.`,
    );
  }
  return dnssec;
}

/** What Cloudflare refuses in zone.extraRecords, before anything is created. */
function checkExtraRecords(zone: StackConfig["zone"], commentLimit: number, at: At): void {
  zone.extraRecords.forEach((r, i) => {
    if (r.comment && commentLength(r.comment) > commentLimit)
      at(
        "zone",
        `extraRecords[${i}].comment`,
      )(
        `is ${commentLength(r.comment)} characters: Cloudflare allows at most ${commentLimit} in a DNS record comment on the ${tierLimits(zone.plan).label} plan ` +
          `(API error 9313; lib/provider-facts/cloudflare-plans.json recordCommentLength). Shorten it`,
      );
    if (r.type === "MX" && r.priority === undefined) at("zone", `extraRecords[${i}].priority`)("an MX record needs a priority");
    if (r.proxied && !["A", "AAAA", "CNAME"].includes(r.type))
      at("zone", `extraRecords[${i}].proxied`)(`only A, AAAA and CNAME records can be proxied, not ${r.type}`);
  });
}

function vercelDomainsNote(zoneName: string, hosts: readonly WebHost[]): string {
  return (
    `Vercel domains: the stack declares one TXT at _vercel.${zoneName} per Vercel domain (${hosts
      .filter(servedByVercel)
      .map((h) => h.fqdn)
      .join(", ")}). ` +
    `If Vercel asks to verify a domain (it was used by another Vercel team or account), the record carries Vercel's value from the domain's ProjectDomain after pulumi up; ` +
    `run pulumi up again once Vercel shows the domain verified (the next refresh reads it). Otherwise it says no verification is pending.`
  );
}
/** Adds a note under its topic; the plan keeps them in the order they are added. */
type Note = (topic: NoteTopic) => (text: string) => void;

/** A planner's own notes are folded into the site plan's one list, under the planner's topic. */
function withoutNotes<T extends { notes: string[] }>(part: T): Omit<T, "notes"> {
  const { notes: _notes, ...rest } = part;
  return rest;
}

function checkHosts(config: StackConfig, hosts: readonly WebHost[], at: At): void {
  const { zone, environment } = config;
  const seen = new Map<string, string>();
  const firstSubdomain = hosts.findIndex((x) => x.role === "subdomain");
  hosts.forEach((h, i) => {
    const where = h.role === "subdomain" ? ["subdomains", `[${i - firstSubdomain}].name`] : ["site", h.role === "redirect" ? "redirectTwin" : "name"];
    const report = at(where[0], where[1]);
    const label = h.role === "subdomain" ? `subdomains[${i - firstSubdomain}]` : h.role === "redirect" ? "the site's redirecting twin" : "the site";
    if (seen.has(h.fqdn)) report(`${h.fqdn} is already declared by ${seen.get(h.fqdn)}: keep one`);
    seen.set(h.fqdn, label);
    if (h.proxied && depthBelowZone(h.name) > 1 && !zone.advancedCertificate) {
      report(
        `${h.fqdn} is ${depthBelowZone(h.name)} labels below ${zone.name}: Cloudflare's Universal SSL only covers one level, so HTTPS would fail. Use a flat name such as "${h.name.replace(/\./g, "-")}" or set zone.advancedCertificate after buying Advanced Certificate Manager`,
      );
    }
    const nonProd = looksLikeNonProductionName(h.name);
    if (environment === "production" && nonProd) {
      report(`${h.fqdn} looks like a non-production host: staging hosts must never appear in production. Move it to Pulumi.staging.yaml`);
    }
    if (environment === "staging" && !nonProd) {
      report(
        `${h.fqdn} does not look like a staging host: a staging stack must only declare names marked staging (e.g. "staging", "staging-api") so it can never take over a production name`,
      );
    }
  });
}

/**
 * The apex must answer, and nothing the site uses may point at the host that only redirects:
 * after the canonical host changes, URL env vars, CORS origins and monitors still naming the
 * old one would send every login and API call through a 301 (which drops a POST's body).
 */
function checkCanonicalReferences(config: StackConfig, hosts: readonly WebHost[], at: At): void {
  const { site, zone } = config;
  const canonical = hosts[0];
  if (site.name === "@" && site.canonical === "www" && !site.redirectTwin) {
    at(
      "site",
      "redirectTwin",
    )(
      `is false while www is canonical, so ${zone.name} itself would have no record and visitors typing it get nothing. Set site.redirectTwin to true (the apex then 301-redirects to https://${canonical.fqdn}), or make the apex canonical (site.canonical: apex)`,
    );
  }
  const twin = hosts.find((h) => h.role === "redirect");
  if (!twin) return;
  const onTwin = (value: string): boolean => {
    try {
      return new URL(value).hostname === twin.fqdn;
    } catch {
      return false;
    }
  };
  const fix = `it only redirects to https://${canonical.fqdn}: use https://${canonical.fqdn}`;
  (site.apiCorsOrigins ?? []).forEach((origin, i) => {
    if (onTwin(origin)) at("site", `apiCorsOrigins[${i}]`)(`"${origin}" is the twin's origin, and ${fix} (no page is ever served from the twin)`);
  });
  for (const target of ENV_TARGETS) {
    for (const [key, value] of Object.entries(config.hosting.env[target])) {
      if (typeof value === "string" && onTwin(value))
        at("hosting", `env.${target}.${key}`)(`points at ${twin.fqdn}, and ${fix} (auth callbacks and API calls through a 301 lose their POST body)`);
    }
  }
}

function planEdge(config: StackConfig, hosts: readonly WebHost[], canonical: WebHost, at: At, note: Note): EdgePlan {
  const { zone, edge } = config;
  const edgeNote = note("edge");
  const twin = hosts.find((h) => h.role === "redirect");
  if (!zone.manageZoneSettings) {
    edgeNote(
      `Zone-wide settings and rulesets of ${zone.name} belong to the stack that owns the zone (zone.manageZoneSettings is false here): this stack inherits its SSL, WAF, cache and rate-limit rules, which match paths on every host.`,
    );
    if (twin)
      at(
        "site",
        "redirectTwin",
      )(
        `needs the zone's redirect ruleset, which this stack does not own (zone.manageZoneSettings is false): set site.redirectTwin to false, or declare the redirect in the owning stack`,
      );
    if (Object.keys(zone.existingRulesets).length)
      at("zone", "existingRulesets")("only applies to a stack that manages the zone (zone.manageZoneSettings true)");
    return {
      securitySettings: [],
      performanceSettings: [],
      rulesets: {},
      rateLimits: [],
      smartTieredCache: false,
      securityHeaders: [],
    };
  }
  const tier = zoneTier(zone.plan, zone.advancedRateLimiting);
  const { rules: rateLimits, notes: rlNotes } = rateLimitRules(edge.rateLimits, tier);
  rlNotes.forEach(edgeNote);
  const names = new Set<string>();
  edge.rateLimits.forEach((l, i) => {
    if (names.has(l.name)) at("edge", `rateLimits[${i}].name`)(`"${l.name}" is used twice`);
    names.add(l.name);
  });
  for (const p of edge.cache.staticPaths) {
    const clash = edge.cache.privatePaths.find((priv) => p.startsWith(priv.endsWith("/") ? priv : `${priv}/`) || p === priv);
    if (clash)
      at(
        "edge",
        "cache.staticPaths",
      )(`"${p}" lies under the private path "${clash}": private paths are never cached; move the assets or narrow the private path`);
  }
  if (zone.plan === "free") {
    edgeNote(
      "Free plan: the Free Managed Ruleset is deployed by Cloudflare automatically (the full Cloudflare Managed Ruleset needs Pro); rate limits count per IP and data centre over 10 s.",
    );
  }
  edgeNote("DDoS protection (HTTP and network layer) is always on at Cloudflare; this program never overrides it.");
  const tiered = smartTieredCache(hosts);
  if (tiered.note) edgeNote(tiered.note);
  if (edge.cache.edgeTtlSeconds !== undefined) {
    edgeNote(
      `edge.cache.edgeTtlSeconds is set (${edge.cache.edgeTtlSeconds}s): static assets ignore the origin's Cache-Control, and Cloudflare caches a static response that sets a cookie with the cookie stripped. Remove it to let the origin decide and never cache a Set-Cookie response.`,
    );
  }
  if (edge.sslMode === "full") {
    edgeNote(
      'SSL mode is "full" (origin certificate not validated): once Vercel shows each domain\'s certificate as issued, remove edge.sslMode (strict) and run pulumi up again.',
    );
  }
  const webhooks = webhookPathsOf(edge);
  const bots = botFightModeDefault(tier, edge.waf.botFightMode, webhooks);
  if (bots.note) edgeNote(bots.note);
  const headers = securityHeaders(edge.securityHeaders);
  const rulesets: Partial<Record<Phase, RuleSpec[]>> = {
    http_request_dynamic_redirect: twin ? [canonicalRedirectRule(twin.fqdn, canonical.fqdn)] : [],
    http_request_cache_settings: cacheRules(edge.cache),
    http_response_compression: compressionRules(),
    http_ratelimit: rateLimits.map((r) => r.rule),
    http_request_firewall_custom: firewallCustomRules(edge.waf, webhooks, tier),
    http_request_firewall_managed: managedRulesetRules(tier),
    http_response_headers_transform: securityHeaderRules(headers),
  };
  addExtraRules(rulesets, edge.extraRules, at);
  checkRulesets(rulesets, config, tier, at);
  return {
    securitySettings: [...securityZoneSettings(edge), ...htmlRewritingZoneSettings()],
    performanceSettings: performanceZoneSettings(),
    rulesets,
    rateLimits,
    botSettings: botManagementSettings(tier, bots.on, edge.waf.robotsTxtManaged),
    smartTieredCache: tiered.declare,
    securityHeaders: headers,
  };
}

/** edge.extraRules, each before or after the phase's own rules; a phase the stack does not declare is refused. */
function addExtraRules(rulesets: Partial<Record<Phase, RuleSpec[]>>, extraRules: StackConfig["edge"]["extraRules"], at: At): void {
  for (const [phase, extra] of Object.entries(extraRules)) {
    const rules = rulesets[phase as Phase];
    if (!rules) {
      at("edge", `extraRules.${phase}`)(`this stack declares no ruleset for phase "${phase}"; phases it manages: ${Object.keys(rulesets).join(", ")}`);
      continue;
    }
    const specs = extra.map(({ position, ...r }, i) => ({ position, rule: { ref: `extra_${phase}_${i}`, ...r } }));
    rules.unshift(...specs.filter((x) => x.position === "first").map((x) => x.rule));
    rules.push(...specs.filter((x) => x.position === "last").map((x) => x.rule));
  }
}

/** Each phase within the tier's rule count (an empty one is dropped), and every adopted ruleset's phase declared. */
function checkRulesets(rulesets: Partial<Record<Phase, RuleSpec[]>>, config: StackConfig, tier: Tier, at: At): void {
  for (const [phase, rules] of Object.entries(rulesets) as Array<[Phase, RuleSpec[]]>) {
    const problem = ruleCountProblem(phase, rules.length, tier);
    if (problem) at("edge", "")(problem);
    if (rules.length === 0) delete rulesets[phase];
  }
  for (const phase of Object.keys(config.zone.existingRulesets)) {
    // The origin lock's request-header ruleset is declared beside these (lib/edge/origin-lock.ts).
    if (!(phase in rulesets) && !(phase === "http_request_late_transform" && originLockWanted(config)))
      at("zone", `existingRulesets.${phase}`)(`this program declares no ruleset for phase "${phase}"; phases it manages: ${Object.keys(rulesets).join(", ")}`);
  }
}

function checkRecordsAndImports(plan: SitePlan, at: At): void {
  // Two web hosts with one name are reported once, by checkHosts; here email and extra records that collide.
  const keys = new Set<string>();
  for (const r of plan.webRecords) {
    // A repeated web host was reported by checkHosts; an extra record that repeats a planned one is reported here.
    if (keys.has(r.key) && r.purpose === "extra") at("zone", "extraRecords")(`"${r.key}" is already declared by the stack: remove it from extraRecords`);
    keys.add(r.key);
  }
  for (const r of plan.email.records) {
    if (keys.has(r.key)) at("email", "")(`two records would both be "${r.key}": give each sender its own selector or name`);
    keys.add(r.key);
  }
  for (const key of Object.keys(plan.config.zone.existingRecords)) {
    if (!keys.has(key)) {
      at(
        "zone",
        `existingRecords["${key}"]`,
      )(
        `no planned record is named "${key}" (names are shown by \`npm run plan\`, e.g. ${[...keys]
          .slice(0, 3)
          .map((k) => `"${k}"`)
          .join(", ")}). If the stack no longer declares that record, remove this entry: ` +
          "the record stays in the zone as it is (an adopted record is kept when the stack lets it go), no longer managed; " +
          "to keep managing it, declare it in zone.extraRecords",
      );
    }
  }
}

/** Each adopted record and ruleset, its phase, and what phase two changes (lib/adopt/phases.ts). */
export function adoptionOf(plan: SitePlan): NonNullable<DomainMap["zone"]["adoption"]> {
  const { existingRecords, existingRulesets } = plan.config.zone;
  const records = allRecords(plan)
    .filter((r) => existingRecords[r.key])
    .map((r) => {
      const a = existingRecords[r.key];
      return {
        kind: "record" as const,
        key: r.key,
        name: `${r.fqdn} ${r.type}`,
        id: a.id,
        phase: phaseOf(a),
        changes: a.live ? recordChanges(a.live, plannedRecordInputs(r)) : [],
      };
    });
  const rulesets = Object.entries(existingRulesets)
    .filter(([phase]) => plan.edge.rulesets[phase as Phase])
    .map(([phase, a]) => ({
      kind: "ruleset" as const,
      key: phase,
      name: phase,
      id: a.id,
      phase: phaseOf(a),
      changes: a.live ? rulesetChanges(a.live, plan.edge.rulesets[phase as Phase]!) : [],
    }));
  return [...records, ...rulesets];
}

/**
 * A CNAME owns its name (lib/dns/cname.ts), whichever config keys asked for the records: a web
 * host's target, a sender's records or MAIL FROM, DKIM keys, extra records. Reported under the
 * key that is not a web host (the host is rarely the one to move).
 */
function checkCnameExclusive(plan: SitePlan, at: At): void {
  const records = allRecords(plan);
  const keyOf = (r: RecordSpec) => r.configKey ?? `(the ${r.type} record the program adds: ${r.comment.replace(/^launch-ready: /, "")})`;
  const isWeb = (r: RecordSpec) => r.purpose === "web" || r.purpose === "redirect";
  for (const { cname, other } of cnameConflicts(records, (r) => ({ name: r.name, type: r.type, atApex: r.name === "@" }))) {
    if (isWeb(cname) && isWeb(other)) continue; // one host declared twice: checkHosts reports it
    const reportOn = isWeb(cname) ? other : cname;
    const [top, ...rest] = (reportOn.configKey ?? "zone").split(/(?=[.[])/);
    const bounce = other.purpose === "spf" && other.configKey?.endsWith(".mailFrom");
    const fix = bounce
      ? `A Return-Path the provider has you CNAME to its own host (Postmark: pm-bounces to pm.mtasv.net) gets its SPF from the provider: remove ${other.configKey}, and keep the CNAME`
      : `Keep one: remove ${keyOf(cname)}, or give ${keyOf(other)} a name of its own`;
    at(
      top,
      rest.join("").replace(/^\./, ""),
    )(
      `${cname.fqdn} would hold a CNAME (${keyOf(cname)}) and a ${other.type} record (${keyOf(other)}): ${CNAME_EXCLUSIVE.rule.split(": ")[0]}, and Cloudflare refuses the ${other.type} (${CNAME_EXCLUSIVE.source.split(" ")[0]}). ${fix}`,
    );
  }
}

/** Every DNS record the site declares. */
export function allRecords(plan: SitePlan): RecordSpec[] {
  return [...plan.webRecords, ...plan.email.records];
}

/** The domain map stack output: what points where, never a secret value. */
export function domainMapOf(plan: SitePlan): DomainMap {
  const { config, canonical } = plan;
  const adoption = adoptionOf(plan);
  const canonicalOrigin = `https://${canonical.fqdn}`;
  return {
    stack: plan.stack,
    notes: plan.notes.map((n) => ({ ...n })),
    environment: config.environment,
    zone: {
      name: config.zone.name,
      id: config.zone.id,
      plan: config.zone.plan,
      managesZoneSettings: config.zone.manageZoneSettings,
      ...(Object.keys(config.zone.existingRulesets).length ? { adoptedRulesets: Object.keys(config.zone.existingRulesets) } : {}),
      ...(adoption.length ? { adoption } : {}),
    },
    canonicalOrigin,
    canonicalHost: canonical.fqdn,
    hosts: plan.hosts.map((h) => ({
      hostname: h.fqdn,
      role: h.role,
      target: h.target,
      proxied: h.proxied,
      ...(h.role === "redirect" ? { redirectsTo: canonicalOrigin } : {}),
    })),
    records: allRecords(plan).map((r) => ({
      name: r.fqdn,
      type: r.type,
      content: r.content,
      proxied: r.proxied,
      ttl: r.ttl,
      ...(r.priority !== undefined ? { priority: r.priority } : {}),
      purpose: r.purpose,
      ...(config.zone.existingRecords[r.key] ? { adopted: true } : {}),
    })),
    email: {
      senders: plan.email.senders,
      sendingDomains: plan.email.sendingDomains,
      nonSendingDomains: plan.email.nonSendingDomains,
      dmarc: plan.email.dmarc,
      ...(plan.email.tlsReporting ? { tlsReporting: plan.email.tlsReporting } : {}),
    },
    edge: {
      hsts: { ...config.edge.hsts },
      minTlsVersion: config.edge.minTlsVersion,
      rateLimits: plan.edge.rateLimits.map(({ name, paths, requests, periodSeconds, action }) => ({ name, paths, requests, periodSeconds, action })),
      cachedPaths: plan.edge.rulesets.http_request_cache_settings
        ? [...config.edge.cache.staticPaths, ...config.edge.cache.staticExtensions.map((e) => `*.${e}`)]
        : [],
      bypassPaths: plan.edge.rulesets.http_request_cache_settings ? [...config.edge.cache.privatePaths] : [],
      securityHeaders: plan.edge.securityHeaders.map(({ name, value }) => ({ name, value })),
      caa: {
        issuers: plan.caa.issuers.map(({ issuer, hosts }) => ({ issuer, hosts })),
        ...(plan.caa.iodef ? { iodef: plan.caa.iodef } : {}),
        published: plan.caa.records.length > 0,
      },
      dnssec: plan.dnssec,
      originLock: plan.originLock
        ? { on: true, header: plan.originLock.header, hosts: [...plan.originLock.hosts] }
        : { on: false, hosts: [], ...(plan.originBypass ? { bypass: plan.originBypass } : {}) },
    },
    hosting: {
      provider: "vercel",
      projectId: config.hosting.projectId,
      env: {
        production: envEntries(plan, "production"),
        preview: envEntries(plan, "preview"),
        development: envEntries(plan, "development"),
      },
    },
    monitors: plan.monitors.map(({ key: _key, host: _host, path: _path, ...m }) => m),
    alerts: {
      emails: [...config.alerts.emails],
      slack: !!config.alerts.slack,
      webhooks: config.alerts.webhooks.length,
      ...(config.alerts.slack ? { slackChannel: { ...config.alerts.slack } } : {}),
      webhookEndpoints: plan.alertWebhooks.map((w) => ({ name: w.key, ...("secretKey" in w.url ? { secretKey: w.url.secretKey } : {}) })),
      dashboardUrl: dashboardOf(config.zone.name, plan.stack, ROUTE53_METRICS_REGION).url,
    },
    apiCorsOrigins: config.site.apiCorsOrigins ?? [canonicalOrigin],
    apiCorsOriginsDefaulted: config.site.apiCorsOrigins === undefined,
    ...(plan.turnstile
      ? {
          turnstile: {
            domains: plan.turnstile.widget.domains,
            mode: plan.turnstile.widget.mode,
            siteKeyVar: config.turnstile.siteKeyVar,
            secretVar: config.turnstile.secretVar,
          },
        }
      : {}),
    protect: { ...plan.protect },
    owners: { ...config.owners },
    monthlyCost: plan.cost,
  };
}

/** owners.mail by sender name must name the stack's senders: a misspelt name would leave a provider unowned. */
function checkOwners(config: StackConfig, at: (key: string, path: string) => (message: string) => void) {
  const mail = config.owners.mail;
  if (mail === undefined || typeof mail === "string") return;
  const senders = (config.email?.senders ?? []).map((s) => s.name);
  for (const name of Object.keys(mail))
    if (!senders.includes(name))
      at(
        "owners",
        `mail.${name}`,
      )(
        senders.length
          ? `names no sender: the senders are ${senders.join(", ")} (email.senders[].name); use one of them, or give owners.mail one contact for all`
          : "names a sender, but email.senders is empty: remove it, or add the sender",
      );
}

function envEntries(plan: SitePlan, target: "production" | "preview" | "development") {
  return plan.env.vars
    .filter((v) => v.target === target)
    .map((v) =>
      "secretKey" in v.source
        ? { key: v.key, sensitive: v.sensitive, source: "secret-config" as const, configKey: v.source.secretKey }
        : "generated" in v.source
          ? { key: v.key, sensitive: v.sensitive, source: "generated" as const, generatedBy: "cloudflare.TurnstileWidget" }
          : { key: v.key, sensitive: v.sensitive, source: "plain" as const },
    );
}
