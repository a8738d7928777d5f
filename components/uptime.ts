import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AlertsConfig } from "../lib/config/schema";
import { AlertWebhook, alarmKindsOf, MonitorSpec, ROUTE53_METRICS_REGION } from "../lib/uptime/monitors";
import { alarmSpecs, dashboardBody, type DashboardSpec } from "../lib/uptime/alarms";

import { childName, childOptions } from "./naming";

/** Route 53 publishes health-check metrics only in us-east-1 (lib/provider-facts/aws.json), so alarms, their topic and the dashboard live there. */
export const ALARM_REGION = ROUTE53_METRICS_REGION;

export interface UptimeArgs {
  monitors: MonitorSpec[];
  alerts: AlertsConfig;
  /** Alert webhooks keyed by name or host (lib/uptime/monitors.ts alertWebhooks); a URL carrying its token arrives as a Pulumi secret. */
  webhooks: Array<{ key: AlertWebhook["key"]; endpoint: pulumi.Input<string> }>;
  /** Prefix for alarm and topic names (lib/uptime/monitors.ts monitoringPrefix). */
  namePrefix: string;
  /** The dashboard's name and console URL (lib/uptime/monitors.ts dashboardOf); its title names the site; the stack's uptime target and alert level draw its lines. */
  dashboard: DashboardSpec & { name: string; url: string };
  /** Protect the alert topic (Pulumi's `protect`): a new topic loses every confirmed email subscription. Default: false. */
  protectTopic?: boolean;
}

/**
 * Uptime monitors that reach a human: a Route 53 HTTPS health check per endpoint
 * (several regions, unhealthy after repeated failures), a CloudWatch alarm on each
 * that fires after a short window of bad checks (lib/uptime/alarms.ts) and clears itself, and one SNS topic fanning out
 * to email, Slack (AWS Chatbot) and webhooks.
 */
export class Uptime extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  /** Monitor name -> health check id. */
  readonly healthCheckIds: Record<string, pulumi.Output<string>>;
  /** The CloudWatch dashboard's console URL. */
  readonly dashboardUrl: string;

  constructor(name: string, args: UptimeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launch-ready:uptime:Uptime", name, {}, opts);
    const region = ALARM_REGION;
    const topic = new aws.sns.Topic(
      childName(name, "alerts"),
      { name: `${args.namePrefix}-uptime-alerts`, region },
      childOptions(this, "alerts", [], args.protectTopic ? { protect: true } : {}),
    );
    this.topicArn = topic.arn;
    for (const address of args.alerts.emails) {
      // Each address receives one confirmation email from AWS before alerts flow.
      new aws.sns.TopicSubscription(
        childName(name, `email-${address}`),
        { topic: topic.arn, protocol: "email", endpoint: address, region },
        childOptions(this, `email-${address}`),
      );
    }
    args.webhooks.forEach((hook, i) => {
      // Named by its key, not its place in the list; the alias moves a subscription an earlier
      // release named by index (its position is unchanged on the first run after upgrading).
      new aws.sns.TopicSubscription(
        childName(name, `webhook-${hook.key}`),
        { topic: topic.arn, protocol: "https", endpoint: hook.endpoint, region },
        childOptions(this, `webhook-${hook.key}`, [`webhook-${i}`]),
      );
    });
    if (args.alerts.slack) this.slack(name, args.alerts.slack, topic, args.namePrefix);

    this.healthCheckIds = {};
    for (const m of args.monitors) {
      const check = new aws.route53.HealthCheck(
        childName(name, m.key),
        {
          type: m.expect ? "HTTPS_STR_MATCH" : "HTTPS",
          fqdn: m.host,
          port: 443,
          resourcePath: m.path,
          ...(m.expect ? { searchString: m.expect } : {}),
          failureThreshold: m.failureThreshold,
          requestInterval: m.intervalSeconds,
          regions: m.regions,
          measureLatency: m.measureLatency,
          enableSni: true,
          tags: { Name: `${args.namePrefix} ${m.name}`, "launch-ready:url": m.url },
        },
        childOptions(this, m.key),
      );
      this.healthCheckIds[m.name] = check.id;
      // One alarm per kind lib/uptime/monitors.ts alarmKindsOf names (the monthly cost counts the same list); their settings are lib/uptime/alarms.ts's.
      const specs = alarmSpecs(m, args.namePrefix);
      for (const kind of alarmKindsOf(m)) {
        new aws.cloudwatch.MetricAlarm(
          childName(name, `${m.key}-${kind}`),
          {
            name: `${args.namePrefix}-${m.name}-${kind}`,
            namespace: "AWS/Route53",
            dimensions: { HealthCheckId: check.id },
            alarmActions: [topic.arn],
            okActions: [topic.arn],
            region,
            ...specs[kind],
          },
          childOptions(this, `${m.key}-${kind}`),
        );
      }
    }
    this.dashboardUrl = args.dashboard.url;
    new aws.cloudwatch.Dashboard(
      childName(name, "dashboard"),
      {
        dashboardName: args.dashboard.name,
        dashboardBody: pulumi.all(this.healthCheckIds).apply((ids) => dashboardBody(args.dashboard, args.monitors, ids, region)),
        region,
      },
      childOptions(this, "dashboard"),
    );
    this.registerOutputs({ topicArn: this.topicArn, healthCheckIds: this.healthCheckIds, dashboardUrl: this.dashboardUrl });
  }

  private slack(name: string, slack: NonNullable<AlertsConfig["slack"]>, topic: aws.sns.Topic, prefix: string): void {
    const role = new aws.iam.Role(
      childName(name, "chatbot"),
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "chatbot.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      },
      childOptions(this, "chatbot"),
    );
    new aws.iam.RolePolicyAttachment(
      childName(name, "chatbot-cloudwatch-read"),
      { role: role.name, policyArn: "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess" },
      childOptions(this, "chatbot-cloudwatch-read"),
    );
    new aws.chatbot.SlackChannelConfiguration(
      childName(name, "slack"),
      {
        configurationName: `${prefix}-uptime`,
        iamRoleArn: role.arn,
        slackTeamId: slack.workspaceId,
        slackChannelId: slack.channelId,
        snsTopicArns: [topic.arn],
        // The chatbot may only read: guardrail it to read-only whatever the role allows.
        guardrailPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        // AWS Chatbot has no API in us-east-1; the configuration subscribes to the us-east-1 topic from its own region.
        region: slack.region,
      },
      childOptions(this, "slack"),
    );
  }
}
