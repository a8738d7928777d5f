/** Report output: a table for people, JSON for CI, and the exit code. */
import { renderTable } from "../table";
import type { Report, Status } from "./types";

const ICON: Record<Status, string> = { pass: "PASS", warn: "WARN", fail: "FAIL" };
const COLOR: Record<Status, string> = { pass: "\x1b[32m", warn: "\x1b[33m", fail: "\x1b[31m" };

export function formatTable(report: Report, opts: { color?: boolean; width?: number } = {}): string {
  const out: string[] = [];
  out.push(`Launch Ready verify: ${report.domain} (${report.source}) at ${report.startedAt}`);
  out.push("");
  const columns = [{ header: "STATUS" }, { header: "CHECK", max: 28 }, { header: "TARGET", max: 44 }, { header: "DETAIL" }];
  const rows = report.checks.map((c) => [ICON[c.status], `${c.category} ${c.check}`, c.target, c.detail]);
  const style = (row: number, column: number, cell: string) => (opts.color && column === 0 ? `${COLOR[report.checks[row].status]}${cell}\x1b[0m` : cell);
  out.push(...renderTable(columns, rows, { width: opts.width ?? 120, rule: true, style }));
  out.push("");
  const s = report.summary;
  out.push(
    `${s.pass} pass, ${s.warn} warn, ${s.fail} fail in ${(report.durationMs / 1000).toFixed(1)} s: ` +
      (report.ok ? "OK" : s.fail ? "FAILED (fix the rows marked FAIL)" : "FAILED (--strict: warnings count)"),
  );
  return out.join("\n");
}

export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2);
}

/** 0 when no check failed (and with --strict none warned), 1 otherwise. */
export function exitCode(report: Report): 0 | 1 {
  return report.ok ? 0 : 1;
}
