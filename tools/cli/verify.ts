/**
 * `npm run verify -- --stack prod` (or --outputs / --map / --domain): checks the live
 * DNS, email authentication, HTTPS, TLS, health and CORS of a launch. See tools/verify/cli.ts.
 */
import { main as verify } from "../verify/cli";
import { processIo, type CliIo } from "../cli-io";

/** Runs `verify` with these arguments; resolves to the exit code (the launch-ready bin calls this). */
export function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = processIo): Promise<number> {
  return verify([...argv], io.out, io.err).catch((err: Error) => {
    io.err(`verify: ${err?.message ?? err}`);
    return 1;
  });
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
