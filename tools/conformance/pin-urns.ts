/**
 * npm run pin-urns [-- --out DIR]: writes examples/acmechat/urns/<stack>.json, the URNs and replace-forcing
 * properties of the example's stacks (examples/acmechat/Pulumi.<stack>.yaml). test/program/urn-pin.test.ts compares every plan
 * against them, so a change that would replace or delete a deployed resource fails the
 * tests. Run it only after deciding that such a change is intended (and say so in the commit).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { pin } from "../../lib/conformance/replacements";
import { planStack } from "../offline/plan";
import { EXAMPLE_DIR } from "../offline/stack-files";

export const PIN_DIR = path.join(EXAMPLE_DIR, "urns");

/** Pins each example stack into `dir` (default: where the URN pin test reads them); returns the files written. */
export async function writePins(dir = PIN_DIR, log: (line: string) => void = console.log): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const stack of ["prod", "staging"]) {
    const plan = await planStack(stack, { dir: EXAMPLE_DIR });
    const file = path.join(dir, `${stack}.json`);
    fs.writeFileSync(file, `${JSON.stringify(pin(plan.resources), null, 2)}\n`);
    log(`pinned ${plan.resources.filter((r) => r.custom).length} resources of ${stack} in ${path.relative(process.cwd(), file)}`);
    files.push(file);
  }
  return files;
}

if (require.main === module) {
  // --out DIR writes the pins elsewhere, to compare them with the committed ones before re-pinning.
  const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });
  writePins(values.out).catch((err: Error) => {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  });
}
