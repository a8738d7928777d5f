/**
 * The CloudWatch alarms and dashboard of the uptime monitors, as pure data: components/uptime.ts
 * declares them, the handover says when each alarm fires from the same windows.
 */
import type { AlarmKind, MonitorSpec } from "./monitors";

/** When an alarm fires: `evaluationPeriods` periods of `periodSeconds`, `datapointsToAlarm` of them bad. */
export interface AlarmWindow {
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
}

export const ALARM_WINDOWS: Readonly<Record<AlarmKind, AlarmWindow>> = {
  // Two bad minutes in a row: short enough to page quickly, long enough to skip one lost check.
  down: { periodSeconds: 60, evaluationPeriods: 2, datapointsToAlarm: 2 },
  // A day's availability under the alert level: an endpoint that flaps, never down two minutes in a row, still reaches a human.
  availability: { periodSeconds: 86400, evaluationPeriods: 1 },
  // Slow but up for a quarter of an hour.
  latency: { periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3 },
};

/** "2 minutes", "15 minutes", "1 day": how long an alarm's window lasts, for people. */
export function windowText(kind: AlarmKind): string {
  const w = ALARM_WINDOWS[kind];
  return durationText(w.periodSeconds * w.evaluationPeriods);
}

/** Whole days, hours or minutes, as people say them. */
export function durationText(seconds: number): string {
  const [n, unit] = seconds % 86400 === 0 ? [seconds / 86400, "day"] : seconds % 3600 === 0 ? [seconds / 3600, "hour"] : [Math.round(seconds / 60), "minute"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** One alarm's settings (what aws.cloudwatch.MetricAlarmArgs takes, less the shared metric namespace, dimension, actions and region). */
export interface AlarmSpec {
  alarmDescription: string;
  metricName: string;
  statistic: "Minimum" | "Average";
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  comparisonOperator: "LessThanThreshold" | "GreaterThanThreshold";
  threshold: number;
  treatMissingData: "breaching" | "notBreaching";
}

const windowOf = (kind: AlarmKind) => {
  const w = ALARM_WINDOWS[kind];
  return { period: w.periodSeconds, evaluationPeriods: w.evaluationPeriods, ...(w.datapointsToAlarm ? { datapointsToAlarm: w.datapointsToAlarm } : {}) };
};

/** The alarm of each kind for a monitor; `namePrefix` names the down alarm the availability one points at. */
export function alarmSpecs(m: MonitorSpec, namePrefix: string): Record<AlarmKind, AlarmSpec> {
  return {
    down: {
      alarmDescription: `${m.url} failed ${m.failureThreshold} checks in a row from several regions`,
      metricName: "HealthCheckStatus",
      statistic: "Minimum",
      ...windowOf("down"),
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      // No data means the checkers cannot report: treat it as down.
      treatMissingData: "breaching",
    },
    availability: {
      alarmDescription:
        `${m.url} was up less than ${m.availabilityAlertBelow}% of the last day (target ${m.availabilityTarget}%). ` +
        `First check: the ${namePrefix}-${m.name}-down alarm's history and the health check's last failure reasons (Route 53 console).`,
      metricName: "HealthCheckPercentageHealthy",
      statistic: "Average",
      ...windowOf("availability"),
      comparisonOperator: "LessThanThreshold",
      threshold: m.availabilityAlertBelow,
      // A new check has no day of data yet: no alarm before there is.
      treatMissingData: "notBreaching",
    },
    // Route 53 reports time to first byte only for checks that measure latency, and documents it as an average (no
    // percentiles for its metrics): the average of every checker's samples stands in for the p95 target
    // (lib/provider-facts/aws.json route53Statistics).
    latency: {
      alarmDescription:
        `${m.url}: time to first byte above its ${m.latencyTargetMs} ms target (average of every checker) for ${windowText("latency")}. ` +
        "First check: the app's recent deploys and its upstream calls (model API, database), then the checker regions in the Route 53 console.",
      metricName: "TimeToFirstByte",
      statistic: "Average",
      ...windowOf("latency"),
      comparisonOperator: "GreaterThanThreshold",
      threshold: m.latencyTargetMs,
      treatMissingData: "notBreaching",
    },
  };
}

export interface DashboardSpec {
  title: string;
  availabilityTarget: number;
  availabilityAlertBelow: number;
}

/**
 * One dashboard per stack, at a glance: every monitor's health (1 up, 0 down), its availability
 * against the uptime target, and its time to first byte against its response target.
 * `checkIds`: monitor name -> Route 53 health check id.
 */
export function dashboardBody(dashboard: DashboardSpec, monitors: readonly MonitorSpec[], checkIds: Readonly<Record<string, string>>, region: string): string {
  const { title, availabilityTarget: target, availabilityAlertBelow } = dashboard;
  const metric = (name: string, m: MonitorSpec) => ["AWS/Route53", name, "HealthCheckId", checkIds[m.name], { label: m.name }];
  const widget = (y: number, x: number, titleText: string, properties: Record<string, unknown>) => ({
    type: "metric",
    x,
    y,
    width: 8,
    height: 6,
    properties: { region, title: titleText, view: "timeSeries", ...properties },
  });
  const widgets = [
    {
      type: "text",
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: {
        markdown: `# ${title}\nUptime, availability against the ${target}% target, and response time against each endpoint's target. Alarms page the alert topic.`,
      },
    },
    widget(2, 0, "Health (1 = up)", {
      metrics: monitors.map((m) => metric("HealthCheckStatus", m)),
      stat: "Minimum",
      period: 60,
      yAxis: { left: { min: 0, max: 1 } },
    }),
    widget(2, 8, `Availability (target ${target}%)`, {
      metrics: monitors.map((m) => metric("HealthCheckPercentageHealthy", m)),
      stat: "Average",
      period: 3600,
      annotations: {
        horizontal: [
          { label: "target", value: target },
          { label: "alert", value: availabilityAlertBelow },
        ],
      },
    }),
    widget(2, 16, "Time to first byte (ms)", {
      metrics: monitors.filter((m) => m.measureLatency).map((m) => metric("TimeToFirstByte", m)),
      stat: "Average",
      period: 300,
      annotations: { horizontal: [...new Set(monitors.map((m) => m.latencyTargetMs))].map((v) => ({ label: `${v} ms target`, value: v })) },
    }),
  ];
  return JSON.stringify({ widgets });
}
