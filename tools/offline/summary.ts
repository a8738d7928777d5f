/**
 * The plan's first lines: what it would do, by resource kind (as `pulumi preview` leads with its
 * counts), the verdict, and the findings that decide it. The detail follows under
 * RESOURCES_HEADING; the user workflow cuts the job summary there.
 */
import { countChanges } from "../../lib/state/diff";
import type { OfflineRun } from "./run";

/** The line that starts the resource detail (examples/github/launch-ready.yml cuts its summary there). */
export const RESOURCES_HEADING = "Resources declared:";

/** How many findings the summary lists before "and N more". */
const TOP_FINDINGS = 5;
/** Longer summary lines are folded (the full text is below, in --json and with --verbose). */
export const FOLD_AT = 200;

export function fold(line: string, max = FOLD_AT): string {
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

function shortType(type: string): string {
  const [pkg, , cls] = type.split(":");
  return `${pkg}.${cls}`;
}

/** "12 cloudflare.DnsRecord, 3 cloudflare.Ruleset" (most numerous first), wrapped into indented lines of about 100 characters. */
function byKind(types: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(shortType(t), (counts.get(shortType(t)) ?? 0) + 1);
  const items = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t, n]) => `${n} ${t}`);
  const lines: string[] = [];
  for (const item of items) {
    if (lines.length && `${lines[lines.length - 1]}, ${item}`.length <= 100) lines[lines.length - 1] += `, ${item}`;
    else lines.push(item);
  }
  return lines.map((l) => `  ${l}`);
}

/** One finding of the plan, as the summary lists it. */
interface SummaryFinding {
  level: "error" | "mandatory" | "guard" | "advisory" | "secret";
  text: string;
}

function findingsOf(run: OfflineRun): SummaryFinding[] {
  const out: SummaryFinding[] = [];
  for (const f of run.conformance.findings) out.push({ level: "error", text: `${f.name}: ${f.message}` });
  for (const f of run.stateDiff?.findings ?? []) out.push({ level: "guard", text: `${f.change} ${f.key}: ${f.why}` });
  for (const v of run.verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory"))
    for (const x of v.violations.length ? v.violations : [{ message: v.errors[0] ?? v.description }])
      out.push({ level: "mandatory", text: `${v.policyName}: ${x.message}` });
  const unset = run.plan.unsetSecrets;
  if (unset.length)
    out.push({
      level: "secret",
      text: `${unset.length} secret(s) not set, and \`pulumi up\` stops on each: ${unset.join(", ")} (the commands are under "Secrets" below)`,
    });
  for (const v of run.verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "advisory"))
    for (const x of v.violations) out.push({ level: "advisory", text: `${v.policyName}: ${x.message}` });
  return out;
}

/** Whether `pulumi up` (with the pack) would go ahead, and why not. */
export function blocksUp(run: OfflineRun): boolean {
  return run.conformance.findings.length > 0 || run.policyFailed || (run.stateDiff?.findings.length ?? 0) > 0;
}

export function renderSummary(run: OfflineRun): string[] {
  const { plan } = run;
  const custom = plan.resources.filter((r) => r.custom);
  const out = [
    `Offline plan for stack "${plan.stack}" of ${plan.project}: ${custom.length} resources in ${plan.resources.length - custom.length} components (no CLI, no credentials, nothing changed).`,
  ];
  if (run.stateDiff) {
    const c = countChanges(run.stateDiff.changes);
    out.push(
      `Against the deployed state: ${c.create} to create, ${c.import} to import, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.unchanged} unchanged.`,
    );
  } else {
    const imported = custom.filter((r) => r.opts.importId);
    const created = custom.filter((r) => !r.opts.importId);
    out.push(`To create: ${created.length}${created.length ? ":" : "."}`, ...byKind(created.map((r) => r.type)));
    if (imported.length) out.push(`To import: ${imported.length}:`, ...byKind(imported.map((r) => r.type)));
  }
  const mandatory = run.verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory").length;
  const advisory = run.verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "advisory").length;
  const parts = [
    run.conformance.findings.length ? `${run.conformance.findings.length} conformance error(s)` : "conformance passed",
    run.policyRan ? `${mandatory} mandatory and ${advisory} advisory policy violation(s) of ${run.verdicts.length} policies` : "policies not run (--no-policy)",
    ...(run.stateDiff ? [run.stateDiff.findings.length ? `${run.stateDiff.findings.length} guarded delete/replace(s)` : "nothing guarded deleted"] : []),
    ...(plan.unsetSecrets.length ? [`${plan.unsetSecrets.length} secret(s) not set`] : []),
  ];
  const verdict = blocksUp(run)
    ? "REFUSED: `pulumi up` would not go ahead"
    : plan.unsetSecrets.length
      ? "`pulumi up` would go ahead once the secrets below are set"
      : "`pulumi up` would go ahead";
  out.push(`Verdict: ${verdict} (${parts.join("; ")}).`);
  const findings = findingsOf(run);
  if (findings.length) {
    out.push("Top findings:");
    for (const f of findings.slice(0, TOP_FINDINGS)) out.push(fold(`  - [${f.level}] ${f.text}`));
    if (findings.length > TOP_FINDINGS)
      out.push(`  ... and ${findings.length - TOP_FINDINGS} more below; \`npm run report -- --stack ${plan.stack}\` ranks them all.`);
  }
  out.push("");
  return out;
}
