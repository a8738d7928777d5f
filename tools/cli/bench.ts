/**
 * npm run bench [-- --runs 3] [--large-runs 1] [--sizes 1,10,50] [--variants ts-node,js,ts-node-stacktraces,js-stacktraces] [--no-policy] [--json] [--profile]
 *
 * Offline plan benchmark (issue 5): wall time and peak memory of planning 1, 10 and
 * 50 generated sites in fresh processes, module loading versus evaluation, policy
 * pack time per resource, resources per site by kind, and the policy pack's start-up
 * through its real analyzer server (as shipped in JavaScript, and through index.ts). Not a test: it prints
 * figures and checks them against the targets, exit code 0 either way.
 */
import * as fs from "fs";
import * as path from "path";
import { buildJs } from "../bench/build";
import { machine, runChild, Variant, VARIANTS } from "../bench/measure";
import { measurePackStart, PackStart, renderPackStart } from "../bench/pack-start";
import { renderReport, Report } from "../bench/report";
import { PACK_DIR, packInstalledProblem } from "../policy/analyzer";

interface Args {
  runs: number;
  /** Runs at the largest size (50 sites under ts-node take ~85 s each on 2 cores). */
  largeRuns: number;
  sizes: number[];
  variants: Variant[];
  policy: boolean;
  json: boolean;
  profile: boolean;
}

const USAGE = `usage: npm run bench -- [--runs N] [--large-runs N] [--sizes 1,10,50] [--variants ${VARIANTS.join(",")}] [--no-policy] [--json] [--profile]`;

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 3, largeRuns: 1, sizes: [1, 10, 50], variants: ["ts-node", "js"], policy: true, json: false, profile: false };
  const value = (i: number) => {
    if (argv[i] === undefined) usage(`${argv[i - 1]} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runs") args.runs = Number(value(++i));
    else if (a === "--large-runs") args.largeRuns = Number(value(++i));
    else if (a === "--sizes") args.sizes = value(++i).split(",").map(Number);
    else if (a === "--variants") args.variants = value(++i).split(",") as Variant[];
    else if (a === "--no-policy") args.policy = false;
    else if (a === "--json") args.json = true;
    else if (a === "--profile") args.profile = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else usage(`unknown argument "${a}"`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) usage("--runs needs a positive integer");
  if (!Number.isInteger(args.largeRuns) || args.largeRuns < 1) usage("--large-runs needs a positive integer");
  if (!args.sizes.length || args.sizes.some((n) => !Number.isInteger(n) || n < 1)) usage("--sizes needs positive integers, e.g. 1,10,50");
  for (const v of args.variants) if (!VARIANTS.includes(v)) usage(`unknown variant "${v}"`);
  args.sizes = [...new Set(args.sizes)].sort((a, b) => a - b);
  return args;
}

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const report: Report = { machineStart: machine(), args: { runs: args.runs, largeRuns: args.largeRuns, sizes: args.sizes, variants: args.variants, policy: args.policy }, samples: [] };
  if (args.variants.some((v) => v.startsWith("js"))) {
    const b = buildJs();
    report.build = { files: b.files, ms: b.ms };
    log(`built ${b.files} files to ${path.relative(process.cwd(), b.dir)} in ${(b.ms / 1000).toFixed(1)} s`);
  }
  const largest = args.sizes[args.sizes.length - 1];
  const profDir = path.resolve(__dirname, "..", "..", ".bench", "profiles");
  if (args.profile) fs.mkdirSync(profDir, { recursive: true });
  for (const size of args.sizes) {
    for (const variant of args.variants) {
      const runs = size === largest && args.sizes.length > 1 ? args.largeRuns : args.runs;
      for (let run = 1; run <= runs; run++) {
        const profile = args.profile && run === 1 ? profDir : undefined;
        const s = await runChild(variant, size, { policy: args.policy && size === largest, cpuProf: profile });
        report.samples.push(s);
        log(`${variant.padEnd(16)} ${String(size).padStart(3)} site(s) run ${run}/${runs}: wall ${(s.wallMs / 1000).toFixed(2)} s, evaluate ${(s.evaluateMs / 1000).toFixed(2)} s, ${Math.round(s.maxRssMb)} MB`);
      }
    }
  }
  let packStart: PackStart[] | undefined;
  if (args.policy) {
    const problem = packInstalledProblem(PACK_DIR);
    if (problem) throw new Error(problem);
    packStart = await measurePackStart(args.runs);
  }
  report.machineEnd = machine();
  if (args.profile) report.profiles = profDir;
  if (args.json) console.log(JSON.stringify({ ...report, packStart }, null, 2));
  else console.log([renderReport(report), ...(packStart ? ["", renderPackStart(packStart)] : [])].join("\n"));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
