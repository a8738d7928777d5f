/**
 * The latency baseline gate: `--save-baseline FILE` keeps each monitored endpoint's p50/p95 and
 * sample count from this run; `--baseline FILE` compares this run's p95 with it and fails an
 * endpoint whose p95 grew by more than `--max-regression` percent (default 20, the roadmap's bar).
 *
 * The sample rule: a p95 is only compared when both runs measured the endpoint at least
 * MIN_BASELINE_SAMPLES times without an error; otherwise the row is a warning saying there are not
 * enough samples, never a pass. (With 5 samples the nearest-rank p95 is the slowest of the five: one
 * slow request moves it, so fewer would judge noise.)
 */
import * as fs from "fs";
import { z } from "zod";
import { makeRow, type Fix } from "./row";
import { UsageError } from "./sources";
import type { CheckResult, Report } from "./types";

export const DEFAULT_MAX_REGRESSION_PCT = 20;
export const MIN_BASELINE_SAMPLES = 5;

const endpointSchema = z
  .object({
    p50: z.number().nonnegative(),
    p95: z.number().nonnegative(),
    /** Requests measured without an error. */
    samples: z.number().int().nonnegative(),
  })
  .strict();

export const baselineSchema = z
  .object({
    version: z.literal(1),
    /** When the run that made it began (ISO 8601). */
    savedAt: z.string(),
    /** The run's source ("stack:prod", "domain:example.com"), for the reader. */
    source: z.string(),
    /** Monitored URL -> its latency in that run. */
    endpoints: z.record(z.string(), endpointSchema),
  })
  .strict();
export type Baseline = z.infer<typeof baselineSchema>;

/** The latency each health.latency row measured: only requests that answered count as samples. */
export function baselineFromReport(report: Report): Baseline {
  const endpoints: Baseline["endpoints"] = {};
  for (const row of report.checks) {
    if (row.id !== "health.latency" || !row.data) continue;
    const samples = (row.data.samples as number[] | undefined) ?? [];
    endpoints[row.target] = { p50: row.data.p50 as number, p95: row.data.p95 as number, samples: samples.length };
  }
  return { version: 1, savedAt: report.startedAt, source: report.source, endpoints };
}

export function saveBaseline(file: string, report: Report): Baseline {
  const baseline = baselineFromReport(report);
  fs.writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
  return baseline;
}

/** Reads a baseline file; a missing or malformed file is a usage error naming the option. */
export function loadBaseline(file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--baseline ${file}: ${code ? `cannot read (${code})` : "is not JSON"}; write one with --save-baseline ${file}`);
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `--baseline ${file}: not a verify baseline (${issue.path.join(".") || "top level"}: ${issue.message}); write one with --save-baseline`,
    );
  }
  return parsed.data;
}

/** One latency.regression row per endpoint this run measured, judged against the baseline. */
export function compareToBaseline(checks: readonly CheckResult[], baseline: Baseline, maxRegressionPct = DEFAULT_MAX_REGRESSION_PCT): CheckResult[] {
  const rows: CheckResult[] = [];
  const row = (target: string, status: CheckResult["status"], detail: string, fix?: Fix, data?: Record<string, unknown>) =>
    rows.push(makeRow({ id: "latency.regression", check: "Latency against baseline", target, status, detail, fix, data }));
  const saved = `the baseline of ${baseline.savedAt.slice(0, 10)}`;
  for (const c of checks) {
    if (c.id !== "health.latency" || !c.data) continue;
    const now = { p95: c.data.p95 as number, samples: ((c.data.samples as number[] | undefined) ?? []).length, errors: (c.data.errors as number) ?? 0 };
    const before = baseline.endpoints[c.target];
    if (!before) {
      row(c.target, "warn", `not in ${saved}: nothing to compare with`, "save a baseline that includes it (--save-baseline) from a run you trust");
      continue;
    }
    const data = { p95: now.p95, baselineP95: before.p95, samples: now.samples, baselineSamples: before.samples, maxRegressionPct };
    if (now.samples < MIN_BASELINE_SAMPLES || before.samples < MIN_BASELINE_SAMPLES) {
      row(
        c.target,
        "warn",
        `not enough samples to compare p95: ${now.samples} now${now.errors ? ` (${now.errors} failed)` : ""}, ${before.samples} in ${saved}; the rule needs ${MIN_BASELINE_SAMPLES} on both sides`,
        `run with --samples ${MIN_BASELINE_SAMPLES} or more, and save the baseline the same way`,
        data,
      );
      continue;
    }
    const pct = before.p95 > 0 ? ((now.p95 - before.p95) / before.p95) * 100 : now.p95 > 0 ? Infinity : 0;
    const change = `p95 ${now.p95} ms now against ${before.p95} ms in ${saved} (${pct >= 0 ? "+" : ""}${Number.isFinite(pct) ? pct.toFixed(1) : "∞"}%, ${now.samples} and ${before.samples} samples)`;
    if (pct > maxRegressionPct)
      row(
        c.target,
        "fail",
        `${change}: more than the allowed +${maxRegressionPct}%`,
        "find what this change made slower (a new database round-trip, a cold start, a bigger page) before releasing; if the new latency is intended, save a new baseline",
        { ...data, changePct: pct },
      );
    else row(c.target, "pass", `${change}, within +${maxRegressionPct}%`, undefined, { ...data, changePct: pct });
  }
  return rows;
}
