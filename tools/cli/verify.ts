/**
 * `npm run verify -- --stack prod` (or --outputs / --map / --domain): checks the live
 * DNS, email authentication, HTTPS, TLS, health and CORS of a launch. See tools/verify/cli.ts.
 */
import { main } from "../verify/cli";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`verify: ${(err as Error)?.message ?? err}\n`);
    process.exitCode = 1;
  },
);
