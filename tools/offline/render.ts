/**
 * Renders an offline plan for people: resources grouped by component, each with
 * the properties that matter for that type. Secrets print as [secret].
 */
import type { OfflinePlan } from "./plan";
import { redactSecrets } from "../../lib/planned/secrets";
import type { PlannedResource } from "../../lib/planned/types";
import { RESOURCE_TYPES as T } from "../../policies/shared/resource-types";
import { renderTable } from "../table";
import { caaText } from "../../policies/shared/dns-text";
import { UNKNOWN, UNKNOWN_OUTPUT } from "../../lib/conformance/values-path";
import { setQualifiedSecretCommand } from "../../lib/config/project";
import { fold, RESOURCES_HEADING } from "./summary";

/** The engine's unknown sentinel (a provider-computed value a preview does not have), as people read it. */
function readableUnknowns(v: unknown): unknown {
  if (v === UNKNOWN) return UNKNOWN_OUTPUT;
  if (Array.isArray(v)) return v.map(readableUnknowns);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, readableUnknowns(x)]));
  return v;
}

type Props = Record<string, any>;

/** One line of key properties per resource type the program declares. */
const SUMMARISERS: Record<string, (p: Props) => string> = {
  [T.dnsRecord]: (p) =>
    `${p.type.padEnd(5)} ${p.name} -> ${p.data ? caaText(p.data) : p.content}${p.priority !== undefined ? ` (priority ${p.priority})` : ""} ${p.proxied ? "[proxied]" : "[dns only]"}`,
  [T.zoneSetting]: (p) => `${p.settingId} = ${typeof p.value === "object" ? JSON.stringify(p.value) : p.value}`,
  [T.ruleset]: (p) =>
    // Rules carrying a secret (the origin lock's header) reach the plan as one redacted value.
    (Array.isArray(p.rules) || p.rules === undefined
      ? `phase ${p.phase}, ${p.rules?.length ?? 0} rule(s)`
      : `phase ${p.phase}, rules ${String(p.rules)} (they hold a secret)`) +
    (Array.isArray(p.rules) ? p.rules : [])
      .map((r: Props) => {
        const rl = r.ratelimit ? ` [${r.ratelimit.requestsPerPeriod}/${r.ratelimit.period}s by ${r.ratelimit.characteristics.join("+")}]` : "";
        const ap = r.actionParameters ? ` ${JSON.stringify(r.actionParameters)}` : "";
        return `\n        - ${r.action}${rl}: ${r.expression}${ap}`;
      })
      .join(""),
  [T.botManagement]: (p) => `bot fight mode ${p.fightMode ? "on" : "off"}`,
  [T.notificationPolicy]: (p) => `${p.alertType} -> ${(p.mechanisms?.emails ?? []).map((e: Props) => e.id).join(", ")}`,
  [T.tieredCache]: (p) => `smart tiered cache ${p.value}`,
  [T.vercelDomain]: (p) => `${p.domain} on ${p.projectId}`,
  [T.vercelEnv]: (p) =>
    `${p.key} [${(p.targets ?? []).join(",")}] ${p.sensitive ? "sensitive" : "not sensitive"}, value ${envValueSource(String(p.comment ?? ""))}`,
  [T.zoneDnssec]: (p) => `DNSSEC ${p.status} (the DS record is the stack output dnssecDs, for the registrar)`,
  [T.turnstileWidget]: (p) => `Turnstile "${p.name}" (${p.mode}) on ${(p.domains ?? []).join(", ")}`,
  [T.healthCheck]: (p) =>
    `${p.type} https://${p.fqdn}${p.resourcePath}${p.searchString ? ` expects "${p.searchString}"` : ""}, unhealthy after ${p.failureThreshold} failures every ${p.requestInterval}s from ${(p.regions ?? []).join(", ")}`,
  [T.metricAlarm]: (p) =>
    `${p.name ?? "(auto-named)"}: ${p.metricName} ${p.comparisonOperator} ${p.threshold} for ${p.evaluationPeriods}x${p.period}s -> ${(p.alarmActions ?? []).length} action(s)`,
  [T.snsTopic]: (p) => `${p.name ?? "(auto-named)"} (${p.region ?? "provider region"})`,
  [T.snsSubscription]: (p) => `${p.protocol} -> ${p.endpoint}`,
  [T.slackChannel]: (p) => `Slack ${p.slackTeamId}/${p.slackChannelId} (AWS Chatbot in ${p.region})`,
  [T.dashboard]: (p) => {
    const widgets = (() => {
      try {
        return (JSON.parse(String(p.dashboardBody)).widgets as Array<{ properties?: { title?: string } }>).map((w) => w.properties?.title).filter(Boolean);
      } catch {
        return [];
      }
    })();
    return `${p.dashboardName} (${p.region}): ${widgets.join(", ")}`;
  },
};

function envValueSource(comment: string): string {
  if (comment.includes("secret config")) return `from secret config ${comment.split(" ").pop()}`;
  if (comment.includes("Turnstile widget")) return "from the Turnstile widget (known after pulumi up)";
  return "plain text from the stack file";
}

function shortType(type: string): string {
  const [pkg, , cls] = type.split(":");
  return `${pkg}.${cls}`;
}

export interface RenderOptions {
  /** Print every property in full; otherwise lines over FOLD_AT characters (raw rule expressions) are folded. */
  verbose?: boolean;
}

/** The resource detail and the plan's notes; the summary (tools/offline/summary.ts) comes first. */
export function renderPlan(plan: OfflinePlan, options: RenderOptions = {}): string {
  const out: string[] = [RESOURCES_HEADING];
  const byParent = new Map<string | undefined, PlannedResource[]>();
  for (const r of plan.resources) byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
  let folded = false;
  const shown = (text: string) => {
    if (options.verbose) return text;
    const lines = text.split("\n").map((l) => fold(l));
    folded ||= lines.join("\n") !== text;
    return lines.join("\n");
  };
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of byParent.get(parent) ?? []) {
      const pad = "  ".repeat(depth);
      if (!r.custom) {
        out.push(`${pad}${r.type.split(":").pop()} "${r.name}"`);
      } else {
        const props = readableUnknowns(redactSecrets(r.props)) as Props;
        const summarise = SUMMARISERS[r.type];
        const flags = [r.opts.importId ? importFlag(plan, r.opts.importId) : "", r.opts.deleteBeforeReplace ? "delete-before-replace" : ""].filter(Boolean);
        // Pulumi refuses to delete or replace it until `pulumi state unprotect` (README, "Protected resources").
        const guard = r.opts.protect ? " [protected]" : "";
        out.push(
          `${shown(`${pad}+ ${shortType(r.type)} "${r.name}": ${summarise ? summarise(props) : JSON.stringify(props)}`)}${flags.length ? `  (${flags.join(", ")})` : ""}${guard}`,
        );
      }
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  if (folded) out.push("(lines ending in … are folded: --verbose or --json prints them whole)");
  out.push("");
  out.push(...renderNotes(plan));
  return out.join("\n");
}

const adoptionEntries = (plan: OfflinePlan) => plan.domainMap?.zone.adoption ?? [];

/** `import <id>`, and in phase one of adoption that it is declared as the zone holds it. */
function importFlag(plan: OfflinePlan, importId: string): string {
  const entry = adoptionEntries(plan).find((e) => importId.endsWith(`/${e.id}`));
  return `import ${importId}${entry?.phase === "import" ? ", declared as live (adoption phase one)" : ""}`;
}

/** Adoption phase one: what this run imports unchanged, and what phase two will change on each. */
function renderAdoptionPhases(plan: OfflinePlan): string[] {
  const pending = adoptionEntries(plan).filter((e) => e.phase === "import");
  if (!pending.length) return [];
  return [
    `Adoption phase one: pulumi up imports these ${pending.length} resource(s) as the zone holds them, without changing them.`,
    `Phase two (after \`npm run adopt -- --stack ${plan.stack} --finish\` and the next pulumi up) changes, in place:`,
    ...pending.map((e) => `  - ${e.name}: ${e.changes.join("; ") || "nothing (it already meets the bar)"}`),
    "",
  ];
}

function renderNotes(plan: OfflinePlan): string[] {
  const out: string[] = [...renderAdoptionPhases(plan)];
  const notes = plan.domainMap?.notes ?? [];
  if (notes.length) out.push("Notes:", ...notes.map((n) => `  - ${n.text}`), "");
  if (plan.unsetSecrets.length || plan.encryptedSecrets.length) {
    out.push("Secrets (values are never shown; offline, a placeholder stands in for each):");
    for (const k of plan.encryptedSecrets) out.push(`  - ${k}: set in Pulumi.${plan.stack}.yaml (encrypted)`);
    for (const k of plan.unsetSecrets)
      out.push(`  - ${k}: not set yet; before \`pulumi up\`: ${setQualifiedSecretCommand(k, plan.stack)} (it prompts for the value)`);
    out.push("");
  }
  const cost = plan.domainMap?.monthlyCost;
  if (cost) out.push(...renderCost(cost), "");
  return out;
}

/** The monthly cost as a table a founder reads: item, quantity, unit price, per month. */
export function renderCost(cost: NonNullable<OfflinePlan["domainMap"]["monthlyCost"]>): string[] {
  const usd = (n: number | null) => (n === null ? "contract" : `$${n.toFixed(2)}`);
  const rows = cost.lines.map((l) => [l.item, String(l.quantity), usd(l.unitUsd), usd(l.monthlyUsd)]);
  return [
    `Monthly cost at list prices (USD, prices read ${cost.pricesRead}; lib/provider-facts/prices.json): $${cost.totalUsd.toFixed(2)} a month`,
    ...renderTable([{ header: "item" }, { header: "qty" }, { header: "unit" }, { header: "per month" }], rows).map((l) => `  ${l}`),
    ...cost.notes.map((n) => `  - ${n}`),
  ];
}

/** The machine-readable plan: resources with secrets redacted, outputs, domain map. */
export function planJson(plan: OfflinePlan, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      project: plan.project,
      stack: plan.stack,
      resources: plan.resources.map((r) => ({ ...r, props: redactSecrets(r.props) })),
      outputs: redactSecrets(plan.outputs),
      unsetSecrets: plan.unsetSecrets,
      monthlyCost: plan.domainMap?.monthlyCost,
      ...extra,
    },
    null,
    2,
  );
}
