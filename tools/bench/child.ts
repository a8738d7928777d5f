/**
 * One benchmark measurement in a fresh process (spawned by bench/measure.ts):
 *   node -r ts-node/register/transpile-only bench/child.ts --sites N [--policy]
 *   node build/tools/bench/child.js --sites N [--policy]       (precompiled JS: npm run build)
 * Loads the modules phase by phase, plans N generated stacks one after another
 * (planStack re-evaluates index.ts per stack), optionally runs the policy pack over
 * each plan, and prints one line "BENCH_RESULT <json>".
 *
 * Only type imports at the top: every module is required inside a timed phase.
 */
const bootMs = process.uptime() * 1000; // node start + ts-node registration + compiling this file
import * as fs from "fs";
import * as path from "path";
import type { GeneratedStack } from "./generate";
import type { PlannedResource } from "../../lib/planned/types";

export interface ChildResult {
  runtime: "ts-node" | "js";
  sites: number;
  /** Process start until this file runs: Node, ts-node's registration (ts-node runtime). */
  bootMs: number;
  /** require("@pulumi/pulumi"). */
  loadSdkMs: number;
  /** The provider SDKs and the resource classes the components use (they load lazily). */
  loadProvidersMs: number;
  /** The program's own modules: lib/, components/, zod (compiled by ts-node under ts-node). */
  loadProgramMs: number;
  /** planStack for every site, in sequence. */
  evaluateMs: number;
  perSiteMs: number[];
  resources: number;
  /** Resource count by type for site 1. */
  kinds: Record<string, number>;
  /** The phase of each Cloudflare ruleset of site 1. */
  rulesetPhases: string[];
  /** Process uptime when the last plan finished (before any policy work). */
  planDoneMs: number;
  /** Peak RSS (MB) when the last plan finished. */
  maxRssMb: number;
  policy?: {
    loadMs: number;
    /** evaluatePolicies once per site plan, as one `pulumi preview` per stack would. */
    perStackMs: number;
    /** evaluatePolicies once over all sites' resources together. */
    unionMs: number;
    resources: number;
    mandatoryViolations: number;
  };
  /**
   * The conformance stage as `npm run plan` runs it after each plan: module load, then per
   * stack with the shape cache warm, and once with an empty cache (the first plan after an install).
   */
  conformance: { loadMs: number; perStackMs: number; coldMs: number; findings: number };
  /** Process uptime just before the result is printed. */
  exitMs: number;
  /** CPU time (user + system) until the last plan finished. */
  cpuMs: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function parseArgs(argv: string[]): { sites: number; policy: boolean; stackTraces: boolean } {
  const out = { sites: 1, policy: false, stackTraces: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--sites") out.sites = Number(argv[++i]);
    else if (argv[i] === "--policy") out.policy = true;
    else if (argv[i] === "--stack-traces") out.stackTraces = true;
  }
  if (!Number.isInteger(out.sites) || out.sites < 1) throw new Error("--sites needs a positive integer");
  return out;
}

/**
 * The provider classes the components reference (cloudflare.Ruleset, aws.route53.HealthCheck...),
 * read from the components' source so the list follows the program. Provider SDKs load
 * each resource module lazily on first access; touching them here keeps that cost in
 * the load phase rather than in the first evaluation.
 */
export function providerMembers(componentsDir: string): Array<{ pkg: string; member: string[] }> {
  const found = new Map<string, { pkg: string; member: string[] }>();
  for (const file of fs.readdirSync(componentsDir).filter((f) => /\.(ts|js)$/.test(f))) {
    const src = fs.readFileSync(path.join(componentsDir, file), "utf8");
    const aliases = new Map<string, string>();
    for (const m of src.matchAll(/import \* as (\w+) from "(@pulumi(?:verse)?\/[\w-]+)"/g)) aliases.set(m[1], m[2]);
    for (const m of src.matchAll(/(\w+) = __importStar\(require\("(@pulumi(?:verse)?\/[\w-]+)"\)\)/g)) aliases.set(m[1], m[2]);
    aliases.delete("pulumi");
    for (const [alias, pkg] of aliases) {
      // Only what is constructed (`new aws.cloudwatch.MetricAlarm(`): a type in a type position (`cloudflare.RulesetArgs`) has no runtime value to load.
      for (const m of src.matchAll(new RegExp(`\\bnew\\s+${alias}\\.((?:[a-z][a-z0-9]*\\.)?[A-Z]\\w*)`, "g"))) {
        found.set(`${pkg}:${m[1]}`, { pkg, member: m[1].split(".") });
      }
    }
  }
  return [...found.values()];
}

function countKinds(resources: PlannedResource[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const r of resources) kinds[r.type] = (kinds[r.type] ?? 0) + 1;
  return kinds;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = path.resolve(__dirname, "..", "..");
  const runtime: ChildResult["runtime"] = (process as unknown as Record<symbol, unknown>)[Symbol.for("ts-node.register.instance")] ? "ts-node" : "js";

  const loaded = loadModules(root);
  const estate: GeneratedStack[] = loaded.generateEstate(args.sites);
  const { plans, perSiteMs, evaluateMs } = await planEstate(loaded.planStack, estate, args.stackTraces);
  // Read right after the last plan: what follows (conformance, policy) is not the plan's cost.
  const planDoneMs = process.uptime() * 1000;
  const usage = process.resourceUsage();
  const maxRssMb = usage.maxRSS / 1024;
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;

  const result: ChildResult = {
    runtime,
    sites: args.sites,
    bootMs,
    loadSdkMs: loaded.loadSdkMs,
    loadProvidersMs: loaded.loadProvidersMs,
    loadProgramMs: loaded.loadProgramMs,
    evaluateMs,
    perSiteMs,
    resources: plans.reduce((n, p) => n + p.length, 0),
    kinds: countKinds(plans[0]),
    rulesetPhases: plans[0].filter((r) => r.type === "cloudflare:index/ruleset:Ruleset").map((r) => String(r.props.phase)),
    planDoneMs,
    maxRssMb,
    cpuMs,
    conformance: measureConformance(root, estate, plans),
    exitMs: 0,
  };
  if (args.policy) result.policy = await measurePolicy(plans, result.resources);
  result.exitMs = process.uptime() * 1000;
  // Exit only once the line is flushed to the pipe: the SDK may keep handles open, and an exit before the write completes could cut it.
  await new Promise<void>((resolve) => process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => resolve()));
}

/** The load phases, each timed: the SDK, the provider classes the components construct, the program's modules. */
function loadModules(root: string) {
  let t = now();
  require("@pulumi/pulumi");
  const loadSdkMs = now() - t;

  t = now();
  for (const { pkg, member } of providerMembers(path.join(root, "components"))) {
    let v: unknown = require(pkg);
    for (const m of member) v = (v as Record<string, unknown> | undefined)?.[m];
    if (typeof v !== "function") throw new Error(`bench: ${pkg} has no ${member.join(".")}`);
  }
  const loadProvidersMs = now() - t;

  t = now();
  const { planStack } = require("../offline/plan") as typeof import("../offline/plan");
  require("../../lib/config/validate");
  require("../../components/site");
  const { generateEstate } = require("./generate") as typeof import("./generate");
  const loadProgramMs = now() - t;
  return { loadSdkMs, loadProvidersMs, loadProgramMs, planStack, generateEstate };
}

/** planStack for every generated stack, one after another in this process, each timed. */
async function planEstate(planStack: typeof import("../offline/plan").planStack, estate: readonly GeneratedStack[], stackTraces: boolean) {
  const plans: PlannedResource[][] = [];
  const perSiteMs: number[] = [];
  const t = now();
  for (const g of estate) {
    const s = now();
    const plan = await planStack(g.stack, { stackFile: g.stackFile, stackTraces });
    perSiteMs.push(now() - s);
    plans.push(plan.resources);
  }
  return { plans, perSiteMs, evaluateMs: now() - t };
}

/** The conformance stage as npm run plan runs it: load, once with an empty shape cache, then per stack warm. */
function measureConformance(root: string, estate: readonly GeneratedStack[], plans: readonly PlannedResource[][]): ChildResult["conformance"] {
  const conformance = { loadMs: 0, perStackMs: 0, coldMs: 0, findings: 0 };
  let t = now();
  const { runConformance } = require("../../lib/conformance") as typeof import("../../lib/conformance");
  const { sdkShapes } = require("../conformance/shapes") as typeof import("../conformance/shapes");
  const { zoneTiersFromConfig } = require("../conformance/run") as typeof import("../conformance/run");
  const { configKey } = require("../../lib/config/project") as typeof import("../../lib/config/project");
  const { projectName } = require("../offline/stack-config") as typeof import("../offline/stack-config");
  const project = projectName(root);
  // Each generated stack's own zone plan (Free, Pro, Business, Enterprise), as npm run plan reads it.
  const zoneTiers = Object.assign(
    {},
    ...estate.map((g) => {
      const key = configKey(project, "zone");
      return zoneTiersFromConfig({ [key]: JSON.stringify((g.stackFile.config as Record<string, unknown>)[key]) }, project);
    }),
  );
  conformance.loadMs = now() - t;
  const cold = sdkShapes(root, fs.mkdtempSync(path.join(require("os").tmpdir(), "launch-ready-shapes-")));
  t = now();
  runConformance(plans[0], { shapes: cold, zoneTiers, awsRegion: "us-east-1" });
  conformance.coldMs = now() - t;
  const warm = sdkShapes((require("../repo") as typeof import("../repo")).REPO); // the cache npm run plan keeps
  runConformance(plans[0], { shapes: warm, zoneTiers });
  warm.save(); // the plan command keeps this cache between runs
  t = now();
  for (const resources of plans) conformance.findings += runConformance(resources, { shapes: warm, zoneTiers, awsRegion: "us-east-1" }).findings.length;
  conformance.perStackMs = (now() - t) / plans.length;
  return conformance;
}

/** The policy pack over each stack's plan (one preview per stack), then once over all of them together. */
async function measurePolicy(plans: readonly PlannedResource[][], resources: number): Promise<NonNullable<ChildResult["policy"]>> {
  let t = now();
  const { evaluatePolicies, hasMandatoryViolation } = require("../policy/offline") as typeof import("../policy/offline");
  const loadMs = now() - t;
  let mandatoryViolations = 0;
  t = now();
  for (const plan of plans) {
    if (hasMandatoryViolation(await evaluatePolicies(plan))) mandatoryViolations++;
  }
  const perStackMs = now() - t;
  t = now();
  await evaluatePolicies(plans.flat());
  const unionMs = now() - t;
  return { loadMs, perStackMs, unionMs, resources, mandatoryViolations };
}

if (require.main === module) {
  main().then(
    () => process.exit(0), // the result line is flushed; the SDK may keep handles open
    (err) => {
      // The parent shows this to whoever runs the benchmark: the stack helps find a broken child.
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : err}\n`, () => process.exit(1));
    },
  );
}
