import * as pulumi from "@pulumi/pulumi";
import type { DomainMap } from "../lib/domain-map";
import { domainMapOf, SitePlan } from "../lib/site-plan";
import { dashboardOf, monitoringPrefix, ROUTE53_METRICS_REGION } from "../lib/uptime/monitors";
import { ZoneRef } from "./cloudflare-resources";
import { Domain } from "./domain";
import { EdgeCache } from "./edge-cache";
import { EdgeSecurity } from "./edge-security";
import { EmailAuth } from "./email-auth";
import { Hosting } from "./hosting";
import { OriginLock } from "./origin-lock";
import { childName, childOptions } from "./naming";
import { Turnstile } from "./turnstile";
import { Uptime } from "./uptime";

export interface LaunchReadySiteArgs {
  /** The validated site plan (`sitePlan` / `sitePlanFromStackConfig`, components/stack-config.ts): nothing here re-derives it. */
  plan: SitePlan;
  /**
   * Reads a secret config key (the `{ secret: name }` references) as a Pulumi secret.
   * Default: `new pulumi.Config().requireSecret(name)`, the program's own namespace.
   */
  secret?: (configKey: string) => pulumi.Output<string>;
  /** The Cloudflare zone id, e.g. a cloudflare.Zone's id. Default: the plan's zone.id. The domain map names the plan's. */
  zoneId?: pulumi.Input<string>;
  /** The Vercel project id, e.g. a vercel.Project's id. Default: the plan's hosting.projectId. */
  projectId?: pulumi.Input<string>;
}

/**
 * Everything between a prototype and a safe launch for one site: domain, edge
 * security, edge cache, email authentication, hosting env vars, uptime.
 */
export class LaunchReadySite extends pulumi.ComponentResource {
  readonly domainMap: DomainMap;
  readonly domain: Domain;
  readonly hosting: Hosting;
  readonly uptime: Uptime;
  /** The Turnstile widget, when turnstile.enabled. */
  readonly turnstile?: Turnstile;

  constructor(name: string, args: LaunchReadySiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:site:LaunchReadySite", name, {}, opts);
    const { plan } = args;
    const { config } = plan;
    const secret = args.secret ?? ((key: string) => new pulumi.Config().requireSecret(key));
    const zone: ZoneRef = {
      zoneId: args.zoneId ?? config.zone.id,
      existingRecords: config.zone.existingRecords,
      existingRulesets: config.zone.existingRulesets,
      protect: plan.protect,
    };
    const parent = (child: string) => childOptions(this, child);
    this.domainMap = domainMapOf(plan);

    this.domain = new Domain(
      childName(name, "domain"),
      {
        zone,
        hosts: plan.hosts,
        records: plan.webRecords,
        redirect: plan.edge.rulesets.http_request_dynamic_redirect?.[0],
        canonicalOrigin: this.domainMap.canonicalOrigin,
        dnssec: plan.dnssec,
        protectDnssec: plan.protect.dnssec,
      },
      parent("domain"),
    );
    if (config.zone.manageZoneSettings) this.declareEdge(name, plan, zone);
    new EmailAuth(
      childName(name, "email-auth"),
      { zone, records: plan.email.records, sendingDomains: plan.email.sendingDomains, nonSendingDomains: plan.email.nonSendingDomains },
      parent("email-auth"),
    );
    this.turnstile = plan.turnstile
      ? new Turnstile(
          childName(name, "turnstile"),
          {
            accountId: config.zone.accountId,
            widgetName: plan.turnstile.widget.name,
            mode: plan.turnstile.widget.mode,
            domains: plan.turnstile.widget.domains,
            protect: plan.protect.turnstile,
          },
          parent("turnstile"),
        )
      : undefined;
    this.hosting = new Hosting(
      childName(name, "hosting"),
      {
        projectId: args.projectId ?? config.hosting.projectId,
        teamId: config.hosting.teamId,
        domains: this.domain.vercelHostnames,
        verification: { zone, records: Object.fromEntries(plan.vercelVerification.map((v) => [v.host, v.record])) },
        vars: plan.env.vars,
        secret,
        ...(this.turnstile ? { generated: { "turnstile.siteKey": this.turnstile.siteKey, "turnstile.secret": this.turnstile.secret } } : {}),
      },
      parent("hosting"),
    );
    if (plan.originLock) {
      new OriginLock(
        childName(name, "origin-lock"),
        { zone, projectId: args.projectId ?? config.hosting.projectId, teamId: config.hosting.teamId, lock: plan.originLock },
        parent("origin-lock"),
      );
    }
    this.uptime = this.declareUptime(name, plan, secret);
    this.registerOutputs({ domainMap: this.domainMap, dnssecDs: this.domain.dnssecDs });
  }

  /** The zone's SSL, WAF, rate limits, bots and cache: only for the stack that manages the zone's settings. */
  private declareEdge(name: string, plan: SitePlan, zone: ZoneRef): void {
    const { config } = plan;
    const botSettings = plan.edge.botSettings;
    // planSite sets them for every stack that manages the zone: a plan without them was not made by it.
    if (!botSettings) throw new Error(`the site plan of ${config.zone.name} manages the zone's settings but has no bot settings: make it with sitePlan`);
    new EdgeSecurity(
      childName(name, "edge-security"),
      {
        zone,
        accountId: config.zone.accountId,
        settings: plan.edge.securitySettings,
        rateLimitRules: plan.edge.rulesets.http_ratelimit ?? [],
        customRules: plan.edge.rulesets.http_request_firewall_custom ?? [],
        managedRules: plan.edge.rulesets.http_request_firewall_managed ?? [],
        responseHeaderRules: plan.edge.rulesets.http_response_headers_transform ?? [],
        botSettings,
        certificateAlertEmails: config.alerts.emails,
      },
      childOptions(this, "edge-security"),
    );
    new EdgeCache(
      childName(name, "edge-cache"),
      {
        zone,
        cacheRules: plan.edge.rulesets.http_request_cache_settings ?? [],
        compressionRules: plan.edge.rulesets.http_response_compression ?? [],
        settings: plan.edge.performanceSettings,
        tieredCache: plan.edge.smartTieredCache,
      },
      childOptions(this, "edge-cache"),
    );
  }

  /** Health checks, alarms and the dashboard, alerting the plan's channels. */
  private declareUptime(name: string, plan: SitePlan, secret: (configKey: string) => pulumi.Output<string>): Uptime {
    const { config } = plan;
    return new Uptime(
      childName(name, "uptime"),
      {
        monitors: plan.monitors,
        alerts: config.alerts,
        webhooks: plan.alertWebhooks.map((w) => ({ key: w.key, endpoint: "secretKey" in w.url ? secret(w.url.secretKey) : w.url.plain })),
        namePrefix: monitoringPrefix(config.zone.name, plan.stack),
        dashboard: {
          ...dashboardOf(config.zone.name, plan.stack, ROUTE53_METRICS_REGION),
          title: `${plan.canonical.fqdn} (${plan.stack})`,
          availabilityTarget: config.uptime.availabilityTarget,
          availabilityAlertBelow: config.uptime.availabilityAlertBelow,
        },
        protectTopic: plan.protect.alerts,
      },
      childOptions(this, "uptime"),
    );
  }
}
