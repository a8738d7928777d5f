/**
 * `npm run verify -- --stack prod` (or --outputs / --map / --domain): checks the live
 * DNS, email authentication, HTTPS, TLS, health and CORS of a launch. See verify/cli.ts.
 */
import { main } from "../verify/cli";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`verify: unexpected error: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);
