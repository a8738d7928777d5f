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
export async function runMain(main: (argv: readonly string[], io: CliIo) => Promise<number>, argv: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.map((l) => `${l}\n`).join(""), err: err.map((l) => `${l}\n`).join("") };
}

/** Runs tools/cli/<name>.ts in a fresh node, as `npm run <name>` does (without npm). */
export function spawnCli(name: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools", "cli", `${name}.ts`), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}
