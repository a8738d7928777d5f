/**
 * Running the CLIs in tests: in-process through their `main(argv, io)` (fast, and what every
 * test should use), or spawned as a user runs them (one smoke test per CLI keeps that path honest).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import type { CliIo } from "../../tools/cli-io";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Calls a CLI's main with these arguments, collecting what it writes. */
export async function runMain(main: (argv: readonly string[], io: CliIo) => number | Promise<number>, argv: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.map((l) => `${l}\n`).join(""), err: err.map((l) => `${l}\n`).join("") };
}

export interface SpawnOptions {
  /** The checkout whose tools run (a copy of the repository, say); default this one. */
  root?: string;
  /** Default: the root. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs node with these arguments (a script and its arguments), as a user's shell would. */
export function spawnNode(args: readonly string[], opts: SpawnOptions = {}): CliRun {
  const run = spawnSync(process.execPath, [...args], {
    cwd: opts.cwd ?? opts.root ?? ROOT,
    env: opts.env ?? process.env,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** Runs tools/cli/<name>.ts in a fresh node, as `npm run <name>` does (without npm). */
export function spawnCli(name: string, args: readonly string[], opts: SpawnOptions = {}): CliRun {
  return spawnNode(["-r", "ts-node/register/transpile-only", path.join(opts.root ?? ROOT, "tools", "cli", `${name}.ts`), ...args], opts);
}
