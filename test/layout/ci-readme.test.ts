/**
 * CI runs what README tells a user to run, as written: .ci/run's commands after its
 * "README's quick start" marker are README's quick start (one set-up command, the main job,
 * the tests) followed by its CI checks, in order; the Node version is the same everywhere.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The commands of a bash block or script: each line without its trailing comment, blank and comment lines dropped. */
const commands = (text: string) =>
  text
    .split("\n")
    .map((l) => l.replace(/\s+#\s.*$/, "").trim())
    .filter((l) => l && !l.startsWith("#"));

/** The first ```bash block after `heading` in README. */
function blockAfter(heading: string): string[] {
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `README has "${heading}"`);
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, `a bash block follows "${heading}"`);
  return commands(block[1]);
}

describe("CI runs README's commands as written", () => {
  const quickStart = blockAfter("## Quick start");
  const checks = blockAfter("then runs the three commands above as written, then these checks:");

  it("the quick start is one set-up command, the main job and the tests", () => {
    assert.deepEqual(quickStart, ["npm ci", "npm run plan", "npm test"]);
  });

  it(".ci/run runs the quick start and the checks, in order, right after setting up Node and Debian's packages", () => {
    const script = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    const marker = "# README's quick start, then its checks, as written:";
    assert.ok(script.includes(marker));
    // After README's commands, CI alone writes a founder's stack files and plans them (the "CI only" block): README's come first, whole.
    const ciOnly = script.indexOf("# CI only, after README's commands:");
    assert.ok(ciOnly > script.indexOf(marker));
    assert.deepEqual(commands(script.slice(script.indexOf(marker), ciOnly)), [...quickStart, ...checks]);
    assert.ok(!commands(script.slice(0, script.indexOf(marker))).some((l) => /\bnpm (ci|test|run)\b/.test(l)), "nothing of the project runs before");
  });

  it("names Node 22.9 or later in README, package.json engines, .nvmrc and .ci/run alike", () => {
    assert.match(readme, /Node\.js 22\.9 or later/);
    assert.equal(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node, ">=22.9");
    assert.equal(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim(), "22");
    const script = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    assert.match(script, /^NODE_MAJOR=22$/m);
    assert.match(script, /^NODE_MINOR=9$/m);
  });
});
