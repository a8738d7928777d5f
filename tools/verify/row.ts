import type { Category, CheckResult, Status } from "./types";

/** One report row; the fix is appended to the detail unless the detail already says it. */
export function makeRow(
  id: string,
  category: Category,
  check: string,
  target: string,
  status: Status,
  detail: string,
  fix?: string,
  data?: Record<string, unknown>,
): CheckResult {
  const text = fix && !detail.includes(fix) ? `${detail}. Fix: ${fix}` : detail;
  const r: CheckResult = { id, category, check, target, status, detail: text };
  if (fix) r.fix = fix;
  if (data) r.data = data;
  return r;
}
