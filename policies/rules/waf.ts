/**
 * WAF, DDoS and bot protection: never switched off by a hand-written ruleset.
 */
import { LaunchPolicy, StackRes, T, arr, policySettings, setting, forType, isZoneEdgeConfig, obj, stackResources, str } from "./util";
import { ruleLabel, rulesOf } from "./expressions";
import { isWebRecordType } from "./hosts";

import { CLOUDFLARE_MANAGED_RULESET_ID } from "../shared/bar";

const ap = (rule: Record<string, any>) => obj(rule.actionParameters) ?? obj(rule.action_parameters) ?? {};

/** Ways an `overrides` block switches protection off; each described for a message. */
export function disablingOverrides(overrides: unknown): string[] {
  const o = obj(overrides);
  if (!o) return [];
  const out: string[] = [];
  if (o.enabled === false) out.push("overrides.enabled = false");
  if (str(o.sensitivityLevel ?? o.sensitivity_level) === "eoff") out.push('overrides.sensitivityLevel = "eoff"');
  if (str(o.action) === "log") out.push('overrides.action = "log"');
  for (const key of ["rules", "categories"]) {
    for (const item of arr(o[key])) {
      const i = obj(item) ?? {};
      const id = str(i.id) ?? str(i.category) ?? "?";
      if (i.enabled === false) out.push(`overrides.${key}[${id}].enabled = false`);
      if (str(i.sensitivityLevel ?? i.sensitivity_level) === "eoff") out.push(`overrides.${key}[${id}].sensitivityLevel = "eoff"`);
    }
  }
  return out;
}

/** True when an expression matches all traffic. */
function matchesEverything(expression: unknown): boolean {
  const e = (str(expression) ?? "").replace(/[()\s]/g, "");
  return e === "true" || e === "";
}

export const ddosNotDisabled: LaunchPolicy = {
  name: "ddos-protection-not-disabled",
  severity: "critical",
  remediationSteps:
    'Delete the http_ddos_l7 override, or lower the sensitivity of the one rule that misfires (to "low") instead of turning protection off or to log.',
  url: "https://developers.cloudflare.com/ddos-protection/managed-rulesets/http/",
  description:
    'HTTP DDoS protection (phase http_ddos_l7) must stay on: overriding it with enabled: false, sensitivityLevel "eoff" or action "log" ' +
    "leaves the site to be taken down (and the bill run up) by any botnet.",
  enforcementLevel: "mandatory",
  validateResource: forType(T.ruleset, (props, args, report) => {
    const phase = str(props.phase);
    if (phase !== "http_ddos_l7" && phase !== "ddos_l4") args.notApplicable("not a DDoS ruleset");
    for (const rule of rulesOf(props)) {
      if (!rule.enabled) continue;
      const off = disablingOverrides(ap(rule).overrides);
      if (off.length) report(`${ruleLabel(rule)} disables DDoS protection (${off.join(", ")}): remove the override.`);
    }
  }),
};

export const wafNotDisabled: LaunchPolicy = {
  name: "waf-managed-rules-not-disabled",
  severity: "high",
  remediationSteps:
    "Remove the override that disables the managed ruleset or sets it to log; to silence one false positive, override that single rule, " +
    "or skip it for a narrow expression (one path, one host) with a custom rule.",
  url: "https://developers.cloudflare.com/waf/managed-rules/",
  description:
    "Managed WAF rulesets must not be switched off: no disabled execute rule, no overrides that disable them or set them to log only, and no custom rule " +
    "that skips the WAF for all traffic.",
  enforcementLevel: "mandatory",
  validateResource: forType(T.ruleset, (props, args, report) => {
    const phase = str(props.phase);
    if (phase !== "http_request_firewall_managed" && phase !== "http_request_firewall_custom") args.notApplicable("not a WAF ruleset");
    for (const rule of rulesOf(props)) {
      const action = str(rule.action);
      const params = ap(rule);
      if (phase === "http_request_firewall_managed" && action === "execute") {
        const id = str(params.id) ?? "managed ruleset";
        if (!rule.enabled) report(`${ruleLabel(rule)} (${id}) is disabled: enable it.`);
        const off = disablingOverrides(params.overrides);
        if (rule.enabled && off.length) report(`${ruleLabel(rule)} (${id}) is switched off by ${off.join(", ")}: remove the override.`);
      }
      if (action === "skip" && rule.enabled && matchesEverything(rule.expression)) {
        const what = [
          ...arr(params.phases).map(String),
          ...arr(params.products).map(String),
          ...(str(params.ruleset) ? [`ruleset ${params.ruleset}`] : []),
          ...Object.keys(obj(params.rules) ?? {}).map((k) => `rules of ${k}`),
        ];
        if (what.length === 0 || what.some((w) => /firewall_managed|waf|ruleset current|rules of/.test(w))) {
          report(
            `${ruleLabel(rule)} skips ${what.join(", ") || "security"} for all traffic (expression "${str(rule.expression) ?? ""}"): narrow the expression.`,
          );
        }
      }
    }
  }),
};

export const wafManagedDeployed: LaunchPolicy = {
  name: "waf-managed-ruleset-deployed",
  severity: "medium",
  remediationSteps:
    "On Pro and above, set Launch Ready config zone.plan to the zone's plan: the stack then deploys the Cloudflare Managed Ruleset " +
    "(a hand-written stack adds the http_request_firewall_managed entrypoint ruleset that executes it). On Free, disable this policy (policies/config/warming-up.json).",
  url: "https://developers.cloudflare.com/waf/managed-rules/reference/cloudflare-managed-ruleset/",
  description:
    "Recommended on Pro plans and above: deploy the Cloudflare Managed Ruleset (phase http_request_firewall_managed, action execute, id " +
    `${CLOUDFLARE_MANAGED_RULESET_ID}). Free zones get the Free Managed Ruleset automatically, so this is advisory.`,
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    if (!resources.some((r) => r.type === T.zoneSetting)) args.notApplicable("the stack does not manage zone settings");
    const deployed = resources.some(
      (r: StackRes) =>
        r.type === T.ruleset &&
        str(r.props.phase) === "http_request_firewall_managed" &&
        rulesOf(r.props).some((rule) => rule.enabled && str(rule.action) === "execute"),
    );
    if (!deployed) report(`no managed WAF ruleset is deployed: execute the Cloudflare Managed Ruleset (${CLOUDFLARE_MANAGED_RULESET_ID}) on Pro+ zones.`);
  },
};

export const botFightMode: LaunchPolicy = {
  name: "bot-fight-mode",
  severity: "low",
  remediationSteps:
    "Turn the plan's bot protection on (Launch Ready config edge.waf.botFightMode). On Free with webhooks it cannot be skipped for the webhook senders: leave it off there, or move to Pro for Super Bot Fight Mode with a skip rule.",
  url: "https://developers.cloudflare.com/bots/get-started/bot-fight-mode/",
  description:
    "Recommended: Bot Fight Mode (fightMode: true, enableJs: true) challenges known bad bots that scrape content and hammer AI endpoints. It can " +
    "challenge legitimate API clients, so it is advisory; exempt them with a WAF skip rule if needed. A zone whose edge configuration the stack " +
    "manages and whose web traffic it proxies through Cloudflare, with no cloudflare.BotManagement at all, is reported too.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    const bots = resources.filter((r) => r.type === T.botManagement);
    for (const r of bots) {
      // Pro and above protect with Super Bot Fight Mode instead (fightMode is the Free plan's product).
      const superBotFightMode = ["block", "managed_challenge"].includes(r.props.sbfmDefinitelyAutomated);
      if (r.props.fightMode === false && !superBotFightMode) {
        report(
          "Bot Fight Mode is off (fightMode: false) and Super Bot Fight Mode does not act on definitely automated traffic: turn the plan's bot protection on, " +
            "unless the zone is on Free and takes webhooks (Bot Fight Mode cannot be skipped for them; Super Bot Fight Mode on Pro can, with a skip rule for phase http_request_sbfm).",
          r.urn,
        );
      }
      if (r.props.enableJs === false) report("JavaScript detections are off (enableJs: false): turn them on.", r.urn);
    }
    const protectedZones = new Set(bots.map((r) => str(r.props.zoneId)));
    // Only zones this stack owns: a stack that only adds records to another stack's zone leaves bots to it (shared-zone-ownership).
    const owned = new Set(resources.filter(isZoneEdgeConfig).map((r) => str(r.props.zoneId)));
    const served = resources.filter(
      (r) => r.type === T.dnsRecord && r.props.proxied === true && isWebRecordType(str(r.props.type)?.toUpperCase()) && owned.has(str(r.props.zoneId)),
    );
    if (bots.length === 0 && served.length === 0) args.notApplicable("no bot protection and no proxied web traffic in a zone this stack manages");
    const reported = new Set<string | undefined>();
    for (const r of served) {
      const zone = str(r.props.zoneId);
      if (protectedZones.has(zone) || reported.has(zone)) continue;
      reported.add(zone);
      report(
        `zone ${zone ?? "(unknown)"} serves web traffic through Cloudflare with no bot protection declared: add a cloudflare.BotManagement for it ` +
          "(fightMode on Free; Super Bot Fight Mode from Pro), or set this policy to disabled if another stack owns it.",
        r.urn,
      );
    }
  },
};

const SSL_ALERT_SETTINGS = policySettings({ alertTypes: setting.strings(["universal_ssl_event_type", "dedicated_ssl_certificate_event_type"]) });

export const sslExpiryNotifications: LaunchPolicy = {
  name: "ssl-expiry-notifications",
  severity: "medium",
  remediationSteps:
    "Declare a Cloudflare NotificationPolicy with alertType universal_ssl_event_type, the zone in filters.zones, and an email or webhook (Launch Ready sends it to the alerts.emails addresses).",
  url: "https://developers.cloudflare.com/notifications/notification-available/",
  description:
    "Recommended: a Cloudflare notification policy for certificate events (alertType universal_ssl_event_type) with at least one email or webhook, " +
    "so a failed certificate renewal is noticed before visitors see errors.",
  enforcementLevel: "advisory",
  configSchema: SSL_ALERT_SETTINGS.schema,
  validateStack: (args, report) => {
    const resources = stackResources(args);
    if (!resources.some(isZoneEdgeConfig)) args.notApplicable("the stack does not manage the zone");
    const cfg = SSL_ALERT_SETTINGS.read(args);
    const zoneIds = new Set(
      resources
        .filter(isZoneEdgeConfig)
        .map((r) => str(r.props.zoneId))
        .filter((z): z is string => !!z),
    );
    const candidates = resources.filter((r) => {
      if (r.type !== T.notificationPolicy) return false;
      const mech = obj(r.props.mechanisms) ?? {};
      const hasTarget = Object.values(mech).some((v) => Array.isArray(v) && v.length > 0);
      return r.props.enabled !== false && cfg.alertTypes.includes(str(r.props.alertType) ?? "") && hasTarget;
    });
    if (!candidates.length) {
      report("no enabled certificate notification policy with a recipient: add one for universal_ssl_event_type.");
      return;
    }
    // The policy is about this stack's zone: a notification for every zone of the account, or for other zones, is not it.
    const zonesOf = (r: StackRes) => (Array.isArray(obj(r.props.filters)?.zones) ? (obj(r.props.filters)!.zones as unknown[]).map(str) : undefined);
    if (zoneIds.size && !candidates.some((r) => zonesOf(r)?.some((z) => z && zoneIds.has(z)))) {
      report(
        `the certificate notification policy is not filtered to this stack's zone (${[...zoneIds].join(", ")}): set filters.zones to it, so the alert is about this site and not every zone of the account.`,
        candidates[0].urn,
      );
    }
  },
};
