/**
 * The go/no-go line the handover opens with: the launch report's decision (lib/report, one rule
 * for both documents) as plain sentences.
 */
import type { LaunchReport } from "../report";

export interface LaunchVerdict {
  /** False when anything below blocks the launch. */
  go: boolean;
  /** Each launch blocker, one sentence each, most important first. */
  blocking: string[];
  /** Trust issues: they allow a launch but are to be fixed soon. */
  warnings: string[];
  /** Where the verdict comes from, e.g. "the launch report of stack prod". */
  source: string;
}

/** The handover's view of the launch report. */
export function verdictOf(report: LaunchReport, source: string): LaunchVerdict {
  const titles = (severity: string) => report.findings.filter((f) => f.severity === severity).map((f) => f.title);
  return { go: report.decision === "GO", blocking: titles("blocker"), warnings: titles("trust"), source };
}
