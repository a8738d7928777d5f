/**
 * Shapes shared by the live verification modules: one row per check, the report,
 * and the options that point the checks at the real internet or at local servers.
 */
import type { DomainMap } from "../../lib/domain-map";
import type { Baseline } from "./baseline";
import type { BundleLimits } from "./bundles";
import type { RedTeam } from "./red-team";

export type Status = "pass" | "warn" | "fail";
export type Category = "dns" | "email" | "http" | "tls" | "health" | "cors" | "bundles" | "redteam";

export interface CheckResult {
  /** Stable machine id of the kind of check, e.g. "dns.record", "email.spf.lookups". */
  id: string;
  category: Category;
  /** Short human name of the check, e.g. "SPF DNS lookups". */
  check: string;
  /** What was checked: a hostname, URL or DNS name. */
  target: string;
  status: Status;
  /** What was found, and for warn/fail, what to do about it. */
  detail: string;
  /** The fix on its own (also part of detail), for warn and fail. */
  fix?: string;
  /** While the run is building rows: the fix for a domain with no stack, when it differs (tools/verify/row.ts forRun drops it). */
  fixWithoutStack?: string;
  /** Measured values for CI: latency samples, days to expiry, lookup counts... */
  data?: Record<string, unknown>;
}

export interface Report {
  /** The zone or domain verified. */
  domain: string;
  /** Where the domain map came from: "map:file", "outputs:file", "stack:prod", "domain". */
  source: string;
  startedAt: string;
  durationMs: number;
  summary: Record<Status, number>;
  checks: CheckResult[];
  /** True when no check failed (and, with strict, none warned). */
  ok: boolean;
  strict: boolean;
}

/** Where to connect instead of what DNS says, like curl's --connect-to. */
export interface ConnectTarget {
  host: string;
  port: number;
}

export interface VerifyOptions {
  /** DNS servers ("1.1.1.1", "127.0.0.1:5353"); default: the system's. Also used to find HTTP(S) addresses. */
  dnsServers?: string[];
  /** Per zone, servers for that zone's names only (an authoritative server); other names use dnsServers or the system's. */
  dnsZoneServers?: Record<string, string[]>;
  /** Bound on the whole run, discovery included, ms. Default 60000. */
  deadlineMs?: number;
  /** "host:port" -> address, like curl --resolve (port "*" matches any port). */
  resolve?: Record<string, string>;
  /** "host:port" -> { host, port }, like curl --connect-to. */
  connectTo?: Record<string, ConnectTarget>;
  /** Extra trusted CA certificates (PEM), on top of Node's root store. */
  ca?: Array<string | Buffer>;
  /** Port to use for every https:// URL (tests); default 443. */
  httpsPort?: number;
  /** Port to use for every http:// URL (tests); default 80. */
  httpPort?: number;
  /** Per network call (DNS query, TCP+TLS handshake, HTTP response), ms. Default 5000. */
  timeoutMs?: number;
  /** DNS tries per query (c-ares "tries"). Default 2. */
  dnsTries?: number;
  /** Checks run at once. Default 8. */
  concurrency?: number;
  /** Requests per monitored endpoint for p50/p95. Default 5. */
  latencySamples?: number;
  /** Warn counts as failure for `ok` and the exit code. */
  strict?: boolean;
  /** Only these categories. Default: all. */
  only?: Category[];
  /** "Now" for certificate expiry, for tests. */
  now?: Date;
  /** Recorded in the report. */
  source?: string;
  /** Where to ask RDAP for registration data (a URL prefix ending in "domain/"); default https://rdap.org/domain/. */
  rdapBase?: string;
  /** --domain: DKIM selectors to look for before the common ones (--dkim-selector, repeatable). */
  dkimSelectors?: string[];
  /** --baseline: p95 per endpoint from an earlier run, to fail a latency regression against. */
  baseline?: Baseline;
  /** --max-regression: the p95 growth over the baseline that fails, in percent. Default 20. */
  maxRegressionPct?: number;
  /** Bounds of the client-bundle scan (--bundle-max-files, --bundle-max-bytes, --bundle-time). */
  bundleLimits?: BundleLimits;
  /** --red-team FILE: the chat endpoint, its canary and headers (off when absent). */
  redTeam?: RedTeam;
  /** The production deployment's own hosts (<project>.vercel.app, --vercel-host): the origin-bypass check requests the critical routes there. */
  vercelHosts?: string[];
}

export type { DomainMap };
