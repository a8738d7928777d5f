/**
 * Uptime: Route 53 health checks over HTTPS, not flapping, wired to an alarm that
 * notifies someone, and covering every proxied web hostname.
 */
import { LaunchPolicy, StackRes, T, arr, policySettings, setting, forType, isUnknown, num, obj, stackResources, str } from "./util";
import { isWebRecordType, qualify, recordNamer, shown } from "./hosts";
import { expressionHosts, rulesOf } from "./expressions";

const WEB_CHECK_TYPES = new Set(["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH"]);

export const healthCheckHttps: LaunchPolicy = {
  name: "health-check-https",
  severity: "high",
  remediationSteps: 'Use type "HTTPS_STR_MATCH" (or "HTTPS") with port: 443 and enableSni: true; Launch Ready declares its checks this way.',
  url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html",
  description:
    "Route 53 web health checks must use HTTPS (type HTTPS or HTTPS_STR_MATCH) with SNI: an HTTP check only proves the redirect works, and without SNI " +
    "Cloudflare/Vercel cannot pick the certificate so the check fails.",
  enforcementLevel: "mandatory",
  validateResource: forType(T.healthCheck, (props, args, report) => {
    const type = str(props.type)?.toUpperCase();
    if (type === undefined || !WEB_CHECK_TYPES.has(type)) args.notApplicable("not a web (HTTP/HTTPS) health check");
    const target = str(props.fqdn) ?? str(props.ipAddress) ?? args.name;
    if (type === "HTTP" || type === "HTTP_STR_MATCH") {
      report(`health check ${target} uses ${type}: use ${type === "HTTP" ? "HTTPS" : "HTTPS_STR_MATCH"} on port 443.`);
    } else if (props.enableSni === false) {
      report(`health check ${target} has enableSni: false: set it to true (Cloudflare and Vercel need SNI to serve the certificate).`);
    }
  }),
};

const THRESHOLD_SETTINGS = policySettings({ minimum: setting.integer(2, { minimum: 1, maximum: 10 }) });

export const healthCheckThreshold: LaunchPolicy = {
  name: "health-check-failure-threshold",
  severity: "medium",
  remediationSteps: "Set failureThreshold to 3, the AWS default (Launch Ready config uptime.failureThreshold, at least 2), with requestInterval: 30.",
  url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html",
  description:
    "Route 53 health checks must need at least 2 consecutive failures before reporting unhealthy: a threshold of 1 pages on every dropped packet, and " +
    "alerts that cry wolf get muted.",
  enforcementLevel: "mandatory",
  configSchema: THRESHOLD_SETTINGS.schema,
  validateResource: forType(T.healthCheck, (props, args, report) => {
    const type = str(props.type)?.toUpperCase();
    if (type === undefined || !WEB_CHECK_TYPES.has(type)) args.notApplicable("not a web (HTTP/HTTPS) health check");
    const cfg = THRESHOLD_SETTINGS.read(args);
    const t = num(props.failureThreshold);
    if (t !== undefined && t < cfg.minimum) {
      report(`health check ${str(props.fqdn) ?? args.name} has failureThreshold ${t}: use at least ${cfg.minimum}.`);
    }
  }),
};

/** Whether a CloudWatch comparison fires for a metric value. */
export function alarmFires(operator: string, threshold: number, value: number): boolean {
  switch (operator) {
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    default:
      return false;
  }
}

function isHealthAlarm(r: StackRes): boolean {
  return r.type === T.metricAlarm && str(r.props.namespace) === "AWS/Route53" && str(r.props.metricName) === "HealthCheckStatus";
}

/** The alarms on a health check: by dependency (URN) first, else by dimensions.HealthCheckId. */
export function alarmsFor(check: StackRes, alarms: StackRes[]): StackRes[] {
  return alarms.filter((a) => {
    const dims = obj(a.props.dimensions);
    const id = dims ? dims.HealthCheckId : undefined;
    const viaDims = a.propertyDeps.dimensions;
    if (viaDims && viaDims.size > 0) return viaDims.has(check.urn);
    if (typeof id === "string" && [check.name, check.urn, str(check.props.id), str(check.props.healthCheckId)].includes(id)) return true;
    // Unknown id (preview): fall back to any dependency on the check.
    return (isUnknown(id) || id === undefined) && a.dependsOn.has(check.urn);
  });
}

export const healthCheckAlarmed: LaunchPolicy = {
  name: "health-check-alarmed",
  severity: "high",
  remediationSteps:
    "Add a CloudWatch alarm on AWS/Route53 HealthCheckStatus < 1 in us-east-1 for the check (a MetricAlarm with dimensions { HealthCheckId: check.id }, comparisonOperator LessThanThreshold, " +
    "threshold 1, alarmActions [topic.arn]), with an SNS topic that has a confirmed subscriber (an email, an https endpoint or an AWS Chatbot Slack channel: Launch Ready config alerts).",
  url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html",
  description:
    "Every web health check must be tied to a CloudWatch alarm (AWS/Route53 HealthCheckStatus, firing when the status drops below 1) with at least one " +
    "alarm action, and an SNS topic used as the action must have a subscriber: a health check nobody is told about is just a graph.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    const checks = resources.filter((r) => r.type === T.healthCheck && WEB_CHECK_TYPES.has(str(r.props.type)?.toUpperCase() ?? ""));
    if (checks.length === 0) args.notApplicable("no web health checks");
    const alarms = resources.filter(isHealthAlarm);
    // A Chatbot Slack channel configuration delivers the topics in its snsTopicArns ("the ARNs of the SNS topics that deliver
    // notifications to AWS Chatbot", AWS Chatbot API UpdateSlackChannelConfiguration, read 2026-12-02): a subscriber like any other.
    const subscriptions = resources.filter((r) => r.type === T.snsSubscription || r.type === T.slackChannel);
    const topics = new Map(resources.filter((r) => r.type === T.snsTopic).map((t) => [t.urn, t]));
    for (const check of checks) {
      const label = str(check.props.fqdn) ? `${check.props.fqdn}${str(check.props.resourcePath) ?? ""}` : check.name;
      const mine = alarmsFor(check, alarms);
      if (mine.length === 0) {
        report(`health check ${label} has no CloudWatch alarm on HealthCheckStatus: add one with an alarm action.`, check.urn);
        continue;
      }
      const problems: string[] = [];
      const good = mine.some((a) => {
        const op = str(a.props.comparisonOperator);
        const threshold = num(a.props.threshold);
        const actions = a.props.alarmActions;
        const p: string[] = [];
        if (op !== undefined && threshold !== undefined && !(alarmFires(op, threshold, 0) && !alarmFires(op, threshold, 1))) {
          p.push(`alarm ${a.name} (${op} ${threshold}) does not fire when the check fails (status 0)`);
        }
        if (!isUnknown(actions) && arr(actions).length === 0) p.push(`alarm ${a.name} has no alarmActions`);
        const topicUrns = [...(a.propertyDeps.alarmActions ?? [])].filter((u) => topics.has(u));
        for (const t of topicUrns) {
          const subscribed = subscriptions.some((s) => s.dependsOn.has(t) || (s.propertyDeps.topic ?? s.propertyDeps.snsTopicArns ?? new Set()).has(t));
          if (!subscribed) p.push(`alarm ${a.name} notifies SNS topic ${topics.get(t)!.name}, which has no subscription`);
        }
        problems.push(...p);
        return p.length === 0;
      });
      if (!good) report(`health check ${label}: ${problems.join("; ")}.`, check.urn);
    }
  },
};

/** Hosts that are the source of a redirect rule (served by Cloudflare, not the origin). */
export const healthCheckTargetsAlarmed: LaunchPolicy = {
  name: "health-check-targets-alarmed",
  severity: "medium",
  remediationSteps:
    "Add a CloudWatch alarm on AWS/Route53 HealthCheckPercentageHealthy (a day's average under your alert level), and, where the check measures latency, one on TimeToFirstByte over the response target (Launch Ready config uptime.availabilityTarget and latencyTargetMs set both).",
  url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-check-status.html",
  description:
    "Recommended: besides the down alarm, every web health check has an availability alarm (HealthCheckPercentageHealthy over a day), so an endpoint " +
    "that flaps without staying down still reaches someone, and, when it measures latency, a latency alarm (TimeToFirstByte), so slow-but-up is caught.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    const checks = resources.filter((r) => r.type === T.healthCheck && WEB_CHECK_TYPES.has(str(r.props.type)?.toUpperCase() ?? ""));
    if (checks.length === 0) args.notApplicable("no web health checks");
    const alarms = resources.filter((r) => r.type === T.metricAlarm && str(r.props.namespace) === "AWS/Route53");
    for (const check of checks) {
      const label = str(check.props.fqdn) ? `${check.props.fqdn}${str(check.props.resourcePath) ?? ""}` : check.name;
      const mine = alarmsFor(check, alarms).map((a) => str(a.props.metricName));
      const missing = [
        ...(mine.includes("HealthCheckPercentageHealthy") ? [] : ["availability (HealthCheckPercentageHealthy)"]),
        ...(check.props.measureLatency === true && !mine.includes("TimeToFirstByte") ? ["latency (TimeToFirstByte)"] : []),
      ];
      if (missing.length) report(`health check ${label} has no ${missing.join(" and no ")} alarm.`, check.urn);
    }
  },
};

export function redirectSources(resources: StackRes[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    if (r.type !== T.ruleset || str(r.props.phase) !== "http_request_dynamic_redirect") continue;
    for (const rule of rulesOf(r.props)) if (rule.enabled && str(rule.action) === "redirect") for (const h of expressionHosts(rule.expression)) out.add(h);
  }
  return out;
}

const MONITORED_SETTINGS = policySettings({ unmonitoredHosts: setting.strings() });

export const webHostsMonitored: LaunchPolicy = {
  name: "web-hosts-monitored",
  severity: "high",
  remediationSteps:
    "Add a health check with fqdn set to the host (Launch Ready monitors every subdomain with monitor: true and its healthPath), or set monitor: false for a host that only redirects; " +
    "list any other deliberate exception in this policy's unmonitoredHosts setting.",
  url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating.html",
  description:
    "Every proxied web hostname (proxied A/AAAA/CNAME record) must have a Route 53 health check on it: you find out it is down before your users tell you. " +
    "Hosts that only redirect (the source of a redirect rule, e.g. www -> apex) are exempt, and so are the deliberate exceptions unmonitoredHosts lists.",
  enforcementLevel: "mandatory",
  configSchema: MONITORED_SETTINGS.schema,
  validateStack: (args, report) => {
    const cfg = MONITORED_SETTINGS.read(args);
    const resources = stackResources(args);
    const web = resources.filter(
      (r) =>
        r.type === T.dnsRecord && r.props.proxied === true && isWebRecordType(str(r.props.type)?.toUpperCase()) && !(str(r.props.name) ?? "").startsWith("*"),
    );
    if (web.length === 0) args.notApplicable("no proxied web hostnames");
    const monitored = new Set(
      resources
        .filter((r) => r.type === T.healthCheck)
        .map((r) => str(r.props.fqdn))
        .filter((f): f is string => !!f)
        .map(qualify),
    );
    const exempt = new Set([...redirectSources(resources), ...cfg.unmonitoredHosts.map(qualify)]);
    const seen = new Set<string>();
    const nameOf = recordNamer(resources);
    for (const r of web) {
      const host = nameOf(r);
      if (seen.has(host) || exempt.has(host) || monitored.has(host)) continue;
      seen.add(host);
      report(
        `${shown(host)} is a proxied web hostname with no uptime monitor: add a Route 53 health check with fqdn "${shown(host)}"${host === shown(host) ? "" : " under your domain"}.`,
        r.urn,
      );
    }
  },
};
