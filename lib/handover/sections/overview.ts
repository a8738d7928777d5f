/** The top of the document: what this is, the system at a glance, where each part lives. */
import type { DomainMap } from "../../domain-map";
import { blocks, code, heading, table } from "../markdown";
import { stackSecretCount } from "../secrets";
import { ownerRows } from "../../report";

const NOBODY = "**nobody named**";

const PLAN_NAMES: Record<DomainMap["zone"]["plan"], string> = {
  free: "Free",
  pro: "Pro",
  business: "Business",
  enterprise: "Enterprise",
};

export function planName(map: DomainMap): string {
  return PLAN_NAMES[map.zone.plan] ?? map.zone.plan;
}

/**
 * The plan is the stack file's zone.plan; the adopted data does not carry the API's answer, but
 * `npm run adopt` writes nothing while the zone's API reports another plan (lib/adopt/match.ts).
 */
function adoptedPlanNote(map: DomainMap): string {
  const adopted = map.records.some((r) => r.adopted) || (map.zone.adoptedRulesets ?? []).length > 0;
  return adopted ? " (`zone.plan`; `npm run adopt` checks it against the zone's API and writes nothing while they differ)" : "";
}

export function titleSection(map: DomainMap, date?: string): string {
  const intro = [
    `The handover for ${code(map.canonicalHost)} (Cloudflare zone ${code(map.zone.name)}), written from the Pulumi stack ${code(map.stack)} (${map.environment}): the verdict and the steps left first, then what points where, where each secret lives (never its value), who gets alerts, and how to change and roll back; the full record list is in the appendix.`,
    `Regenerate it after every change: ${code(`npm run handover -- --stack ${map.stack}`)}.`,
  ].join(" ");
  return blocks(heading(1, `Launch handover: ${map.canonicalHost} (${map.stack})`), date ? `Generated on ${date}.` : undefined, intro);
}

/** Where each part lives: one table (what, where, how to find it), and the one rule about dashboards. */
export function glanceSection(map: DomainMap): string {
  const secrets = stackSecretCount(map);
  const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  // Who owns each account (config owners; lib/report's ownerRows, so the report and the handover agree).
  const owners = ownerRows(map);
  const owner = (key: string) => owners.find((o) => o.key === key)?.owner ?? NOBODY;
  const mailOwners = [...new Set(owners.filter((o) => o.key.startsWith("owners.mail.")).map((o) => o.owner ?? NOBODY))].join("; ");
  const rows: string[][] = [
    ["Live site", map.canonicalOrigin, `${map.environment}, Pulumi stack ${code(map.stack)}`, ""],
    [
      "DNS, TLS, cache, firewall",
      `Cloudflare, ${planName(map)} plan${adoptedPlanNote(map)}`,
      `Zone ${code(map.zone.name)}, zone ID ${code(map.zone.id)}`,
      owner("owners.cloudflare"),
    ],
    ["Web hosting, env vars", "Vercel", `Project ${code(map.hosting.projectId)}, Settings, Environment Variables`, owner("owners.vercel")],
    [
      "Uptime checks and alerts",
      `AWS: Route 53, CloudWatch (us-east-1), SNS; ${n(map.monitors.length, "monitor")}`,
      "Route 53 Health checks; CloudWatch Alarms; SNS Topics",
      owners.some((o) => o.key === "owners.aws") ? owner("owners.aws") : "",
    ],
    [
      "Email authentication",
      `DMARC ${code(`p=${map.email.dmarc.policy}`)}, ${n(map.email.senders.length, "sender")}`,
      `${code(map.email.dmarc.name)}`,
      mailOwners,
    ],
    ["Secrets", `${n(secrets, "secret")} in encrypted Pulumi config`, `${code(`pulumi config --stack ${map.stack}`)} lists the keys, values hidden`, ""],
    ...(map.monthlyCost
      ? [["Monthly cost", `$${map.monthlyCost.totalUsd.toFixed(2)} at list prices`, '"What this costs each month" in the appendix', ""]]
      : []),
    [
      "Desired state, deployed state",
      `This repository; Pulumi state`,
      `${code("index.ts")}, ${code(`Pulumi.${map.stack}.yaml`)}; ${code(`pulumi stack history --stack ${map.stack}`)}`,
      "",
    ],
  ];
  const contacts = `**Who to call**: on call ${owner("owners.onCall")}; escalation ${owner("owners.escalation")}; the domain's registrar account ${owner("owners.registrar")}. Set them under ${code("owners")} in ${code(`Pulumi.${map.stack}.yaml`)}.`;
  const warning = [
    "Change things in code and stack config, then run `pulumi up`: a change made by hand in a dashboard is undone by the next `pulumi up`.",
    map.zone.managesZoneSettings
      ? "The stack also manages the zone's settings (SSL mode, HSTS, minimum TLS): change them in code, not in the Cloudflare dashboard."
      : "The stack does not manage the zone's settings (SSL mode, HSTS, minimum TLS): they are set outside it (the stack that owns the zone, or the dashboard).",
  ].join(" ");
  return blocks(heading(2, "At a glance"), table(["What", "Where", "How to find it", "Owner"], rows), `${contacts} ${warning}`);
}
