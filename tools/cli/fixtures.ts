/**
 * npm run fixtures: writes the domain maps the tests read from the example stacks'
 * offline plans (examples/acmechat/prod.domain-map.json), so no test reads a
 * hand-written map that has drifted from what the program emits; test/handover/stacks.test.ts
 * fails when the file and the plan differ.
 */
import { processIo, type CliIo } from "../cli-io";
import * as fs from "fs";
import * as path from "path";
import { planStack } from "../offline/plan";
import { EXAMPLE_DIR } from "../offline/stack-files";

export const DOMAIN_MAP_FIXTURE = path.join(EXAMPLE_DIR, "prod.domain-map.json");

/** Writes prod's domain map to `file`; returns what it wrote. */
export async function writeDomainMapFixture(file = DOMAIN_MAP_FIXTURE): Promise<string> {
  const plan = await planStack("prod", { dir: EXAMPLE_DIR });
  const text = `${JSON.stringify(plan.domainMap, null, 2)}\n`;
  fs.writeFileSync(file, text);
  return text;
}

/** Rewrites the fixture; resolves to the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = processIo, file = DOMAIN_MAP_FIXTURE): Promise<number> {
  if (argv.length) {
    const help = argv.every((a) => a === "--help" || a === "-h");
    (help ? io.out : io.err)("usage: npm run fixtures (rewrites examples/acmechat/prod.domain-map.json from the offline plan)");
    return help ? 0 : 2;
  }

  try {
    await writeDomainMapFixture(file);
  } catch (err) {
    io.err((err as Error).message);
    return 1;
  }
  io.out(`wrote ${path.relative(process.cwd(), file)} from the offline plan of the example's prod`);
  return 0;
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
