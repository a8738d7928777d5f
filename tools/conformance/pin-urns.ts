/**
 * npm run pin-urns: writes examples/acmechat/urns/<stack>.json, the URNs and replace-forcing
 * properties of the example's stacks (examples/acmechat/Pulumi.<stack>.yaml). test/program/urn-pin.test.ts compares every plan
 * against them, so a change that would replace or delete a deployed resource fails the
 * tests. Run it only after deciding that such a change is intended (and say so in the commit).
 */
import * as fs from "fs";
import * as path from "path";
import { pin } from "../../lib/conformance/replacements";
import { planStack } from "../offline/plan";
import { EXAMPLE_DIR } from "../offline/stack-files";

export const PIN_DIR = path.join(EXAMPLE_DIR, "urns");

async function main(): Promise<void> {
  fs.mkdirSync(PIN_DIR, { recursive: true });
  for (const stack of ["prod", "staging"]) {
    const plan = await planStack(stack, { dir: EXAMPLE_DIR });
    const file = path.join(PIN_DIR, `${stack}.json`);
    fs.writeFileSync(file, `${JSON.stringify(pin(plan.resources), null, 2)}\n`);
    console.log(`pinned ${plan.resources.filter((r) => r.custom).length} resources of ${stack} in ${path.relative(process.cwd(), file)}`);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  });
}
