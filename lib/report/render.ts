/**
 * The launch report as Markdown a founder reads top down: the decision and its rule, the ranked
 * findings, the checklist, the owners, the cost. It renders the same in a terminal.
 */
import { TRUST_FIX_DAYS } from "./index";
import type { ChecklistItem, Finding, LaunchReport } from "./types";

const SEVERITY_LABEL: Record<Finding["severity"], string> = { blocker: "LAUNCH BLOCKER", trust: "trust issue", cleanup: "cleanup" };
const WHO_LABEL: Record<Finding["who"], string> = { stack: "this stack", founder: "you", registrar: "the registrar" };
const STATE_MARK: Record<ChecklistItem["state"], string> = { done: "[x]", todo: "[ ]", unknown: "[?]" };

export const GO_RULE = `Any launch blocker is NO-GO. With none it is GO; trust issues are then listed with the date to fix them by (${TRUST_FIX_DAYS} days), and cleanup items when there is time.`;

/** `extra`: sections the caller adds after the owners (the domain map's diagram). */
export function renderReport(report: LaunchReport, extra: string[] = []): string {
  const where = report.stack ? `stack ${report.stack}${report.environment ? `, ${report.environment}` : ""}` : "no stack";
  const out = [`# Launch report: ${report.domain} (${where}), ${report.date}`, "", `**${report.headline}**`, "", GO_RULE];
  out.push(
    report.live
      ? "Live: verify's checks of the deployed product are included."
      : "Offline: what the stack declares, judged before anything is deployed. After `pulumi up`, `--live` adds verify's checks of the real thing.",
    "",
  );
  const { blocker, trust, cleanup } = report.counts;
  out.push(`## Findings: ${blocker} blocker(s), ${trust} trust issue(s), ${cleanup} cleanup`, "");
  if (!report.findings.length) out.push("None.", "");
  report.findings.forEach((f, i) => {
    out.push(`${i + 1}. **${SEVERITY_LABEL[f.severity]}**: ${f.title}`);
    out.push(`   - breaks: ${f.impact}`);
    out.push(`   - fix (${WHO_LABEL[f.who]}): ${f.fix}`);
    out.push(`   - from: ${f.source} (${f.ref})`);
  });
  if (report.findings.length) out.push("");
  if (report.checklist.length) {
    out.push(
      "## Launch checklist",
      "",
      "`[x]` done, `[ ]` to do, `[?]` not checkable here: confirm it yourself. Steps marked (blocks launch) must be done first.",
      "",
    );
    for (const c of report.checklist) out.push(`- ${STATE_MARK[c.state]} ${c.step} (${WHO_LABEL[c.who]}${c.blocker ? "; blocks launch" : ""}): ${c.how}`);
    out.push("");
  }
  if (report.owners.length) {
    out.push("## Owners and contacts", "", "| system | owner |", "| --- | --- |");
    for (const o of report.owners) out.push(`| ${o.system} | ${o.owner ?? "**nobody named** (owners in the stack file)"} |`);
    out.push("");
  }
  out.push(...extra);
  if (report.monthlyCostUsd !== null) out.push(`Monthly cost at list prices: $${report.monthlyCostUsd.toFixed(2)} (npm run plan itemises it).`, "");
  return out.join("\n");
}
