/**
 * `npm run verify -- --stack prod` (or --outputs / --map / --domain): checks the live
 * DNS, email authentication, HTTPS, TLS, health and CORS of a launch. See tools/verify/cli.ts.
 */
import { main as verify } from "../verify/cli";

/** Runs `verify` with these arguments; resolves to the exit code (the launch-ready bin calls this). */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  try {
    return await verify([...argv]);
  } catch (err) {
    process.stderr.write(`verify: ${(err as Error)?.message ?? err}\n`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
