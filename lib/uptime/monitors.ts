/**
 * Uptime monitor specs: one per monitored web host (its health path) and one per
 * critical endpoint. Route 53 checks them from several regions over HTTPS.
 */
import type { AlertsConfig, UptimeConfig, ZoneConfig } from "../config/schema";
import type { MonitorEntry } from "../domain-map";
import type { WebHost } from "../dns/records";
import { fqdn } from "../../policies/shared/names";
import { awsFacts } from "../provider-facts";

/** p95 targets: core API routes 500 ms, every other non-LLM route 2 s. */
export const API_LATENCY_TARGET_MS = 500;
export const DEFAULT_LATENCY_TARGET_MS = 2000;

export interface MonitorSpec extends MonitorEntry {
  /** Stable resource name. */
  key: string;
  host: string;
  path: string;
  /** Always decided here, from uptime.measureLatency (optional only in the domain map, for older maps). */
  measureLatency: boolean;
  availabilityTarget: number;
  availabilityAlertBelow: number;
}

/** The CloudWatch alarms a monitor gets (components/uptime.ts declares one per kind): down, a day's availability, and latency where measured. */
export type AlarmKind = "down" | "availability" | "latency";

export function alarmKindsOf(m: Pick<MonitorSpec, "measureLatency">): AlarmKind[] {
  return ["down", "availability", ...(m.measureLatency ? (["latency"] as const) : [])];
}

export function planMonitors(
  zone: ZoneConfig,
  hosts: readonly WebHost[],
  uptime: UptimeConfig,
): { monitors: MonitorSpec[]; problems: Array<{ path: string; message: string }> } {
  const problems: Array<{ path: string; message: string }> = [];
  const common = {
    failureThreshold: uptime.failureThreshold,
    intervalSeconds: uptime.intervalSeconds,
    regions: [...uptime.regions],
    measureLatency: uptime.measureLatency,
    availabilityTarget: uptime.availabilityTarget,
    availabilityAlertBelow: uptime.availabilityAlertBelow,
  };
  const monitors: MonitorSpec[] = hosts
    .filter((h) => h.monitor)
    .map((h) => ({
      key: `host-${h.name === "@" ? "apex" : h.name}`,
      name: h.role === "canonical" ? "homepage" : h.name === "@" ? "apex" : h.name,
      host: h.fqdn,
      path: h.healthPath,
      url: `https://${h.fqdn}${h.healthPath}`,
      expect: h.expect,
      critical: h.role !== "redirect",
      latencyTargetMs: h.api ? API_LATENCY_TARGET_MS : DEFAULT_LATENCY_TARGET_MS,
      ...common,
    }));
  const hostNames = new Set(hosts.map((h) => h.name));
  const canonical = hosts.find((h) => h.role === "canonical")!;
  const twin = hosts.find((h) => h.role === "redirect");
  const names = new Set(monitors.map((m) => m.name));
  uptime.endpoints.forEach((endpoint, i) => {
    const e = { ...endpoint, host: endpoint.host ?? canonical.name };
    if (!hostNames.has(e.host)) {
      problems.push({
        path: `endpoints[${i}].host`,
        message: `"${e.host}" is not one of the site's hosts (${[...hostNames].join(", ")}): add it to subdomains or fix the name`,
      });
      return;
    }
    if (twin && e.host === twin.name) {
      // Route 53 counts a 3xx as healthy (and a string match would search the redirect's body).
      problems.push({
        path: `endpoints[${i}].host`,
        message: `"${e.host}" is the twin that only redirects to ${canonical.fqdn}: Route 53 counts its 301 as healthy, so this monitor would never see the app down. Use "${canonical.name}" or leave host unset (the canonical host)`,
      });
      return;
    }
    if (names.has(e.name)) {
      problems.push({ path: `endpoints[${i}].name`, message: `monitor name "${e.name}" is used twice` });
      return;
    }
    names.add(e.name);
    const host = fqdn(e.host, zone.name);
    const isApi = e.path.startsWith("/api/") || hosts.some((h) => h.name === e.host && h.api);
    monitors.push({
      key: `endpoint-${e.name}`,
      name: e.name,
      host,
      path: e.path,
      url: `https://${host}${e.path}`,
      expect: e.expect,
      critical: true,
      latencyTargetMs: e.latencyTargetMs ?? (isApi ? API_LATENCY_TARGET_MS : DEFAULT_LATENCY_TARGET_MS),
      ...common,
    });
  });
  return { monitors, problems };
}

/** An alert webhook with the stable key its SNS subscription is named by. */
export interface AlertWebhook {
  key: string;
  /** A plain URL, or the secret config key that holds a URL carrying its token. */
  url: { plain: string } | { secretKey: string };
}

/**
 * Keys each alert webhook by its name, or by its URL's host: never by its place in the
 * list, so adding, removing or reordering one leaves the others' subscriptions alone.
 */
export function alertWebhooks(webhooks: AlertsConfig["webhooks"]): { webhooks: AlertWebhook[]; problems: Array<{ path: string; message: string }> } {
  const problems: Array<{ path: string; message: string }> = [];
  const seen = new Map<string, number>();
  const out: AlertWebhook[] = [];
  webhooks.forEach((w, i) => {
    const given = typeof w === "string" || "secret" in w ? w : w.url;
    const url: AlertWebhook["url"] = typeof given === "string" ? { plain: given } : { secretKey: given.secret };
    let host: string | undefined;
    if ("plain" in url) {
      // Checked whatever names the subscription: SNS would refuse the endpoint at deploy time.
      try {
        host = new URL(url.plain).hostname;
      } catch {
        problems.push({ path: `webhooks[${i}]`, message: "is not a valid https:// URL" });
        return;
      }
    }
    const key = typeof w !== "string" && "name" in w ? w.name : "secretKey" in url ? url.secretKey : host!;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        path: `webhooks[${i}]`,
        message: `shares the key "${key}" with webhooks[${first}]: give each its own name, as { name: pagerduty, url: https://... }`,
      });
      return;
    }
    seen.set(key, i);
    out.push({ key, url });
  });
  return { webhooks: out, problems };
}

/** Route 53 publishes health-check metrics only here (lib/provider-facts/aws.json metricRegions): alarms and the dashboard live here. */
export const ROUTE53_METRICS_REGION = awsFacts.metricRegions.find((m) => m.namespace === "AWS/Route53")!.regions[0];

/** The prefix of the stack's alarm, topic and dashboard names: the zone and the stack, e.g. "acmechat-dev-prod". */
export function monitoringPrefix(zoneName: string, stack: string): string {
  return `${zoneName.replace(/\./g, "-")}-${stack}`;
}

/** The CloudWatch dashboard (in the alarms' region, next to the Route 53 metrics) and its console URL. */
export function dashboardOf(zoneName: string, stack: string, region: string): { name: string; url: string } {
  const name = `${monitoringPrefix(zoneName, stack)}-launch`;
  return { name, url: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${name}` };
}
