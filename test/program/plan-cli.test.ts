import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { main } from "../../tools/cli/plan";
import { ROOT, runMain, spawnCli } from "../helpers/cli";

/** The AcmeChat example's stack files (never the founder's at the root). */
const EXAMPLE = ["--dir", path.join("examples", "acmechat")];

/** `npm run plan -- <args>`, in-process through main(argv, io). */
const plan = (...args: string[]) => runMain(main, args);

describe("npm run plan, end to end", function () {
  this.timeout(180_000);

  for (const stack of ["prod", "staging"]) {
    it(`plans ${stack} from its stack file, prints every component and passes the policy pack`, async () => {
      const { code, out, err } = await plan(...EXAMPLE, "--stack", stack);
      assert.equal(code, 0, err + out.slice(-2000));
      assert.match(out, new RegExp(`Offline plan for stack "${stack}" of launch-ready: \\d+ resources`));
      for (const component of ["Domain", "EmailAuth", "Hosting", "Uptime"]) assert.match(out, new RegExp(`^  ${component} "`, "m"));
      assert.match(out, /Policy verdict: passed \(no mandatory violation\)/);
      assert.ok(!out.includes("offline-placeholder"), "no secret placeholder is printed");
      // The summary leads: counts by kind, the verdict and the top findings within the first 15 lines.
      const head = out.split("\n").slice(0, 15).join("\n");
      assert.match(head, /^To create: \d+:\n {2}\d+ [a-z]+\.[A-Za-z]+, /m);
      assert.match(head, /\b\d+ cloudflare\.DnsRecord\b/);
      assert.match(
        head,
        /^Verdict: `pulumi up` would go ahead once the secrets below are set \(conformance passed; 0 mandatory and \d+ advisory policy violation\(s\) of \d+ policies; \d+ secret\(s\) not set\)\.$/m,
      );
      assert.match(head, /^Top findings:\n {2}- \[secret\] \d+ secret\(s\) not set/m);
      // Raw rule expressions are folded in the text (whole with --verbose and in --json).
      const ruleLines = out.split("\n").filter((l) => /^\s+- (redirect|block|managed_challenge|set_cache_settings|compress_response)/.test(l));
      assert.ok(stack === "staging" || ruleLines.length > 3, "prod declares the zone's rules; staging shares prod's zone and declares none");
      for (const l of ruleLines) assert.ok([...l].length <= 200, l);
    });
  }

  it("--verbose prints the rule expressions whole; --help describes every option", async () => {
    const verbose = await plan(...EXAMPLE, "--stack", "prod", "--no-policy", "--verbose");
    assert.equal(verbose.code, 0, verbose.err);
    assert.ok(
      verbose.out.split("\n").some((l) => [...l].length > 200 && /^\s+- set_cache_settings/.test(l)),
      "a whole cache rule",
    );
    assert.doesNotMatch(verbose.out, /are folded/);
    const help = await plan("--help");
    assert.equal(help.code, 0);
    const source = fs.readFileSync(path.join(ROOT, "tools", "cli", "plan.ts"), "utf8");
    const options = [...source.slice(source.indexOf("options: {"), source.indexOf("strict: true")).matchAll(/^\s+"?([a-z-]+)"?: \{ type/gm)].map((m) => m[1]);
    assert.ok(options.length >= 12, options.join(","));
    for (const o of options) assert.match(help.out, new RegExp(`^  --${o}\\b.*\\S`, "m"), `--${o} is described`);
  });

  it("a mandatory violation puts REFUSED in the verdict line and the violation first among the findings", async () => {
    const file = path.join(os.tmpdir(), `launch-ready-policy-head-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ "dmarc-enforcing-policy": "mandatory" }));
    try {
      const { code, out } = await plan(...EXAMPLE, "--stack", "prod", "--policy-config", file);
      assert.equal(code, 1);
      const head = out.split("\n").slice(0, 15).join("\n");
      assert.match(head, /^Verdict: REFUSED: `pulumi up` would not go ahead \(conformance passed; 1 mandatory and \d+ advisory/m);
      assert.match(head, /^Top findings:\n {2}- \[mandatory\] dmarc-enforcing-policy: DMARC at _dmarc\.acmechat\.dev is p=none/m);
    } finally {
      fs.unlinkSync(file);
    }
  });

  it("prints the plan and the verdicts as JSON with --json, secrets redacted", async () => {
    const { code, out } = await plan(...EXAMPLE, "--stack", "prod", "--json");
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.equal(json.stack, "prod");
    assert.equal(json.policy.passed, true);
    assert.ok(json.resources.length > 50);
    const openai = json.resources.find((r: any) => r.name === "launch-ready-hosting-production-OPENAI_API_KEY");
    assert.equal(openai.props.value, "[secret]");
    assert.equal(json.outputs.domainMap.canonicalOrigin, "https://acmechat.dev");
    assert.ok(!out.includes("offline-placeholder"));
  });

  it("takes a policy config file like --policy-pack-config: DMARC p=none made mandatory fails the plan", async () => {
    const file = path.join(os.tmpdir(), `launch-ready-policy-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ "dmarc-enforcing-policy": "mandatory" }));
    try {
      const { code, out } = await plan(...EXAMPLE, "--stack", "prod", "--policy-config", file);
      assert.equal(code, 1);
      assert.match(out, /^MANDATORY\s+dmarc-enforcing-policy\s+launch-ready-email-auth-_dmarc-TXT-dmarc\s+DMARC at _dmarc\.acmechat\.dev is p=none/m);
    } finally {
      fs.unlinkSync(file);
    }
    const shipped = await plan(...EXAMPLE, "--stack", "prod", "--policy-config", "policies/config/warming-up.json");
    assert.equal(shipped.code, 0);
    assert.match(shipped.out, /^disabled\s+waf-managed-ruleset-deployed/m);
  });

  it("fails clearly on an unknown stack and on bad usage", async () => {
    const unknown = await plan(...EXAMPLE, "--stack", "nope");
    assert.equal(unknown.code, 1);
    assert.equal(unknown.err, "error: no stack file Pulumi.nope.yaml in examples/acmechat (stack files there: prod, staging): write one with `npm run init`\n");
    const unnamed = await plan(...EXAMPLE);
    assert.equal(unnamed.code, 2);
    assert.match(unnamed.err, /^several stack files in examples\/acmechat \(prod, staging\): name one with --stack\n/);
    const usage = await plan("--frobnicate");
    assert.equal(usage.code, 2);
    assert.match(usage.err, /Unknown option '--frobnicate'/);
    assert.match(usage.err, /^usage: npm run plan/m);
    // Each bad option value is refused before anything is planned, naming the option and what it takes.
    for (const [args, message] of [
      [["--stack", "my stack"], "--stack needs a stack name"],
      [["--zone-plan", "gold"], '--zone-plan must be one of free, pro, business, enterprise, enterprise_arl (got "gold")'],
      [["--allow-delete", "x"], "--allow-delete needs --state (the deployed state it allows a delete from)"],
      [["--program", "no/such/program.ts"], "--program no/such/program.ts: no such file"],
    ] as const) {
      const bad = await plan(...EXAMPLE, ...args);
      assert.equal(bad.code, 2, args.join(" "));
      assert.equal(bad.err.split("\n")[0], message);
      assert.equal(bad.out, "");
    }
    // --stack-traces keeps the trace of a failure.
    const traced = await plan(...EXAMPLE, "--stack", "nope", "--stack-traces");
    assert.equal(traced.code, 1);
    assert.match(traced.err, /^error: no stack file Pulumi\.nope\.yaml[^]*\n {4}at /);
  });

  it("runs as a user runs it: a fresh node process, exit code and output through stdout", () => {
    const { code, out, err } = spawnCli("plan", [...EXAMPLE, "--stack", "staging", "--no-policy"]);
    assert.equal(code, 0, err);
    assert.match(out, /^Offline plan for stack "staging" of launch-ready: \d+ resources/);
    assert.match(out, /^Resources declared:$/m);
  });
});
