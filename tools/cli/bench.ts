/**
 * npm run bench [-- --runs 3] [--large-runs 1] [--sizes 1,10,50] [--variants ts-node,js,ts-node-stacktraces,js-stacktraces] [--no-policy] [--json] [--profile]
 *
 * Offline plan benchmark (issue 5): wall time and peak memory of planning 1, 10 and
 * 50 generated sites in fresh processes, module loading versus evaluation, policy
 * pack time per resource, resources per site by kind, and the policy pack's start-up
 * through its real analyzer server (as shipped in JavaScript, and through index.ts), and the main job
 * (`npm run plan`, `npx launch-ready plan` of the example's prod stack) beside its floor. Not a test: it prints
 * figures and checks them against the targets, exit code 0 either way.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { build } from "../build";
import { machine, runChild, Variant, VARIANTS } from "../bench/measure";
import { MainJobTiming, measureMainJob, renderMainJob } from "../bench/main-job";
import { measurePackStart, PackStart, renderPackStart } from "../bench/pack-start";
import { renderReport, Report } from "../bench/report";
import { PACK_DIR, packInstalledProblem } from "../policy/analyzer";
import { UsageError } from "../usage-error";
import { processIo, type CliIo } from "../cli-io";

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

function readArgs(argv: string[]): Args & { help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        runs: { type: "string", default: "3" },
        "large-runs": { type: "string", default: "1" },
        sizes: { type: "string", default: "1,10,50" },
        variants: { type: "string", default: "ts-node,js" },
        "no-policy": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        profile: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const args = {
    runs: Number(values.runs),
    largeRuns: Number(values["large-runs"]),
    sizes: values.sizes.split(",").map(Number),
    variants: values.variants.split(",") as Variant[],
    policy: !values["no-policy"],
    json: values.json,
    profile: values.profile,
    help: values.help,
  };
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new UsageError("--runs needs a positive integer");
  if (!Number.isInteger(args.largeRuns) || args.largeRuns < 1) throw new UsageError("--large-runs needs a positive integer");
  if (!args.sizes.length || args.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError("--sizes needs positive integers, e.g. 1,10,50");
  for (const v of args.variants) if (!VARIANTS.includes(v)) throw new UsageError(`unknown variant "${v}"`);
  args.sizes = [...new Set(args.sizes)].sort((a, b) => a - b);
  return args;
}

/** Runs the benchmark with these arguments; resolves to the exit code (2 for bad usage, 1 when a run fails). */
export async function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = processIo): Promise<number> {
  try {
    return await bench(readArgs([...argv]), io);
  } catch (err) {
    // Bad usage is 2, anything else 1; never a stack trace.
    io.err(err instanceof UsageError ? `${(err as Error).message}\n${USAGE}` : (err as Error).message);
    return err instanceof UsageError ? 2 : 1;
  }
}

async function bench(args: ReturnType<typeof readArgs>, io: CliIo): Promise<number> {
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  const log = io.err;
  const report: Report = {
    machineStart: machine(),
    args: { runs: args.runs, largeRuns: args.largeRuns, sizes: args.sizes, variants: args.variants, policy: args.policy },
    samples: [],
  };
  // The js variants and the bin (main job) run build/.
  if (args.policy || args.variants.some((v) => v.startsWith("js"))) {
    const b = build();
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
        log(
          `${variant.padEnd(16)} ${String(size).padStart(3)} site(s) run ${run}/${runs}: wall ${(s.wallMs / 1000).toFixed(2)} s, evaluate ${(s.evaluateMs / 1000).toFixed(2)} s, ${Math.round(s.maxRssMb)} MB`,
        );
      }
    }
  }
  let packStart: PackStart[] | undefined;
  let mainJob: MainJobTiming[] | undefined;
  if (args.policy) {
    const problem = packInstalledProblem(PACK_DIR);
    if (problem) throw new Error(problem);
    packStart = await measurePackStart(args.runs);
    mainJob = await measureMainJob(args.runs, log);
  }
  report.machineEnd = machine();
  if (args.profile) report.profiles = profDir;
  if (args.json) io.out(JSON.stringify({ ...report, packStart, mainJob }, null, 2));
  else io.out([renderReport(report), ...(packStart ? ["", renderPackStart(packStart)] : []), ...(mainJob ? ["", renderMainJob(mainJob)] : [])].join("\n"));
  return 0;
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
