/**
 * The launch checklist: every step only a person can do that the stack depends on, derived from
 * what it declares (no Slack channel, no Chatbot step). Each is done or todo where it can be
 * checked (offline: whether a secret is set; live: what verify saw), unknown otherwise.
 */
import type { DomainMap } from "../domain-map";
import { setQualifiedSecretCommand } from "../config/project";
import { senderEntry } from "../../policies/shared/senders";
import type { ChecklistItem, CheckState } from "./types";

/** The part of a verify row the checklist reads (tools/verify's CheckResult). */
export interface LiveRow {
  id: string;
  category: string;
  target: string;
  status: "pass" | "warn" | "fail";
  detail: string;
  fix?: string;
}

export interface ChecklistInput {
  map: DomainMap;
  stack: string;
  unsetSecrets: readonly string[];
  encryptedSecrets: readonly string[];
  /** verify's rows, when the report is --live. */
  live?: readonly LiveRow[];
}

/** done when every matching row passed, todo when one did not, unknown with no row (or offline). */
function fromRows(rows: readonly LiveRow[] | undefined, match: (r: LiveRow) => boolean): CheckState {
  const found = (rows ?? []).filter(match);
  if (!found.length) return "unknown";
  return found.every((r) => r.status === "pass") ? "done" : "todo";
}

export function launchChecklist(input: ChecklistInput): ChecklistItem[] {
  return [
    ...nameserverSteps(input),
    ...secretSteps(input),
    ...alertSteps(input.map),
    ...dnssecSteps(input),
    ...vercelDomainSteps(input),
    ...mailVerifySteps(input),
    ...appSteps(input.map),
  ];
}

/** The zone only answers once the registrar delegates to Cloudflare. */
function nameserverSteps({ map, live }: ChecklistInput): ChecklistItem[] {
  const zone = map.zone.name;
  if (!map.zone.managesZoneSettings && map.environment !== "production") return [];
  return [
    {
      id: "nameservers",
      step: `At the registrar, ${zone}'s nameservers are the two Cloudflare shows for the zone`,
      who: "registrar",
      state: fromRows(live, (r) => r.id === "dns.record"),
      how: `Cloudflare dashboard > ${zone} > DNS > Records shows them; \`dig NS ${zone}\` must answer with them`,
      blocker: true,
    },
  ];
}

/** One step per secret: todo while unset, done once the stack file holds it encrypted. */
function secretSteps({ stack, unsetSecrets, encryptedSecrets }: ChecklistInput): ChecklistItem[] {
  return [
    ...unsetSecrets.map((key) => ({
      id: `secret:${key}`,
      step: `Set the secret ${key}`,
      who: "founder" as const,
      state: "todo" as const,
      how: `${setQualifiedSecretCommand(key, stack)} (it prompts for the value)`,
      blocker: true,
    })),
    ...encryptedSecrets.map((key) => ({
      id: `secret:${key}`,
      step: `Set the secret ${key}`,
      who: "founder" as const,
      state: "done" as const,
      how: `set in Pulumi.${stack}.yaml (encrypted)`,
      blocker: true,
    })),
  ];
}

/** The alert channels a person must authorise or confirm before alerts reach anyone. */
function alertSteps(map: DomainMap): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  if (map.alerts.slack)
    items.push({
      id: "chatbot-slack",
      step: "Authorise the Slack workspace in AWS Chatbot, once, before `pulumi up` (the channel configuration fails without it)",
      who: "founder",
      state: "unknown",
      how: "AWS console > AWS Chatbot > Configure new client > Slack, signed in to the workspace; the workspace then shows under Configured clients",
      blocker: true,
    });
  for (const address of map.alerts.emails)
    items.push({
      id: `sns-confirm:${address}`,
      step: `${address} confirms the alert subscription (AWS sends a confirmation mail after \`pulumi up\`)`,
      who: "founder",
      state: "unknown",
      how: "click the link in the mail from AWS Notifications; the SNS console's subscription then shows Confirmed, not Pending confirmation",
      blocker: true,
    });
  if (map.alerts.webhooks > 0)
    items.push({
      id: "sns-confirm:webhooks",
      step: `The ${map.alerts.webhooks} alert webhook(s) confirm their SNS subscription`,
      who: "founder",
      state: "unknown",
      how: "PagerDuty and Opsgenie confirm by themselves; any other endpoint must visit the SubscribeURL SNS posts; the SNS console then shows Confirmed",
      blocker: false,
    });
  return items;
}

/** A signed zone is only validated once the registrar publishes its DS. */
function dnssecSteps({ map, stack, live }: ChecklistInput): ChecklistItem[] {
  if (!map.edge.dnssec) return [];
  return [
    {
      id: "dnssec-ds",
      step: `Publish the DS record at the registrar (\`pulumi stack output dnssecDs --stack ${stack}\`)`,
      who: "registrar",
      state: fromRows(live, (r) => r.id === "dns.dnssec"),
      how: "the registrar's DNSSEC settings take the key tag, algorithm, digest type and digest; `npm run verify` checks it is published and matches",
      blocker: false,
    },
  ];
}

/** Each host Vercel serves needs Vercel's Valid Configuration (and so its certificate); a redirect-only host does not block. */
function vercelDomainSteps({ map, live }: ChecklistInput): ChecklistItem[] {
  return map.hosts
    .filter((h) => h.target === "vercel")
    .map((host) => ({
      id: `vercel-domain:${host.hostname}`,
      step: `Vercel shows ${host.hostname} as Valid Configuration`,
      who: "founder",
      state: fromRows(live, (r) => r.id.startsWith("tls.cert") && r.target.includes(host.hostname)),
      how: "Vercel > Project > Settings > Domains; a certificate is issued once it is valid (verify's TLS row for the host passes)",
      blocker: host.role !== "redirect",
    }));
}

/** Each catalogued sender verifies the sending domain in its own dashboard. */
function mailVerifySteps({ map, live }: ChecklistInput): ChecklistItem[] {
  return map.email.senders.flatMap((sender) => {
    const entry = senderEntry(sender.kind);
    if (!entry) return [];
    return [
      {
        id: `mail-verify:${sender.name}`,
        step: `${entry.name} shows ${sender.sendingDomain} as verified (sender "${sender.name}")`,
        who: "founder" as const,
        state: fromRows(live, (r) => r.id === "email.dkim" && sender.dkimSelectors.some((s) => r.target === `${s}._domainkey.${sender.sendingDomain}`)),
        how: `${entry.dashboard}: press Verify once the records are published; verify's DKIM rows for the sender pass`,
        blocker: true,
      },
    ];
  });
}

/** What the app itself must do for a feature the edge declares. */
function appSteps(map: DomainMap): ChecklistItem[] {
  if (!map.turnstile) return [];
  return [
    {
      id: "turnstile-app",
      step: `The app verifies Turnstile tokens on signup and login with ${map.turnstile.secretVar}`,
      who: "founder",
      state: "unknown",
      how: "the server posts each token to https://challenges.cloudflare.com/turnstile/v0/siteverify and refuses the form when it fails",
      blocker: false,
    },
  ];
}
