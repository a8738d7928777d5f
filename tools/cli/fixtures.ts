/**
 * npm run fixtures: writes the domain maps the tests read from the example stacks'
 * offline plans (examples/acmechat/prod.domain-map.json), so no test reads a
 * hand-written map that has drifted from what the program emits; test/handover/stacks.test.ts
 * fails when the file and the plan differ.
 */
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

if (require.main === module) {
  writeDomainMapFixture().then(
    () => console.log(`wrote ${path.relative(process.cwd(), DOMAIN_MAP_FIXTURE)} from the offline plan of the example's prod`),
    (err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
