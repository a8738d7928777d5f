import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { failOnRootStackReads, uncoveredPolicies } from "./root-hooks";
import { installRootStackGuard, isRootStackFile, takeRootStackReads } from "./helpers/root-stack-guard";
import { EXAMPLE_DIR, ROOT } from "../tools/offline/stack-files";
import { readStackFile } from "../tools/offline/stack-config";

describe("root hook: every policy is exercised both ways", () => {
  it("names each policy never seen passing or never seen reporting a violation", () => {
    const seen = { pass: new Set(["a", "b"]), violation: new Set(["b", "c"]) };
    assert.deepEqual(uncoveredPolicies(["a", "b", "c"], seen), ["a: never seen reporting a violation", "c: never seen passing"]);
    assert.deepEqual(uncoveredPolicies(["b"], seen), []);
  });
});

describe("root hook: no test reads a stack file at the repository root (the founder's)", () => {
  before(() => installRootStackGuard());

  it("tells a root stack file from the project file, the example's and one elsewhere", () => {
    assert.ok(isRootStackFile(path.join(ROOT, "Pulumi.prod.yaml")));
    assert.ok(isRootStackFile(path.join(ROOT, "Pulumi.my-bot.yaml")));
    assert.ok(isRootStackFile(new URL(`file://${ROOT}/Pulumi.prod.yaml`)));
    assert.ok(!isRootStackFile(3), "a file descriptor names no path");
    assert.ok(!isRootStackFile(path.join(ROOT, "Pulumi.yaml")));
    assert.ok(!isRootStackFile(path.join(EXAMPLE_DIR, "Pulumi.prod.yaml")));
    assert.ok(!isRootStackFile(path.join(ROOT, "test", "Pulumi.prod.yaml")));
  });

  it("records a read of one, through fs as the stack-file reader calls it, and the hook fails naming the reader", async () => {
    takeRootStackReads();
    const probe = `Pulumi.guard-probe-${process.pid}.yaml`;
    assert.throws(() => readStackFile(probe.slice("Pulumi.".length, -".yaml".length), ROOT), /no stack file/, "a missing file is only looked for");
    assert.deepEqual(takeRootStackReads(), []);
    assert.throws(() => fs.readFileSync(path.join(ROOT, probe)), /ENOENT/);
    await assert.rejects(fs.promises.readFile(path.join(ROOT, probe)), /ENOENT/);
    assert.deepEqual(takeRootStackReads(), [path.join(ROOT, probe), path.join(ROOT, probe)]);
    assert.throws(() => fs.readFileSync(path.join(ROOT, probe)), /ENOENT/);
    assert.throws(
      () => failOnRootStackReads('"a test"'),
      new RegExp(`^Error: "a test" read ${probe.replace(/\./g, "\\.")} at the repository root: those are the founder's`),
    );
    assert.doesNotThrow(() => failOnRootStackReads('"a test"'), "each read is reported once");
    readStackFile("prod", EXAMPLE_DIR);
    assert.deepEqual(takeRootStackReads(), [], "the example is not the founder's");
  });
});
