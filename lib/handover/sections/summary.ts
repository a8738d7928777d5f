/**
 * The first things a founder reads: go or no-go, and the steps only a person can do.
 * Each step comes from something the domain map declares, and appears only when it does.
 */
import type { DomainMap } from "../../domain-map";
import { senderEntry } from "../../../policies/shared/senders";
import { blocks, bullets, code, heading, lead } from "../markdown";
import type { LaunchVerdict } from "../verdict";

/** How many findings of each list the summary shows before pointing at the plan. */
const SHOWN = 8;

function listed(items: readonly string[], more: string): string[] {
  return items.length <= SHOWN ? [...items] : [...items.slice(0, SHOWN), `…and ${items.length - SHOWN} more: ${more}`];
}

export function goNoGoSection(map: DomainMap, verdict: LaunchVerdict | undefined): string {
  const plan = `npm run plan -- --stack ${map.stack}`;
  if (!verdict) {
    return blocks(
      heading(2, "Go / no-go"),
      `Not judged here: this handover was written from a domain map, without the plan. Run ${code(plan)} for the verdict.`,
    );
  }
  const line = verdict.go
    ? `**GO**: ${verdict.source} has no blocking finding.`
    : `**NO-GO**: ${verdict.source} has ${verdict.blocking.length} blocking finding${verdict.blocking.length === 1 ? "" : "s"}; fix ${verdict.blocking.length === 1 ? "it" : "them"} before launch.`;
  return blocks(
    heading(2, "Go / no-go"),
    verdict.blocking.length ? lead(line, bullets(listed(verdict.blocking, `see ${code(plan)}`))) : line,
    verdict.warnings.length ? `To fix soon (they do not block):\n${bullets(listed(verdict.warnings, `see ${code(plan)}`))}` : undefined,
  );
}

/** The launch steps the stack cannot do itself, derived from what it declares. */
export function manualSteps(map: DomainMap): string[] {
  const steps: string[] = [];
  if (map.zone.managesZoneSettings)
    steps.push(
      `At the registrar, the nameservers of ${code(map.zone.name)} must be the ones Cloudflare assigned to the zone (its Overview page): until then none of these records is served.`,
    );
  if (map.edge.dnssec) steps.push(`Add the DS record at the registrar: ${code(`pulumi stack output dnssecDs --stack ${map.stack}`)} (see "DNSSEC").`);
  for (const s of map.email.senders) {
    const entry = senderEntry(s.kind);
    steps.push(
      `Verify ${code(s.sendingDomain)} for ${s.name} in ${entry ? entry.dashboard : "the provider's dashboard"}, after \`pulumi up\` published its records.`,
    );
  }
  if (map.hosts.some((h) => h.target === "vercel"))
    steps.push("In Vercel, the project's Domains settings: check that each domain shows as verified and configured.");
  for (const e of map.alerts.emails) steps.push(`${code(e)}: click Confirm subscription in the AWS Notifications message, or no alert reaches it.`);
  const slack = map.alerts.slackChannel;
  if (slack)
    steps.push(
      `Authorise the Slack workspace ${code(slack.workspaceId)} once in the AWS Chatbot console (region ${slack.region}), or nothing reaches channel ${code(slack.channelId)}.`,
    );
  else if (map.alerts.slack) steps.push("Authorise the Slack workspace once in the AWS Chatbot console, or nothing reaches the channel.");
  return steps;
}

export function manualStepsSection(map: DomainMap): string | undefined {
  const steps = manualSteps(map);
  if (!steps.length) return undefined;
  return blocks(heading(2, "Before launch: steps only a person can do"), bullets(steps.map((s) => `[ ] ${s}`)));
}
