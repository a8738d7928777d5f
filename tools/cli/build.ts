/** npm run build: compiles the program and tools into build/ for the launch-ready bin (tools/build.ts). */
import * as path from "path";
import { build } from "../build";
import { processIo, type CliIo } from "../cli-io";

/** Compiles build/; returns the exit code. */
export function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = processIo): number {
  if (argv.length) {
    const help = argv.every((a) => a === "--help" || a === "-h");
    (help ? io.out : io.err)("usage: npm run build (compiles the program and tools into build/ for the launch-ready bin)");
    return help ? 0 : 2;
  }

  const b = build();
  io.err(`built ${b.files} files to ${path.relative(process.cwd(), b.dir) || "."} in ${(b.ms / 1000).toFixed(1)} s`);
  return 0;
}

if (require.main === module) process.exitCode = main();
