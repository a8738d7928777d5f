/**
 * CI (#22): writes three founders' stack files at the repository root with `npm run init`'s own
 * main, so the tests that follow run with a founder's files present (they must read none of them)
 * and .ci/run then plans each one. Usage: ts-node .ci/founder-stacks.ts
 */
import { main as init, type InitIo } from "../tools/cli/init";
import { FOUNDERS } from "../test/fixtures/founders";

async function run(): Promise<number> {
  for (const { stack, flags } of FOUNDERS) {
    const out: string[] = [];
    const sink = (into: string[]) => ({ write: (s: string) => (into.push(s), true) }) as unknown as NodeJS.WritableStream;
    // No terminal and no token: init asks nothing and reads no zone (env without CLOUDFLARE_API_TOKEN).
    const io: InitIo = { stdin: process.stdin, stdout: sink(out), stderr: sink(out), env: {} };
    const code = await init([...flags, "--yes", "--environment", "production", "--stack", stack], io);
    if (code !== 0) {
      process.stderr.write(`init of ${stack} failed (${code}):\n${out.join("")}`);
      return 1;
    }
    process.stdout.write(`wrote Pulumi.${stack}.yaml\n`);
  }
  return 0;
}

run().then((code) => (process.exitCode = code));
