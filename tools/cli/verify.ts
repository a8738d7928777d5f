/**
 * `npm run verify -- --stack prod` (or --outputs / --map / --domain): checks the live
 * DNS, email authentication, HTTPS, TLS, health and CORS of a launch. See tools/verify/cli.ts.
 */
import { main as verify } from "../verify/cli";

/** Runs `verify` with these arguments; resolves to the exit code (the launch-ready bin calls this). */
export function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  return verify([...argv]).catch((err: Error) => {
    process.stderr.write(`verify: ${err?.message ?? err}\n`);
    return 1;
  });
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
