import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import type { BotManagementSettings, RuleSpec, ZoneSettingSpec } from "../lib/edge/rules";
import { declareRuleset, ZoneRef } from "./cloudflare-resources";
import { childName, childOptions } from "./naming";

export interface EdgeSecurityArgs {
  zone: ZoneRef;
  /** The Cloudflare account id (the certificate notification policy lives in the account). */
  accountId: pulumi.Input<string>;
  /** SSL strict, Always Use HTTPS, HSTS, min TLS, TLS 1.3, HTTPS rewrites, security level. */
  settings: ZoneSettingSpec[];
  /** Rate-limit rules, already fitted to the zone's plan. */
  rateLimitRules: RuleSpec[];
  /** WAF custom rules (probes, admin paths, bots). */
  customRules: RuleSpec[];
  /** Executes the Cloudflare Managed Ruleset; empty on Free, where Cloudflare deploys the Free Managed Ruleset itself. */
  managedRules: RuleSpec[];
  /** Response header transform rules: security headers where the app sends none (lib/edge/headers.ts). */
  responseHeaderRules?: RuleSpec[];
  /** BotManagement fields for the zone's plan (lib/edge/rules.ts botManagementSettings). */
  botSettings: BotManagementSettings;
  /** Who Cloudflare mails about certificate events; empty: no notification policy is declared. */
  certificateAlertEmails: string[];
}

/**
 * SSL everywhere, WAF and rate limits for a zone: zone settings, one ruleset per
 * firewall phase holding all of its rules, Bot Fight Mode, and a notification on
 * every Universal SSL certificate event so a failed renewal reaches a human.
 */
export class EdgeSecurity extends pulumi.ComponentResource {
  readonly settings: Record<string, cloudflare.ZoneSetting>;

  constructor(name: string, args: EdgeSecurityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:edge:EdgeSecurity", name, {}, opts);
    const zoneId = args.zone.zoneId;
    this.settings = Object.fromEntries(
      args.settings.map((s) => [
        s.settingId,
        new cloudflare.ZoneSetting(childName(name, s.settingId), { zoneId, settingId: s.settingId, value: s.value }, childOptions(this, s.settingId)),
      ]),
    );
    if (args.rateLimitRules.length)
      declareRuleset("http_ratelimit", args.rateLimitRules, args.zone, this, name, "Rate limits on login, signup, chat and webhook routes (launch-ready)");
    if (args.customRules.length) declareRuleset("http_request_firewall_custom", args.customRules, args.zone, this, name, "WAF custom rules (launch-ready)");
    if (args.managedRules.length) declareRuleset("http_request_firewall_managed", args.managedRules, args.zone, this, name, "WAF managed rules (launch-ready)");
    if (args.responseHeaderRules?.length) {
      declareRuleset(
        "http_response_headers_transform",
        args.responseHeaderRules,
        args.zone,
        this,
        name,
        "Security headers where the app sends none (launch-ready)",
      );
    }
    const bots: Omit<cloudflare.BotManagementArgs, "zoneId"> = args.botSettings;
    new cloudflare.BotManagement(childName(name, "bot-management"), { zoneId, ...bots }, childOptions(this, "bot-management"));
    // Cloudflare mails certificate events; a stack alerting only through Slack or webhooks has no address to send them to (the plan says so).
    if (args.certificateAlertEmails.length)
      new cloudflare.NotificationPolicy(
        childName(name, "certificate-alerts"),
        {
          accountId: args.accountId,
          name: pulumi.interpolate`Certificate events for zone ${zoneId}`,
          alertType: "universal_ssl_event_type",
          enabled: true,
          // Without a filter the policy fires for every zone of the account.
          filters: { zones: [zoneId] },
          mechanisms: { emails: args.certificateAlertEmails.map((id) => ({ id })) },
        },
        childOptions(this, "certificate-alerts"),
      );
    this.registerOutputs({ settings: Object.keys(this.settings) });
  }
}
