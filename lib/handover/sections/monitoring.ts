/** Uptime monitors and who gets told when one fails. */
import type { DomainMap, MonitorEntry } from "../../domain-map";
import { blocks, bullets, code, heading, humanSeconds, lead, table } from "../markdown";
import { windowText } from "../../uptime/alarms";

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
    `${m.latencyTargetMs} ms${m.measureLatency === false ? " (not watched: latency is not measured)" : `, alert after ${windowText("latency")} above it`}`,
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
      ? `Email: ${alerts.emails.map(code).join(", ")} (each confirms the AWS Notifications subscription message once, or gets nothing: check spam after the first \`pulumi up\`).`
      : alerts.slack || alerts.webhooks > 0
        ? "Email: none (the alerts go to the channels below)."
        : "Email: nobody. Add an alert email to the stack config: without one, nobody hears about an outage.",
  );
  const slack = alerts.slackChannel;
  items.push(
    slack
      ? `Slack: channel ${code(slack.channelId)} in workspace ${code(slack.workspaceId)}, through AWS Chatbot in ${slack.region} (the workspace must be authorised once in the AWS Chatbot console, or nothing arrives).`
      : alerts.slack
        ? "Slack: yes, through AWS Chatbot (the workspace must be authorised once in the AWS Chatbot console, or nothing arrives)."
        : "Slack: not set up (optional: add a workspace and channel under alerts.slack).",
  );
  const hooks = alerts.webhookEndpoints;
  if (hooks?.length)
    items.push(
      `Webhooks (e.g. PagerDuty) subscribed to the alert topic: ${hooks.map((w) => (w.secretKey ? `${code(w.name)} (its URL is the secret ${code(w.secretKey)})` : code(w.name))).join(", ")}.`,
    );
  else if (alerts.webhooks > 0)
    items.push(`Webhooks: ${alerts.webhooks} HTTPS endpoint${alerts.webhooks === 1 ? "" : "s"} (e.g. PagerDuty) subscribed to the alert topic.`);
  return items;
}

export function monitoringSection(map: DomainMap): string {
  const monitors =
    map.monitors.length === 0
      ? "No uptime monitor is configured: add the homepage and the API health endpoint to the stack config."
      : blocks(
          `AWS Route 53 checks these from several regions. Three CloudWatch alarms watch each one and alert through an SNS topic: **down** (the check kept failing for ${windowText("down")}), **availability** (a day under the uptime target's alert level, so a flapping endpoint still reaches someone) and **latency** (time to first byte over the response target for ${windowText("latency")}, where measured).`,
          monitorsTable(map),
          map.alerts.dashboardUrl ? `Dashboard (health, availability and latency against their targets): ${map.alerts.dashboardUrl}` : undefined,
        );
  const runbook =
    map.monitors.length === 0
      ? undefined
      : blocks(
          lead(
            "**When an alarm fires**:",
            bullets([
              "**down**: open the URL yourself; if it fails, check the latest deploy (Vercel > Deployments, roll back with `vercel rollback`) and the host's DNS record; the health check's last failure reasons are in the Route 53 console.",
              "**availability**: the endpoint failed on and off over the day; the down alarm's history and the dashboard's health graph show the pattern (deploys, a dependency, one region).",
              "**latency**: look at recent deploys and the app's slow dependencies (the model API, the database); the dashboard shows whether one endpoint or all slowed down.",
              "Application error rates (5xx share, exceptions) are not measured here: Route 53 sees only whether a page answers and how fast. They come from the app's telemetry (Vercel's observability, an error tracker such as Sentry).",
            ]),
          ),
        );
  const alerts = blocks(
    lead("**Who gets alerts**:", bullets(recipients(map))),
    `To change recipients, edit ${code("alerts")} in ${code(`Pulumi.${map.stack}.yaml`)} and run ${code(`pulumi up --stack ${map.stack}`)}.`,
  );
  return blocks(heading(2, "Monitoring and alerts"), monitors, runbook, alerts);
}
