/**
 * verify's one row constructor. The category follows from the id's first part; a fix that names a
 * stack step (`pulumi up`, the stack config) carries its variant without the stack too, which
 * `--domain` mode shows instead (there is no stack then).
 */
import type { Category, CheckResult, Status } from "./types";

const CATEGORY_OF_PREFIX: Readonly<Record<string, Category>> = {
  dns: "dns",
  email: "email",
  http: "http",
  // The checks of Cloudflare in front of Vercel (tools/verify/vercel-edge-checks.ts) are HTTP checks.
  vercel: "http",
  html: "http",
  cache: "http",
  tls: "tls",
  health: "health",
  latency: "health",
  cors: "cors",
  bundle: "bundles",
  bundles: "bundles",
  redteam: "redteam",
};

export function categoryOf(id: string): Category {
  const category = CATEGORY_OF_PREFIX[id.split(".")[0]];
  if (!category) throw new Error(`verify row id "${id}" has no category: its first part must be one of ${Object.keys(CATEGORY_OF_PREFIX).join(", ")}`);
  return category;
}

/** A fix: one text, or the stack's text and the one for a domain with no stack. */
export type Fix = string | { stack: string; withoutStack: string };

/** The usual stack variant: do it in DNS, which the stack does on `pulumi up`. */
export function viaPulumiUp(fix: string): Fix {
  return { stack: `${fix} (run \`pulumi up\`)`, withoutStack: fix };
}

export interface RowSpec {
  /** Stable machine id, e.g. "dns.record", "email.spf.lookups": its first part gives the category. */
  id: string;
  check: string;
  target: string;
  status: Status;
  detail: string;
  fix?: Fix;
  data?: Record<string, unknown>;
}

/** One report row; the fix is appended to the detail unless the detail already says it. */
export function makeRow(spec: RowSpec): CheckResult {
  const { id, check, target, status, detail, data } = spec;
  const fix = typeof spec.fix === "object" ? spec.fix.stack : spec.fix;
  const r: CheckResult = { id, category: categoryOf(id), check, target, status, detail: withFix(detail, fix) };
  if (fix) r.fix = fix;
  if (typeof spec.fix === "object") r.fixWithoutStack = spec.fix.withoutStack;
  if (data) r.data = data;
  return r;
}

/** A check whose DNS lookup got no answer: it fails as not checked, not as a wrong record. */
export function unanswered(check: Pick<RowSpec, "id" | "check" | "target">, error: string): CheckResult {
  return makeRow({ ...check, status: "fail", detail: `could not be checked: ${error}`, fix: "check the zone's nameservers answer, then re-run verify" });
}

const withFix = (detail: string, fix: string | undefined) => (fix && !detail.includes(fix) ? `${detail}. Fix: ${fix}` : detail);

/** The row as a run shows it: with no stack (--domain), each fix's variant without the stack's step. */
export function forRun(r: CheckResult, withStack: boolean): CheckResult {
  const { fixWithoutStack, ...row } = r;
  if (withStack || fixWithoutStack === undefined) return row;
  const base = row.fix && row.detail.endsWith(`. Fix: ${row.fix}`) ? row.detail.slice(0, -`. Fix: ${row.fix}`.length) : row.detail;
  return { ...row, fix: fixWithoutStack, detail: withFix(base, fixWithoutStack) };
}
