/**
 * The main job as a user waits for it: the offline plan of the example's prod stack, verdict
 * of the real analyzer server included, from spawn to exit, the way README runs it
 * (`npm run plan`, `npx launch-ready plan`), beside the bin alone, the TypeScript path
 * `npm run plan` took before the bin, and the floor: node loading @pulumi/pulumi and the three
 * provider SDKs, which every plan pays. One untimed warm-up per command (the first run after an
 * install also fills the shape and compile caches), then the runs, round-robin so load on the
 * machine spreads over all of them.
 */
import { spawn } from "child_process";
import { REPO } from "../repo";
import { stats } from "./measure";

/** The example stack's plan arguments. */
const EXAMPLE_STACK = ["--dir", "examples/acmechat", "--stack", "prod"];
/** The aim: the main job at most this many times the floor. */
export const MAIN_JOB_TARGET_X = 2;

const LOAD_SDK_AND_PROVIDERS = ["@pulumi/pulumi", "@pulumi/cloudflare", "@pulumi/aws", "@pulumiverse/vercel"]
  .map((m) => `require(${JSON.stringify(m)});`)
  .join(" ");

interface Command {
  label: string;
  cmd: string;
  args: string[];
  /** Environment changes for this command (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  floor?: boolean;
}

export interface MainJobTiming {
  label: string;
  floor: boolean;
  ms: number[];
}

const COMMANDS: Command[] = [
  {
    label: "floor: node loading @pulumi/pulumi + 3 providers",
    cmd: process.execPath,
    args: ["-e", LOAD_SDK_AND_PROVIDERS],
    env: { NODE_COMPILE_CACHE: undefined },
    floor: true,
  },
  { label: `npm run plan -- ${EXAMPLE_STACK.join(" ")}`, cmd: "npm", args: ["run", "-s", "plan", "--", ...EXAMPLE_STACK] },
  { label: `npx launch-ready plan ${EXAMPLE_STACK.join(" ")}`, cmd: "npx", args: ["launch-ready", "plan", ...EXAMPLE_STACK] },
  {
    label: `node tools/launch-ready.js plan ${EXAMPLE_STACK.join(" ")} (the bin, no npm)`,
    cmd: process.execPath,
    args: ["tools/launch-ready.js", "plan", ...EXAMPLE_STACK],
  },
  {
    label: `ts-node tools/cli/plan.ts ${EXAMPLE_STACK.join(" ")} (npm run plan before the bin, no npm)`,
    cmd: process.execPath,
    args: [require.resolve("ts-node/dist/bin.js", { paths: [REPO] }), "tools/cli/plan.ts", ...EXAMPLE_STACK],
    env: { NODE_COMPILE_CACHE: undefined },
  },
];

/** Spawn to exit of one command, in ms; rejects when it fails. */
function timeOnce(c: Command): Promise<number> {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(c.env ?? {})) if (v === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(c.cmd, c.args, { cwd: REPO, env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${c.label} exited ${code}:\n${err.slice(-2000)}`));
    });
  });
}

export async function measureMainJob(runs: number, log: (s: string) => void = () => undefined): Promise<MainJobTiming[]> {
  const out = COMMANDS.map((c) => ({ label: c.label, floor: !!c.floor, ms: [] as number[] }));
  for (const c of COMMANDS) await timeOnce(c); // warm-up
  for (let run = 1; run <= runs; run++) {
    for (const [i, c] of COMMANDS.entries()) {
      out[i].ms.push(await timeOnce(c));
      log(`main job run ${run}/${runs}: ${c.label}: ${(out[i].ms.at(-1)! / 1000).toFixed(2)} s`);
    }
  }
  return out;
}

export function renderMainJob(timings: readonly MainJobTiming[]): string {
  const s2 = (ms: number) => (ms / 1000).toFixed(2);
  const floor = stats(timings.find((t) => t.floor)!.ms).median;
  const rows = timings.map((t) => {
    const st = stats(t.ms);
    return `| ${t.label} | ${s2(st.median)} (${s2(st.min)}–${s2(st.max)}) | ${t.floor ? "1.0" : (st.median / floor).toFixed(1)} |`;
  });
  const verdict = (prefix: string) => {
    const t = timings.find((x) => x.label.startsWith(prefix))!;
    const m = stats(t.ms).median;
    return `- ${prefix}: ${s2(m)} s, ${(m / floor).toFixed(1)}× the floor, against at most ${MAIN_JOB_TARGET_X}× (${s2(MAIN_JOB_TARGET_X * floor)} s): ${m <= MAIN_JOB_TARGET_X * floor ? "met" : "MISSED"}`;
  };
  return [
    `## Main job: the offline plan of the example's prod stack, verdict included (spawn to exit, median (min–max) of ${timings[0].ms.length} run(s) after one warm-up)`,
    "",
    "| command | wall s | × floor |",
    "|:--|--:|--:|",
    ...rows,
    "",
    verdict("npx launch-ready plan"),
    verdict("npm run plan"),
    verdict("node tools/launch-ready.js plan"),
  ].join("\n");
}
