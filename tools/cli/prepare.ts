/**
 * The root's `prepare` script, which `npm ci` (and a bare `npm install`) runs once the
 * dependencies are in: installs the policy pack from its own lockfile (its own `prepare`
 * builds policies/bin), then compiles build/ for the launch-ready bin. So `npm ci` alone sets
 * up everything. `npm pack` and `npm publish` also run `prepare`: then nothing happens here
 * (`prepack` builds the package's dist/, and the pack is not part of it).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { build } from "../build";
import { PACK_DIR } from "../policy/launch";
import { REPO } from "../repo";
import { processIo, type CliIo } from "../cli-io";

type Run = (cmd: string, args: string[], opts: { cwd: string; stdio: "inherit" }) => { status: number | null; signal?: NodeJS.Signals | null };

/** What `prepare` does under npm's environment `env`, running commands with `run`; returns the exit code. */
export function prepare(env: NodeJS.ProcessEnv = process.env, run: Run = spawnSync, log: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (["pack", "publish"].includes(env.npm_command ?? "")) return 0;
  // The npm that runs this install (npm_execpath), else the one on PATH.
  const [npm, ...npmArgs] = env.npm_execpath ? [process.execPath, env.npm_execpath] : ["npm"];
  const install = ["ci", "--prefix", path.relative(REPO, PACK_DIR), "--no-audit", "--no-fund"];
  const pack = run(npm, [...npmArgs, ...install], { cwd: REPO, stdio: "inherit" });
  if (pack.status !== 0) {
    log(`prepare: npm ${install.join(" ")} failed (exit ${pack.status ?? pack.signal}); the policy pack is not installed\n`);
    return 1;
  }
  const b = build();
  log(`prepare: the policy pack is installed and built; compiled ${b.files} files to build/ in ${(b.ms / 1000).toFixed(1)} s\n`);
  return 0;
}

/** `prepare` as npm runs it, writing to `io`; returns the exit code. */
export function main(
  argv: readonly string[] = process.argv.slice(2),
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
  run: Run = spawnSync,
): number {
  if (argv.length) {
    const help = argv.every((a) => a === "--help" || a === "-h");
    (help ? io.out : io.err)("usage: npm ci (runs prepare: installs and builds the policy pack, then compiles build/)");
    return help ? 0 : 2;
  }

  return prepare(env, run, (s) => io.err(s.replace(/\n$/, "")));
}

if (require.main === module) process.exitCode = main();
