/**
 * Spawns tools/bench/child.ts in fresh processes and aggregates what they report.
 * Wall time is measured here, from spawn to exit, so it includes Node's start,
 * ts-node's registration and every module load: what a user waits for.
 */
import { spawn } from "child_process";
import * as os from "os";
import * as path from "path";
import type { ChildResult } from "./child";
import { BUILD_DIR, REPO } from "../repo";

/** How the child runs: through ts-node (as `npm run plan` does) or precompiled JS; optionally without SDK debug stacks. */
export type Variant = "ts-node" | "js" | "ts-node-stacktraces" | "js-stacktraces";
export const VARIANTS: readonly Variant[] = ["ts-node", "js", "ts-node-stacktraces", "js-stacktraces"];

export interface Sample extends ChildResult {
  variant: Variant;
  /** Spawn to exit, measured by the parent. */
  wallMs: number;
  /** Spawn until the last plan finished: wall minus the policy work that followed it. */
  planWallMs: number;
  /** Child CPU time (user + system), less sensitive to other load on the machine than wall time. */
  cpuMs: number;
}

export function commandFor(variant: Variant): { cmd: string; args: string[]; cwd: string } {
  // -stacktraces: the SDK's per-promise stack traces kept, as before the offline plan turned them off.
  const traces = variant.endsWith("-stacktraces") ? ["--stack-traces"] : [];
  if (variant.startsWith("ts-node"))
    return { cmd: process.execPath, args: ["-r", "ts-node/register/transpile-only", path.join(REPO, "tools", "bench", "child.ts"), ...traces], cwd: REPO };
  return { cmd: process.execPath, args: [path.join(BUILD_DIR, "tools", "bench", "child.js"), ...traces], cwd: REPO };
}

/** One measurement in a fresh process. */
export function runChild(variant: Variant, sites: number, opts: { policy?: boolean; cpuProf?: string } = {}): Promise<Sample> {
  const { cmd, args, cwd } = commandFor(variant);
  const prof = opts.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${opts.cpuProf}`] : [];
  const argv = [...prof, ...args, "--sites", String(sites), ...(opts.policy ? ["--policy"] : [])];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: undefined }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      if (code !== 0 || !line) return reject(new Error(`bench child (${variant}, ${sites} sites) exited ${code}:\n${err || out}`));
      const r = JSON.parse(line.slice("BENCH_RESULT ".length)) as ChildResult & { cpuMs: number };
      resolve({ ...r, variant, wallMs, planWallMs: wallMs - (r.exitMs - r.planDoneMs), cpuMs: r.cpuMs });
    });
  });
}

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

export function machine(): { cpus: number; model: string; node: string; loadavg: number[]; memGb: number } {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? "unknown",
    node: process.version,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    memGb: Math.round(os.totalmem() / 2 ** 30),
  };
}
