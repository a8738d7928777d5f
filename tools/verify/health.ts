/**
 * Health checks: each monitored endpoint answers as its monitor expects (2xx/3xx, the
 * expected text within the first 5120 bytes, as Route 53 matches it), and p50/p95
 * latency over a few sequential requests compared with the monitor's target.
 */
import type { MonitorEntry } from "../../lib/domain-map";
import { webChecks } from "../../lib/provider-facts";
import type { HttpResponse, Net } from "./net";
import { makeRow, type Fix } from "./row";
import type { CheckResult, Status } from "./types";

/** Route 53 string matching reads this much of the body (lib/provider-facts/web-checks.json). */
const ROUTE53_BODY_BYTES = webChecks.route53StringMatch.bodyBytes;

/** What was read, apart: time to first byte, then the body (a prefix of it when cut). */
export function timingText(res: HttpResponse): string {
  const body =
    res.bodyCut === "limit"
      ? `the first ${res.bodyBytes} bytes of the body in ${res.bodyMs} ms (the rest not read, as Route 53 reads no more)`
      : res.bodyCut === "timeout"
        ? `${res.bodyBytes} bytes of the body in ${res.bodyMs} ms, then no end to it within the timeout`
        : `the body (${res.bodyBytes} bytes) in ${res.bodyMs} ms`;
  return `first byte in ${res.ttfbMs} ms, ${body}`;
}

/** Nearest-rank percentile. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export async function checkMonitor(net: Net, m: MonitorEntry, samples = 5): Promise<CheckResult[]> {
  const label = `${m.name}${m.critical ? " (critical)" : ""}`;
  const statusRow = (status: Status, detail: string, fix?: Fix, data?: Record<string, unknown>) =>
    makeRow({ id: "health.status", check: "Health endpoint", target: m.url, status, detail: `${label}: ${detail}`, fix, data });
  let first;
  try {
    first = await net.request(m.url, { maxBodyBytes: ROUTE53_BODY_BYTES });
  } catch (err) {
    return [
      statusRow("fail", (err as Error).message, {
        stack: "deploy the route or fix the monitor URL in the stack config; the Route 53 monitor will alarm on this",
        withoutStack: "deploy the route or fix the URL; the Route 53 monitor will alarm on this",
      }),
    ];
  }
  const out: CheckResult[] = [];
  const okStatus = first.status >= 200 && first.status < 400;
  const hasText = m.expect === undefined || first.body.includes(m.expect);
  const statusData = { status: first.status, ttfbMs: first.ttfbMs, bodyMs: first.bodyMs, bodyBytes: first.bodyBytes, bodyCut: first.bodyCut ?? null };
  const seen = timingText(first);
  if (!okStatus) {
    out.push(statusRow("fail", `answers ${first.status}`, "fix the route so it answers 2xx; the monitor treats anything else as down", statusData));
  } else if (!hasText) {
    out.push(
      statusRow(
        "fail",
        `${first.status} but the first ${ROUTE53_BODY_BYTES} bytes lack "${m.expect}" (${seen})`,
        `make the route return "${m.expect}" near the start of the body, or change the monitor's expected text`,
        statusData,
      ),
    );
  } else {
    out.push(statusRow("pass", `${first.status}${m.expect !== undefined ? `, contains "${m.expect}"` : ""}; ${seen}`, undefined, statusData));
  }

  const times: number[] = [first.ms];
  const ttfb: number[] = [first.ttfbMs];
  const errors: string[] = [];
  for (let i = 1; i < samples; i++) {
    try {
      const res = await net.request(m.url, { maxBodyBytes: ROUTE53_BODY_BYTES });
      times.push(res.ms);
      ttfb.push(res.ttfbMs);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  const data = { samples: times, p50, p95, ttfbSamples: ttfb, ttfbP95: percentile(ttfb, 95), targetMs: m.latencyTargetMs, errors: errors.length };
  const measured = `p50 ${p50} ms, p95 ${p95} ms over ${times.length} requests (target p95 < ${m.latencyTargetMs} ms)`;
  if (errors.length) {
    out.push(
      makeRow({
        id: "health.latency",
        check: "Latency",
        target: m.url,
        status: "fail",
        detail: `${label}: ${errors.length} of ${samples} requests failed (${errors[0]}); ${measured}`,
        fix: "the endpoint is flaky: check its logs and the origin's capacity",
        data,
      }),
    );
  } else if (p95 > m.latencyTargetMs) {
    out.push(
      makeRow({
        id: "health.latency",
        check: "Latency",
        target: m.url,
        status: "warn",
        detail: `${label}: ${measured}, over target from this vantage point`,
        fix: "profile the route (cold starts, database round-trips), cache it at the edge if it is cacheable, or move the function region next to the database",
        data,
      }),
    );
  } else {
    out.push(makeRow({ id: "health.latency", check: "Latency", target: m.url, status: "pass", detail: `${label}: ${measured}`, data }));
  }
  return out;
}
