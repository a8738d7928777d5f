/** Uptime monitors and who gets told when one fails. */
import type { DomainMap, MonitorEntry } from "../../domain-map";
import { blocks, bullets, code, heading, humanSeconds, table } from "../markdown";

/** How long a monitor takes to alert after the endpoint goes down, roughly. */
export function timeToAlertSeconds(m: MonitorEntry): number {
  return m.failureThreshold * m.intervalSeconds;
}

function checks(m: MonitorEntry): string {
  return m.expect ? `HTTPS 2xx/3xx and body contains ${code(m.expect)}` : "HTTPS 2xx/3xx";
}

function monitorsTable(map: DomainMap): string {
  const rows = map.monitors.map((m) => [
    m.name,
    code(m.url),
    checks(m),
    m.critical ? "yes" : "no",
    `${m.latencyTargetMs} ms${m.measureLatency === false ? " (not watched: latency is not measured)" : ", alert after 15 minutes above it"}`,
    m.availabilityTarget !== undefined ? `${m.availabilityTarget}% (alert when a day falls below ${m.availabilityAlertBelow}%)` : "not set",
    `every ${humanSeconds(m.intervalSeconds)}, alert after ${m.failureThreshold} failures (about ${humanSeconds(timeToAlertSeconds(m))})`,
    m.regions.join(", "),
  ]);
  return table(["Monitor", "URL", "Checks", "Critical", "Response target", "Uptime target", "Schedule", "Checked from"], rows);
}

function recipients(map: DomainMap): string[] {
  const { alerts } = map;
  const items: string[] = [];
  items.push(
    alerts.emails.length
      ? `Email: ${alerts.emails.map(code).join(", ")}`
      : "Email: nobody. Add an alert email to the stack config: without one, nobody hears about an outage.",
  );
  items.push(
    alerts.slack
      ? "Slack: yes, through AWS Chatbot (the workspace must be authorised once in the AWS Chatbot console, or nothing arrives)."
      : "Slack: not set up (optional: add a workspace and channel under alerts.slack).",
  );
  if (alerts.webhooks > 0)
    items.push(`Webhooks: ${alerts.webhooks} HTTPS endpoint${alerts.webhooks === 1 ? "" : "s"} (e.g. PagerDuty) subscribed to the alert topic.`);
  return items;
}

export function monitoringSection(map: DomainMap): string {
  const monitors =
    map.monitors.length === 0
      ? "No uptime monitor is configured: add the homepage and the API health endpoint to the stack config."
      : blocks(
          `AWS Route 53 checks these from several regions; a CloudWatch alarm fires when a check keeps failing and sends the alert through an SNS topic.`,
          monitorsTable(map),
        );
  const alerts = blocks(
    heading(3, "Who gets alerts"),
    bullets(recipients(map)),
    map.alerts.emails.length
      ? "Each email address gets a message from AWS Notifications asking to confirm the subscription. Until someone clicks Confirm subscription, that address gets no alerts: check spam folders after the first `pulumi up` and after adding an address."
      : undefined,
    `To change recipients, edit ${code("alerts")} in ${code(`Pulumi.${map.stack}.yaml`)} and run ${code(`pulumi up --stack ${map.stack}`)}.`,
  );
  return blocks(heading(2, "Monitoring and alerts"), monitors, alerts);
}
