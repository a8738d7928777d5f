/**
 * The policy pack as users run it: its real analyzer server (the one `pulumi preview
 * --policy-pack policies` starts), driven over gRPC as the engine drives it; the pack
 * packed with `npm pack` and loaded on its own; and the in-process evaluator the unit tests
 * use, proven to give the same verdicts.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planExample } from "../helpers/stack-config";
import type { PlannedResource } from "../../lib/planned/types";
import { PolicyConfigError } from "../../tools/policy/config";
import { judgeWithAnalyzer, PACK_DIR, packInstalledProblem, PolicyAnalyzer } from "../../tools/policy/analyzer";
import { analyzerReuse, launchAnalyzer, reuseAnalyzers, stopLaunched } from "../../tools/policy/launch";
import { evaluatePolicies, hasMandatoryViolation } from "../../tools/policy/offline";
import { allPolicies } from "../../policies/rules";
import { badStack, envVar, goodStack, relativeGoodStack, secret } from "../fixtures/policies/stacks";

const judge = (resources: PlannedResource[], policyConfig = {}, packDir = PACK_DIR) =>
  judgeWithAnalyzer(resources, { packDir, stack: "prod", project: "launch-ready", policyConfig });

describe("policy pack: the real analyzer server", function () {
  this.timeout(120_000);
  before(() => assert.equal(packInstalledProblem(PACK_DIR), undefined));

  it("reports every policy with its metadata (severity, remediation steps, docs URL), as GetAnalyzerInfo", async () => {
    const analyzer = await PolicyAnalyzer.start({ packDir: PACK_DIR, stack: "prod", project: "launch-ready" });
    try {
      assert.match(await analyzer.pluginVersion(), /^\d+\.\d+\.\d+/);
      const info = await analyzer.info();
      assert.equal(info.name, "launch-ready-minimum-bar");
      assert.deepEqual(
        info.policies.map((p) => p.name),
        allPolicies.map((p) => p.name),
      );
      for (const p of info.policies) {
        assert.ok(["low", "medium", "high", "critical"].includes(p.severity ?? ""), `${p.name} has a severity`);
        assert.ok((p.remediationSteps ?? "").length > 20, `${p.name} has remediation steps`);
        assert.match(p.url ?? "", /^https:\/\/\S+$/, `${p.name} links its documentation`);
      }
    } finally {
      analyzer.close();
    }
  });

  it("a kept server (reuseAnalyzers, as the suite runs) serves one stack's judgements in turn, each with the config it sends", async () => {
    const opts = { packDir: PACK_DIR, stack: "prod", project: "launch-ready" };
    const pidOf = async (stackConfig?: Record<string, string>) => {
      const launched = await launchAnalyzer({ ...opts, stackConfig });
      stopLaunched(launched);
      return launched.child.pid;
    };
    const suite = analyzerReuse();
    try {
      reuseAnalyzers(false);
      reuseAnalyzers(true);
      const kept = await pidOf();
      assert.equal(await pidOf(), kept, "the same server again");
      const resources = await badStack();
      // Configure is sent anew: a policy made mandatory, then the defaults again, on the one server.
      const strict = await judge(resources, { "dmarc-enforcing-policy": "mandatory" });
      const plain = await judge(resources);
      assert.equal(strict.find((v) => v.policyName === "dmarc-enforcing-policy")!.enforcementLevel, "mandatory");
      assert.equal(plain.find((v) => v.policyName === "dmarc-enforcing-policy")!.enforcementLevel, "advisory");
      assert.equal(await pidOf(), kept);
      // The stack's config is in the server's environment (PULUMI_CONFIG): another config, another server, unless the pack reads none.
      const configured = await pidOf({ "launch-ready:environment": "production" });
      assert.notEqual(configured, kept);
      reuseAnalyzers(true, { acrossStackConfigs: true });
      const across = await pidOf();
      assert.equal(await pidOf({ "launch-ready:environment": "staging" }), across, "one server for every config of the stack");
      // Another stack's name is another server: the engine starts each with its stack in the environment.
      const other = await launchAnalyzer({ ...opts, stack: "staging" });
      stopLaunched(other);
      assert.notEqual(other.child.pid, kept);
      // Off, every launch is a server of its own, stopped when done, as the engine runs one per preview.
      reuseAnalyzers(false);
      const fresh = await launchAnalyzer(opts);
      assert.notEqual(fresh.child.pid, kept);
      stopLaunched(fresh);
      await new Promise((r) => fresh.child.once("exit", r));
    } finally {
      // The suite's own mode again, whatever failed above.
      reuseAnalyzers(false);
      reuseAnalyzers(suite.on, suite);
    }
  });

  it("a kept server that fails to start fails every judgement queued on it, and holds none of them up", async function () {
    // Below the 10 s a judgement waits for the one before it: a queue left held would fail this test by its timeout.
    this.timeout(8_000);
    const suite = analyzerReuse();
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-no-pack-"));
    try {
      reuseAnalyzers(true);
      const opts = { packDir: broken, stack: "prod", project: "launch-ready" };
      const queued = [launchAnalyzer(opts), launchAnalyzer(opts), launchAnalyzer(opts)];
      for (const launch of queued) await assert.rejects(launch, /Cannot find module/);
      await assert.rejects(launchAnalyzer(opts), /Cannot find module/, "a later judgement starts afresh");
    } finally {
      reuseAnalyzers(false);
      reuseAnalyzers(suite.on, suite);
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  const cases: Array<[string, () => Promise<PlannedResource[]>, Record<string, unknown>?]> = [
    ["the example prod stack", async () => (await planExample("prod")).resources],
    ["the example staging stack", async () => (await planExample("staging")).resources],
    ["the good fixture stack", async () => goodStack()],
    ["the bad fixture stack", async () => badStack()],
    ["the good stack written with zone-relative names and a Zone resource", async () => relativeGoodStack("resource")],
    [
      "prod under the warming-up policy config",
      async () => (await planExample("prod")).resources,
      JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", "warming-up.json"), "utf8")),
    ],
    [
      "the bad stack with every policy mandatory and one disabled",
      async () => badStack(),
      { all: "mandatory", "dmarc-enforcing-policy": "disabled", "cloudflare-hsts": { minMaxAge: 31536000 } },
    ],
  ];
  for (const [name, resources, config] of cases) {
    it(`gives the same verdicts as the in-process evaluator: ${name}`, async () => {
      const stack = await resources();
      const real = await judge(stack, config);
      const imitation = await evaluatePolicies(stack, { config: config as never });
      assert.deepEqual(real, imitation);
    });
  }

  it("the bad stack fails the bar through the real server too", async () => {
    const verdicts = await judge(badStack());
    assert.equal(hasMandatoryViolation(verdicts), true);
    assert.ok(verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory").length >= 5);
  });

  it("receives secrets as the engine marshals them, and never prints their value", async () => {
    const value = "sk_live_51HqLyjWDarjtT1zdp7dcXYZ";
    const stack = [...goodStack(), envVar("NEXT_PUBLIC_STRIPE_KEY", secret(value), ["production"], true)];
    const verdicts = await judge(stack);
    const clientSecrets = verdicts.find((v) => v.policyName === "vercel-env-no-client-exposed-secrets")!;
    assert.equal(clientSecrets.status, "violation", "the policy saw the unwrapped value");
    assert.ok(!JSON.stringify(verdicts).includes(value));
  });

  it("validates the policy config as JSON Schema before Configure, as the engine does", async () => {
    await assert.rejects(
      judge(goodStack(), { "cloudflare-hsts": { minMaxAge: -5 } }),
      (e: Error) => e instanceof PolicyConfigError && /cloudflare-hsts\.minMaxAge: must be >= 0/.test(e.message),
    );
  });

  it("npm pack of policies/, installed on its own, loads from JavaScript and judges", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-pack-"));
    try {
      const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: PACK_DIR, encoding: "utf8" }).trim().split("\n").pop()!;
      execFileSync("tar", ["xzf", path.join(dir, tgz), "-C", dir]);
      const pack = path.join(dir, "package");
      const files = execFileSync("find", [".", "-type", "f"], { cwd: pack, encoding: "utf8" }).split("\n").filter(Boolean).sort();
      assert.ok(files.includes("./bin/index.js") && files.includes("./PulumiPolicy.yaml"), files.join(" "));
      // Alone: nothing beside it to reach into, only its own dependencies (linked, as `npm install` would place them).
      fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(pack, "node_modules"), "dir");
      const main = JSON.parse(fs.readFileSync(path.join(pack, "package.json"), "utf8")).main;
      assert.equal(main, "bin/index.js");
      for (const f of files.filter((x) => x.endsWith(".js"))) {
        for (const [, spec] of fs.readFileSync(path.join(pack, f), "utf8").matchAll(/require\("(\.[^"]+)"\)/g)) {
          assert.ok(path.resolve(pack, path.dirname(f), spec).startsWith(pack + path.sep), `${f} requires ${spec}, outside the pack`);
        }
      }
      const stack = (await planExample("prod")).resources;
      assert.deepEqual(await judge(stack, {}, pack), await judge(stack));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("CI for users: the example workflow", () => {
  const workflow = require("js-yaml").load(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "github", "launch-ready.yml"), "utf8"));
  const root = path.join(__dirname, "..", "..");
  const steps = (job: string): any[] => workflow.jobs[job].steps;
  const listStep = steps("stacks").find((s) => s.id === "list");
  /** Runs the workflow's own stack-listing script in `dir`, as the runner's bash does; returns its exit code, output and log. */
  const listStacks = (dir: string) => {
    const out = path.join(dir, "github-output");
    fs.writeFileSync(out, "");
    const run = spawnSync("bash", ["-e", "-c", listStep.run], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_OUTPUT: out }, encoding: "utf8" });
    return { code: run.status, output: fs.readFileSync(out, "utf8"), log: run.stdout + run.stderr };
  };

  it("runs what a founder's repository needs and none of this project's checks: install, the offline plan, the pack", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts);
    const stateSteps = [
      ...steps("state-diff").filter((s) => s.id === "state-diff" || s.name === "Install the Pulumi CLI"),
      ...steps("verify").filter((s) => s.id === "verify"),
    ];
    const runs = Object.values<any>(workflow.jobs).flatMap((job) =>
      job.steps.filter((s: any) => s.run && s !== listStep && !stateSteps.includes(s)).map((s: any) => s.run.trim()),
    );
    assert.deepEqual([...new Set(runs)].sort(), ["npm ci", "npm ci --prefix policies", "npm run plan -- --stack ${{ matrix.stack }}"]);
    assert.ok(scripts.includes("plan"));
    assert.ok(fs.existsSync(path.join(root, "policies", "package-lock.json")), "npm ci --prefix policies has a lockfile");
    for (const forbidden of [/\bnpm (test|run (test|lint|coverage|typecheck|pin-urns|fixtures))\b/, /\bmocha\b/, /\.ci\/run/]) {
      assert.ok(!runs.some((r) => forbidden.test(r)), `${forbidden} is this project's check, not the founder's`);
    }
  });

  it("diffs each stack against its deployed state on pull requests: the export from the backend, no provider credential, the diff in the job summary, the guard's exit code kept", () => {
    const job = workflow.jobs["state-diff"];
    assert.equal(job.if, "github.event_name == 'pull_request'");
    const step = job.steps.find((s: any) => s.id === "state-diff");
    assert.deepEqual(Object.keys(step.env).sort(), ["PULUMI_ACCESS_TOKEN", "STACK"], "the backend's token only");
    assert.ok(!job.steps.some((s: any) => /configure-aws-credentials|pulumi\/actions/.test(s.uses ?? "")), "no provider credential, no preview");
    assert.match(step.run, /pulumi stack export --stack "\$STACK" > "\$state"/);
    assert.match(step.run, /npm run --silent plan -- --stack "\$STACK" --no-policy --state "\$state" "\$\{allow\[@\]\}"/);
    assert.match(step.run, />> "\$GITHUB_STEP_SUMMARY"/);
    assert.match(step.run, /exit \$status\s*$/);
    // The script runs as written, with a stand-in pulumi and npm: the summary gets the diff, the job the plan's exit code.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-state-step-"));
    try {
      const bin = path.join(dir, "bin");
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\necho '{\"version\":3}'\n", { mode: 0o755 });
      fs.writeFileSync(
        path.join(bin, "npm"),
        '#!/bin/sh\necho "args: $*"\necho "Offline plan for stack s"\necho "State diff against x: 1 to delete."\necho "Resources declared:"\necho "+ a resource"\nexit 1\n',
        { mode: 0o755 },
      );
      fs.writeFileSync(path.join(dir, "launch-ready.allow-delete"), "launch-ready-domain-docs-web\n");
      const summary = path.join(dir, "summary.md");
      const run = spawnSync("bash", ["-e", "-c", step.run], {
        cwd: dir,
        env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: dir, STACK: "prod" },
        encoding: "utf8",
      });
      assert.equal(run.status, 1, run.stderr);
      const written = fs.readFileSync(summary, "utf8");
      assert.match(
        written,
        /^### State diff of prod\n```\nargs: run --silent plan -- --stack prod --no-policy --state .*state\.json --allow-delete launch-ready-domain-docs-web\nOffline plan for stack s\nState diff against x: 1 to delete\.\n```\n$/,
      );
      assert.ok(!fs.existsSync(path.join(dir, "state.json")), "the export is removed");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("plans, previews and applies each stack file at the repository root, whatever the founder named them", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-workflow-"));
    try {
      for (const f of ["Pulumi.yaml", "Pulumi.mybot.yaml", "Pulumi.mybot-staging.yaml", "README.md"]) fs.writeFileSync(path.join(dir, f), "config: {}\n");
      const listed = listStacks(dir);
      assert.equal(listed.code, 0, listed.log);
      const [, json] = /^stacks=(.*)\n$/.exec(listed.output) ?? [];
      assert.deepEqual(JSON.parse(json).sort(), ["mybot", "mybot-staging"], "every Pulumi.<stack>.yaml, and Pulumi.yaml and README.md not");
      fs.rmSync(path.join(dir, "Pulumi.mybot.yaml"));
      fs.rmSync(path.join(dir, "Pulumi.mybot-staging.yaml"));
      const none = listStacks(dir);
      assert.equal(none.code, 1);
      assert.match(none.log, /no Pulumi\.<stack>\.yaml at the repository root: npm run init writes one/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const job of ["check", "preview", "up"]) {
      assert.deepEqual(workflow.jobs[job].strategy.matrix.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}", `${job} runs once per stack`);
      assert.ok([workflow.jobs[job].needs].flat().includes("stacks"));
    }
    assert.equal(workflow.jobs.stacks.outputs.stacks, "${{ steps.list.outputs.stacks }}");
  });

  it("previews with the pack on pull requests and applies with it on main, after the offline plan", () => {
    const { preview, up, check } = workflow.jobs;
    assert.ok(check.steps.some((s: any) => s.run === "npm ci"));
    assert.ok(check.steps.some((s: any) => s.run === "npm run plan -- --stack ${{ matrix.stack }}"));
    const pulumi = (job: any) => job.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@")).with;
    assert.equal(preview.if, "github.event_name == 'pull_request'");
    assert.ok(preview.needs.includes("check"));
    assert.deepEqual(pulumi(preview), { command: "preview", "stack-name": "${{ matrix.stack }}", policyPacks: "policies", "comment-on-pr": true });
    assert.equal(up.if, "github.event_name == 'push' && github.ref == 'refs/heads/main'");
    assert.ok(up.needs.includes("check"));
    assert.deepEqual(pulumi(up), { command: "up", "stack-name": "${{ matrix.stack }}", policyPacks: "policies" });
    assert.ok(fs.existsSync(path.join(root, "policies", "PulumiPolicy.yaml")));
  });
});
