/** The top of the document: what this is, the system at a glance, where each part lives. */
import type { DomainMap } from "../../domain-map";
import { blocks, bullets, code, heading, table } from "../markdown";
import { stackSecrets } from "../secrets";

const PLAN_NAMES: Record<DomainMap["zone"]["plan"], string> = {
  free: "Free",
  pro: "Pro",
  business: "Business",
  enterprise: "Enterprise",
};

export function planName(map: DomainMap): string {
  return PLAN_NAMES[map.zone.plan] ?? map.zone.plan;
}

export function titleSection(map: DomainMap, date?: string): string {
  const intro = [
    `This is the handover for ${code(map.canonicalHost)} (Cloudflare zone ${code(map.zone.name)}), written from the Pulumi stack ${code(map.stack)} (${map.environment}).`,
    "It says what points where, where each secret lives (never its value), who gets alerts, and how to change, redeploy and roll back.",
    `Regenerate it after every change: ${code(`npm run handover -- --stack ${map.stack}`)}.`,
  ].join(" ");
  return blocks(heading(1, `Launch handover: ${map.canonicalHost} (${map.stack})`), date ? `Generated on ${date}.` : undefined, intro);
}

export function glanceSection(map: DomainMap): string {
  const secrets = stackSecrets(map).length;
  const rows: string[][] = [
    ["Live site", map.canonicalOrigin],
    ["Environment", `${map.environment} (Pulumi stack ${code(map.stack)})`],
    ["DNS, TLS, cache, firewall", `Cloudflare, zone ${code(map.zone.name)}, ${planName(map)} plan`],
    ["Web hosting", `Vercel, project ${code(map.hosting.projectId)}`],
    ["Uptime checks and alerts", `AWS Route 53 health checks, CloudWatch alarms, SNS (${map.monitors.length} monitor${map.monitors.length === 1 ? "" : "s"})`],
    ["Email authentication", `DMARC ${code(`p=${map.email.dmarc.policy}`)}, ${map.email.senders.length} sender${map.email.senders.length === 1 ? "" : "s"}`],
    ["App secrets", `${secrets} in encrypted Pulumi config, copied to Vercel env vars`],
  ];
  return blocks(heading(2, "At a glance"), table(["What", "Where"], rows));
}

export function whereSection(map: DomainMap): string {
  const rows: string[][] = [
    ["DNS records, proxy, SSL, cache and rate-limit rules", "Cloudflare dashboard", `Zone ${code(map.zone.name)}, zone ID ${code(map.zone.id)}`],
    ["Deployments, domains, env vars", "Vercel dashboard", `Project ${code(map.hosting.projectId)}, Settings, Environment Variables`],
    ["Health checks and alarms", "AWS console", "Route 53, Health checks; CloudWatch, Alarms (us-east-1); SNS, Topics"],
    ["The desired state of all of the above", "This repository", `${code("index.ts")}, ${code(`Pulumi.${map.stack}.yaml`)}`],
    [
      "What is deployed now, and its history",
      "Pulumi state",
      `${code(`pulumi stack --stack ${map.stack}`)}, ${code(`pulumi stack history --stack ${map.stack}`)}`,
    ],
    [
      "Secret values",
      "Pulumi config (encrypted) and Vercel (sensitive env vars)",
      `${code(`pulumi config --stack ${map.stack}`)} lists the keys, values hidden`,
    ],
  ];
  const warning = bullets([
    "Change things here, in code and stack config, then run `pulumi up`. A change made by hand in a dashboard is undone by the next `pulumi up`.",
    map.zone.managesZoneSettings
      ? "The stack also manages the zone's settings (SSL mode, HSTS, minimum TLS): change them in code, not in the Cloudflare dashboard."
      : "The stack does not manage the zone's settings (SSL mode, HSTS, minimum TLS): those stay as set in the Cloudflare dashboard.",
  ]);
  return blocks(heading(2, "Where everything lives"), table(["What", "Where", "How to find it"], rows), warning);
}
