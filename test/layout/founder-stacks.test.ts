/**
 * The repository root belongs to the founder: whatever stack files they keep there, the example
 * and the tests never meet them (issue 22, item 1). In a copy of this repository (its own root, so
 * the real one is never written), first with no stack file at the root as on a fresh clone, then
 * with two founder stack files there, one of them named prod like the example's: mybot.ai (Pro zone,
 * www canonical, Google Workspace) and opsgpt.dev (Business zone, apex canonical, Fastmail and
 * Postmark, AWS in eu-west-1). For every test of the suite, the root hook (test/root-hooks.ts,
 * test/helpers/root-stack-guard.ts) fails any that reads a stack file at the root in-process.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { copyOfRepository } from "../helpers/repository-copy";
import { ROOT } from "../../tools/offline/stack-files";
import { spawnCli, spawnNode } from "../helpers/cli";

const FOUNDER_STACKS = {
  prod: path.join(ROOT, "test", "tools", "adopt", "fixtures", "Pulumi.mybot.yaml"),
  opsgpt: path.join(ROOT, "test", "fixtures", "founder", "Pulumi.opsgpt.yaml"),
};
describe("founder stack files at the repository root (a copy of the repository)", function () {
  this.timeout(300_000);
  let repo: string;
  /** A tool of the copy, run as `npm run <tool> -- <args>` runs it. */
  const tool = (name: string, ...args: string[]) => spawnCli(name, args, { root: repo, env: { ...process.env, NO_COLOR: "1" } });
  const planJson = (...args: string[]) => {
    const run = tool("plan", ...args, "--json", "--no-policy");
    assert.equal(run.code, 0, run.err + run.out.slice(-2000));
    return JSON.parse(run.out);
  };
  before(() => {
    repo = copyOfRepository();
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("on a fresh clone (no stack file at the root), npm run plan plans the example and says so in one line", () => {
    assert.deepEqual(
      fs.readdirSync(repo).filter((f) => /^Pulumi\..+\.yaml$/.test(f)),
      [],
    );
    const { code, out, err } = tool("plan");
    assert.equal(code, 0, err + out.slice(-2000));
    assert.equal(
      err,
      "No stack file at the repository root: planning the AcmeChat example (examples/acmechat/Pulumi.prod.yaml); write one with `npm run init` for your own.\n",
    );
    assert.match(out, /^Offline plan for stack "prod" of launch-ready: \d+ resources/);
    assert.match(out, /^Conformance: passed/m);
    assert.match(out, /Policy verdict: passed \(no mandatory violation\)/);
    assert.ok(out.includes("acmechat.dev"));
  });

  describe("with two founder stack files at the root", () => {
    before(() => {
      for (const [stack, file] of Object.entries(FOUNDER_STACKS)) fs.copyFileSync(file, path.join(repo, `Pulumi.${stack}.yaml`));
    });

    it("--stack NAME plans the founder's file, prod included, clean", () => {
      const prod = planJson("--stack", "prod");
      assert.equal(prod.outputs.domainMap.canonicalOrigin, "https://www.mybot.ai");
      assert.equal(prod.outputs.domainMap.zone.plan, "pro");
      assert.equal(prod.conformance.passed, true);
      const opsgpt = planJson("--stack", "opsgpt");
      assert.equal(opsgpt.outputs.domainMap.canonicalOrigin, "https://opsgpt.dev");
      assert.equal(opsgpt.outputs.domainMap.zone.plan, "business");
      assert.equal(opsgpt.conformance.passed, true);
      assert.ok(!JSON.stringify([prod, opsgpt]).includes("acmechat"), "nothing of the example in the founder's plans");
    });

    it("without --stack, or with one that does not exist, names the founder's stacks and npm run init", () => {
      const unnamed = tool("plan");
      assert.equal(unnamed.code, 2);
      assert.match(unnamed.err, /^several stack files at the repository root \(opsgpt, prod\): name one with --stack\n/);
      const unknown = tool("plan", "--stack", "nope");
      assert.equal(unknown.code, 1);
      assert.equal(
        unknown.err,
        "error: no stack file Pulumi.nope.yaml at the repository root (stack files there: opsgpt, prod): write one with `npm run init`; " +
          "the AcmeChat example's stacks are planned with --dir examples/acmechat --stack prod (or staging)\n",
      );
    });

    it("the example still plans from examples/acmechat with the URNs pinned before it moved there", () => {
      for (const stack of ["prod", "staging"]) {
        const plan = planJson("--dir", path.join("examples", "acmechat"), "--stack", stack);
        const urns = plan.resources.filter((r: { custom: boolean }) => r.custom).map((r: { urn: string }) => r.urn);
        const pinned = JSON.parse(fs.readFileSync(path.join(repo, "examples", "acmechat", "urns", `${stack}.json`), "utf8")).map((p: { urn: string }) => p.urn);
        assert.deepEqual(urns.sort(), pinned.sort(), stack);
      }
    });

    it("handover --stack reads the founder's file by the same rule", () => {
      const { code, out, err } = tool("handover", "--stack", "prod");
      assert.equal(code, 0, err);
      assert.match(out, /^# Launch handover: www\.mybot\.ai \(prod\)\n/);
    });

    it("the tests that read the example (URN pins, the domain-map fixture, the handover) pass beside them, reading none", () => {
      const mocha = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");
      const files = ["test/program/urn-pin.test.ts", "test/lib/domain-map.test.ts", "test/handover/stacks.test.ts"];
      const run = spawnNode(
        [
          mocha,
          "--no-config",
          "-r",
          "ts-node/register",
          "-r",
          "test/helpers/root-stack-guard.ts",
          "-r",
          "test/root-hooks.ts",
          "--extension",
          "ts",
          "-t",
          "120000",
          ...files,
        ],
        { root: repo, timeoutMs: 240_000 },
      );
      assert.equal(run.code, 0, run.out.slice(-4000) + run.err);
      assert.match(run.out, /\d+ passing/);
      assert.doesNotMatch(run.out, /failing|pending/);
    });
  });
});
