/** Report output: a table for people, JSON for CI, and the exit code. */
import type { Report, Status } from "./types";

const ICON: Record<Status, string> = { pass: "PASS", warn: "WARN", fail: "FAIL" };
const COLOR: Record<Status, string> = { pass: "\x1b[32m", warn: "\x1b[33m", fail: "\x1b[31m" };

function wrap(text: string, width: number): string[] {
  if (width < 20) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function formatTable(report: Report, opts: { color?: boolean; width?: number } = {}): string {
  const width = opts.width ?? 120;
  const checkW = Math.min(28, Math.max(5, ...report.checks.map((c) => `${c.category} ${c.check}`.length)));
  const targetW = Math.min(44, Math.max(6, ...report.checks.map((c) => c.target.length)));
  const detailW = Math.max(50, width - 6 - checkW - targetW - 6);
  const pad = (s: string, n: number) => clip(s, n).padEnd(n);
  const out: string[] = [];
  out.push(`Launch Ready verify: ${report.domain} (${report.source}) at ${report.startedAt}`);
  out.push("");
  out.push(`${"STATUS".padEnd(6)}  ${pad("CHECK", checkW)}  ${pad("TARGET", targetW)}  DETAIL`);
  out.push(`${"-".repeat(6)}  ${"-".repeat(checkW)}  ${"-".repeat(targetW)}  ${"-".repeat(Math.min(detailW, 40))}`);
  for (const c of report.checks) {
    const status = opts.color ? `${COLOR[c.status]}${ICON[c.status]}\x1b[0m  ` : `${ICON[c.status]}  `;
    const [first, ...rest] = wrap(c.detail, detailW);
    out.push(`${status}${pad(`${c.category} ${c.check}`, checkW)}  ${pad(c.target, targetW)}  ${first}`);
    for (const more of rest) out.push(`${"".padEnd(8)}${"".padEnd(checkW)}  ${"".padEnd(targetW)}  ${more}`);
  }
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
