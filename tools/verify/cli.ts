/**
 * `npm run verify -- ...`: argument parsing and the main function (scripts/verify.ts
 * only calls main). Exit codes: 0 no fail, 1 any fail (or warn with --strict), 2 usage.
 */
import * as fs from "fs";
import * as net from "net";
import { parseArgs } from "util";
import { DEFAULT_MAX_REGRESSION_PCT, loadBaseline, MIN_BASELINE_SAMPLES, saveBaseline } from "./baseline";
import { DEFAULT_BUNDLE_LIMITS } from "./bundles";
import { verifyDomain } from "./discover";
import { loadRedTeam } from "./red-team";
import { exitCode, formatJson, formatTable } from "./report";
import { CATEGORIES, runVerification } from "./runner";
import { loadMapFile, loadOutputsFile, loadStackPlan, UsageError } from "./sources";
import type { Category, ConnectTarget, Report, VerifyOptions } from "./types";

export const USAGE = `Usage: npm run verify -- (--stack NAME | --outputs FILE | --map FILE | --domain DOMAIN) [options]

Where the domain map comes from (exactly one):
  --stack NAME            the offline plan of Pulumi.NAME.yaml at the repository root (tools/offline/plan.ts), e.g. prod
  --dir DIR               with --stack: the stack file is in DIR (the AcmeChat example: --dir examples/acmechat)
  --outputs FILE          output of \`pulumi stack output --json\` (its "domainMap" key)
  --map FILE              a DomainMap JSON file
  --domain DOMAIN         no stack: discover apex/www, MX, SPF, DKIM, DMARC and check them

Options:
  --json                  print the report as JSON (for CI)
  --strict                warnings fail too (exit 1)
  --only LIST             only these categories: ${CATEGORIES.join(",")}
  --timeout MS            bound for every DNS query, connection and response (default 5000)
  --concurrency N         checks run at once (default 8)
  --samples N             requests per monitored endpoint for p50/p95 (default 5)
  --dns-server ADDR       query this DNS server (repeatable), e.g. 1.1.1.1 or 127.0.0.1:5353
  --dns-server ADDR=ZONE  send only ZONE's names to ADDR (e.g. its authoritative server); others use the normal resolver
  --dkim-selector NAME    with --domain: also look for DKIM at this selector (repeatable)
  --deadline SECONDS      bound for the whole run, discovery included (default 60)
  --save-baseline FILE    write each monitored endpoint's p50/p95 and sample count to FILE (JSON)
  --baseline FILE         fail an endpoint whose p95 grew by more than --max-regression percent over FILE's;
                          compared only with at least ${MIN_BASELINE_SAMPLES} samples on both sides (--samples), else a warning
  --max-regression N      with --baseline: the p95 growth in percent that fails (default ${DEFAULT_MAX_REGRESSION_PCT})
  --bundle-max-files N    client-bundle scan: scripts and source maps fetched at most (default ${DEFAULT_BUNDLE_LIMITS.maxFiles})
  --bundle-max-bytes N    client-bundle scan: bytes read at most, pages included (default ${DEFAULT_BUNDLE_LIMITS.maxBytes})
  --bundle-time SECONDS   client-bundle scan: time at most (default ${DEFAULT_BUNDLE_LIMITS.timeMs / 1000})
  --red-team FILE         also send the curated prompt-injection, system-prompt-exfiltration and jailbreak cases
                          to the chat endpoint FILE describes (JSON: url, method, body with {{prompt}}, answer.path,
                          answer.stream, canaryEnv, maxPerMinute; see README); off by default. It counts
                          against --deadline: 18 cases at 20 a minute take about a minute
  --rdap-url URL          ask this RDAP server for the registration expiry: URL + the domain is fetched
                          (default https://rdap.org/domain/, which redirects to the registry's server)
  --resolve HOST:PORT:ADDR        connect HOST:PORT to ADDR, like curl (repeatable; PORT may be *)
  --connect-to HOST:PORT:ADDR:PORT2  connect HOST:PORT to ADDR:PORT2, like curl (repeatable)
  --ca FILE               also trust this CA certificate (PEM; repeatable)
  --vercel-host NAME      the production deployment's own host (NAME.vercel.app; repeatable): the
                          app's critical routes must be refused there (vercel.origin-bypass)
  --https-port N          use port N for every https:// URL (local testing)
  --http-port N           use port N for every http:// URL (local testing)
  --no-color              plain table (also when NO_COLOR is set, or not on a terminal)
  -h, --help              this help

Exit code: 0 when no check fails, 1 when any fails (or warns with --strict), 2 on a usage error.`;

export interface CliArgs {
  source: { kind: "stack" | "outputs" | "map" | "domain"; value: string };
  /** With --stack: the directory holding its stack file (default: the repository root). */
  dir?: string;
  /** --save-baseline: where to write this run's latency per endpoint. */
  saveBaseline?: string;
  options: VerifyOptions;
  json: boolean;
  color: boolean;
  help: boolean;
}

function int(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

const stripBrackets = (a: string) => a.replace(/^\[(.*)\]$/, "$1");

export function parseResolve(spec: string): [string, string] {
  const m = /^([^:\s]+):(\d+|\*):(\[[^\]]+\]|[^\s]+)$/.exec(spec);
  if (!m || !net.isIP(stripBrackets(m[3]))) throw new UsageError(`--resolve "${spec}" must be HOST:PORT:ADDRESS, e.g. example.com:443:127.0.0.1`);
  return [`${m[1].toLowerCase()}:${m[2]}`, stripBrackets(m[3])];
}

export function parseConnectTo(spec: string): [string, ConnectTarget] {
  const m = /^([^:\s]+):(\d+):(\[[^\]]+\]|[^:\s]+):(\d+)$/.exec(spec);
  if (!m) throw new UsageError(`--connect-to "${spec}" must be HOST:PORT:ADDRESS:PORT, e.g. example.com:443:127.0.0.1:8443`);
  return [`${m[1].toLowerCase()}:${m[2]}`, { host: stripBrackets(m[3]), port: Number(m[4]) }];
}

function dnsServer(spec: string): string {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
  const ok = m && net.isIP(stripBrackets(m[1])) && (m[2] === undefined || (Number(m[2]) > 0 && Number(m[2]) < 65536));
  // Bare IPv6 without a port is also fine.
  if (!ok && net.isIPv6(spec)) return spec;
  if (!ok) throw new UsageError(`--dns-server "${spec}" must be an IP address with an optional port, e.g. 1.1.1.1 or 127.0.0.1:5353`);
  return spec;
}

/** --rdap-url: an http(s) URL prefix the domain name is appended to. */
function rdapUrl(spec: string): string {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new UsageError(`--rdap-url "${spec}" is not a URL (e.g. https://rdap.example/domain/)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`--rdap-url "${spec}" must be an http:// or https:// URL`);
  return spec.endsWith("/") ? spec : `${spec}/`;
}

/** `ADDR=ZONE` values of --dns-server, grouped by zone. */
function zoneServers(specs: readonly string[]): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  for (const spec of specs.filter((s) => s.includes("="))) {
    const [addr, zone] = spec.split("=", 2);
    if (!/^(?=.{1,253}$)([a-z0-9_-]+\.)*[a-z0-9-]+\.?$/i.test(zone))
      throw new UsageError(`--dns-server "${spec}": "${zone}" is not a zone name (ADDR=ZONE, e.g. 127.0.0.1:5353=example.com)`);
    (out[zone.toLowerCase().replace(/\.$/, "")] ??= []).push(dnsServer(addr));
  }
  return Object.keys(out).length ? out : undefined;
}

/** The command line as parseArgs reads it: one declarative table of the options. */
function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        dir: { type: "string" },
        outputs: { type: "string" },
        map: { type: "string" },
        domain: { type: "string" },
        json: { type: "boolean" },
        strict: { type: "boolean" },
        only: { type: "string" },
        timeout: { type: "string" },
        concurrency: { type: "string" },
        samples: { type: "string" },
        "dns-server": { type: "string", multiple: true },
        "dkim-selector": { type: "string", multiple: true },
        deadline: { type: "string" },
        "rdap-url": { type: "string" },
        baseline: { type: "string" },
        "red-team": { type: "string" },
        "bundle-max-files": { type: "string" },
        "bundle-max-bytes": { type: "string" },
        "bundle-time": { type: "string" },
        "save-baseline": { type: "string" },
        "max-regression": { type: "string" },
        resolve: { type: "string", multiple: true },
        "connect-to": { type: "string", multiple: true },
        ca: { type: "string", multiple: true },
        "https-port": { type: "string" },
        "http-port": { type: "string" },
        "vercel-host": { type: "string", multiple: true },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

type Flags = ReturnType<typeof parseFlags>;

export function parseCli(argv: string[]): CliArgs {
  const v = parseFlags(argv);
  const help = !!v.help;
  const source = sourceOf(v, help);
  const only = onlyCategories(v.only);
  const options = verifyOptionsOf(v, source, only);
  if (v["max-regression"] !== undefined && v.baseline === undefined)
    throw new UsageError("--max-regression goes with --baseline FILE (the run to compare with)");
  if ((v.baseline ?? v["save-baseline"]) !== undefined && only && !only.includes("health"))
    throw new UsageError("--baseline and --save-baseline need the health checks: add health to --only");
  return {
    source,
    dir: v.dir,
    saveBaseline: v["save-baseline"],
    options,
    json: !!v.json,
    color: !v["no-color"] && !process.env.NO_COLOR && !!process.stdout.isTTY,
    help,
  };
}

/** What to verify: exactly one of --stack, --outputs, --map, --domain (none with --help is a map, never read). */
function sourceOf(v: Flags, help: boolean): CliArgs["source"] {
  const sources = (["stack", "outputs", "map", "domain"] as const).filter((k) => v[k] !== undefined);
  if (!help && sources.length !== 1) {
    throw new UsageError(
      sources.length
        ? `use one of --stack, --outputs, --map, --domain (got ${sources.map((s) => `--${s}`).join(" and ")})`
        : "say what to verify: --stack, --outputs, --map or --domain",
    );
  }
  const kind = sources[0] ?? "map";
  if (v.dir !== undefined && kind !== "stack") throw new UsageError("--dir goes with --stack (the directory holding its stack file)");
  const value = (v[kind] as string | undefined) ?? "";
  if (kind === "domain" && !/^(?=.{1,253}$)([a-z0-9_-]+\.)+[a-z0-9-]+\.?$/i.test(value)) throw new UsageError(`--domain "${value}" is not a domain name`);
  return { kind, value };
}

/** --only a,b: the categories to run, each one verify knows. */
function onlyCategories(spec: string | undefined): Category[] | undefined {
  if (!spec) return undefined;
  const only = spec.split(",").map((s) => s.trim()) as Category[];
  const bad = only.filter((c) => !CATEGORIES.includes(c));
  if (bad.length) throw new UsageError(`--only: unknown ${bad.join(", ")} (use ${CATEGORIES.join(",")})`);
  return only;
}

/** The run's options, each flag checked (and its file read) in the order below, so the first mistake is the one reported. */
function verifyOptionsOf(v: Flags, { kind, value }: CliArgs["source"], only: Category[] | undefined): VerifyOptions {
  const ca = (v.ca ?? []).map(readCaFile);
  return {
    dnsServers: v["dns-server"]?.filter((s) => !s.includes("=")).map(dnsServer),
    dnsZoneServers: zoneServers(v["dns-server"] ?? []),
    dkimSelectors: (v["dkim-selector"] ?? []).map(dkimSelector),
    deadlineMs: v.deadline === undefined ? undefined : int(v.deadline, "--deadline", 1, 3600)! * 1000,
    bundleLimits: {
      maxFiles: int(v["bundle-max-files"], "--bundle-max-files", 0, 10000) ?? DEFAULT_BUNDLE_LIMITS.maxFiles,
      maxBytes: int(v["bundle-max-bytes"], "--bundle-max-bytes", 1024, 1024 ** 3) ?? DEFAULT_BUNDLE_LIMITS.maxBytes,
      timeMs: (int(v["bundle-time"], "--bundle-time", 1, 3600) ?? DEFAULT_BUNDLE_LIMITS.timeMs / 1000) * 1000,
    },
    redTeam: v["red-team"] === undefined ? undefined : loadRedTeam(v["red-team"]),
    baseline: v.baseline === undefined ? undefined : loadBaseline(v.baseline),
    maxRegressionPct: int(v["max-regression"], "--max-regression", 1, 1000),
    rdapBase: v["rdap-url"] === undefined ? undefined : rdapUrl(v["rdap-url"]),
    resolve: Object.fromEntries((v.resolve ?? []).map(parseResolve)),
    connectTo: Object.fromEntries((v["connect-to"] ?? []).map(parseConnectTo)),
    ca: ca.length ? ca : undefined,
    httpsPort: int(v["https-port"], "--https-port", 1, 65535),
    httpPort: int(v["http-port"], "--http-port", 1, 65535),
    timeoutMs: int(v.timeout, "--timeout", 50, 120000),
    concurrency: int(v.concurrency, "--concurrency", 1, 64),
    latencySamples: int(v.samples, "--samples", 1, 100),
    strict: !!v.strict,
    only,
    vercelHosts: (v["vercel-host"] ?? []).map(vercelHost),
    source: `${kind}:${value}`,
  };
}

function readCaFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--ca ${file}: cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
}

function dkimSelector(s: string): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(s)) throw new UsageError(`--dkim-selector "${s}" is not a DKIM selector (letters, digits, ".", "_" and "-")`);
  return s.toLowerCase();
}

/** --vercel-host: the production deployment's own *.vercel.app host, where critical routes must be refused (vercel.origin-bypass). */
function vercelHost(h: string): string {
  if (!/^([a-z0-9-]+\.)+vercel\.app$/i.test(h))
    throw new UsageError(`--vercel-host "${h}" is not a vercel.app host (e.g. mybot.vercel.app, the production deployment's URL)`);
  return h.toLowerCase();
}

export async function runFromArgs(args: CliArgs): Promise<Report> {
  const { kind, value } = args.source;
  if (kind === "domain") return verifyDomain(value, args.options);
  const map = kind === "map" ? loadMapFile(value) : kind === "outputs" ? loadOutputsFile(value) : await loadStackPlan(value, args.dir);
  return runVerification(map, args.options);
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`verify: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  let report: Report;
  try {
    report = await runFromArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`verify: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (args.saveBaseline) saveBaseline(args.saveBaseline, report);
  out(args.json ? formatJson(report) : formatTable(report, { color: args.color, width: process.stdout.columns || 160 }));
  return exitCode(report);
}
