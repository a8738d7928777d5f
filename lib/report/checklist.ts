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
  const { map, stack, live } = input;
  const zone = map.zone.name;
  const items: ChecklistItem[] = [];

  if (map.zone.managesZoneSettings || map.environment === "production")
    items.push({
      id: "nameservers",
      step: `At the registrar, ${zone}'s nameservers are the two Cloudflare shows for the zone`,
      who: "registrar",
      state: fromRows(live, (r) => r.id === "dns.record"),
      how: `Cloudflare dashboard > ${zone} > DNS > Records shows them; \`dig NS ${zone}\` must answer with them`,
      blocker: true,
    });

  for (const key of input.unsetSecrets)
    items.push({
      id: `secret:${key}`,
      step: `Set the secret ${key}`,
      who: "founder",
      state: "todo",
      how: `${setQualifiedSecretCommand(key, stack)} (it prompts for the value)`,
      blocker: true,
    });
  for (const key of input.encryptedSecrets)
    items.push({
      id: `secret:${key}`,
      step: `Set the secret ${key}`,
      who: "founder",
      state: "done",
      how: `set in Pulumi.${stack}.yaml (encrypted)`,
      blocker: true,
    });

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

  if (map.edge.dnssec)
    items.push({
      id: "dnssec-ds",
      step: `Publish the DS record at the registrar (\`pulumi stack output dnssecDs --stack ${stack}\`)`,
      who: "registrar",
      state: fromRows(live, (r) => r.id === "dns.dnssec"),
      how: "the registrar's DNSSEC settings take the key tag, algorithm, digest type and digest; `npm run verify` checks it is published and matches",
      blocker: false,
    });

  const vercelHosts = map.hosts.filter((h) => h.target === "vercel");
  for (const host of vercelHosts)
    items.push({
      id: `vercel-domain:${host.hostname}`,
      step: `Vercel shows ${host.hostname} as Valid Configuration`,
      who: "founder",
      state: fromRows(live, (r) => r.id.startsWith("tls.cert") && r.target.includes(host.hostname)),
      how: "Vercel > Project > Settings > Domains; a certificate is issued once it is valid (verify's TLS row for the host passes)",
      blocker: host.role !== "redirect",
    });

  for (const sender of map.email.senders) {
    const entry = senderEntry(sender.kind);
    if (!entry) continue;
    items.push({
      id: `mail-verify:${sender.name}`,
      step: `${entry.name} shows ${sender.sendingDomain} as verified (sender "${sender.name}")`,
      who: "founder",
      state: fromRows(live, (r) => r.id === "email.dkim" && sender.dkimSelectors.some((s) => r.target === `${s}._domainkey.${sender.sendingDomain}`)),
      how: `${entry.dashboard}: press Verify once the records are published; verify's DKIM rows for the sender pass`,
      blocker: true,
    });
  }

  if (map.turnstile)
    items.push({
      id: "turnstile-app",
      step: `The app verifies Turnstile tokens on signup and login with ${map.turnstile.secretVar}`,
      who: "founder",
      state: "unknown",
      how: "the server posts each token to https://challenges.cloudflare.com/turnstile/v0/siteverify and refuses the form when it fails",
      blocker: false,
    });
  return items;
}
