import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** The AcmeChat example's stack files (never the founder's at the root). */
const EXAMPLE = ["--dir", path.join("examples", "acmechat")];

/** Runs `npm run plan -- <args>` the way a user does (node + ts-node, no Pulumi CLI). */
function plan(...args: string[]) {
  const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/cli/plan.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe("npm run plan, end to end", function () {
  this.timeout(180_000);

  for (const stack of ["prod", "staging"]) {
    it(`plans ${stack} from its stack file, prints every component and passes the policy pack`, () => {
      const { code, out, err } = plan(...EXAMPLE, "--stack", stack);
      assert.equal(code, 0, err + out.slice(-2000));
      assert.match(out, new RegExp(`Offline plan for stack "${stack}" of launch-ready: \\d+ resources`));
      for (const component of ["Domain", "EmailAuth", "Hosting", "Uptime"]) assert.match(out, new RegExp(`^  ${component} "`, "m"));
      assert.match(out, /Policy verdict: passed \(no mandatory violation\)/);
      assert.ok(!out.includes("offline-placeholder"), "no secret placeholder is printed");
    });
  }

  it("prints the plan and the verdicts as JSON with --json, secrets redacted", () => {
    const { code, out } = plan(...EXAMPLE, "--stack", "prod", "--json");
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

  it("takes a policy config file like --policy-pack-config: DMARC p=none made mandatory fails the plan", () => {
    const file = path.join(os.tmpdir(), `launch-ready-policy-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ "dmarc-enforcing-policy": "mandatory" }));
    try {
      const { code, out } = plan(...EXAMPLE, "--stack", "prod", "--policy-config", file);
      assert.equal(code, 1);
      assert.match(out, /^MANDATORY\s+dmarc-enforcing-policy\s+launch-ready-email-auth-_dmarc-TXT-dmarc\s+DMARC at _dmarc\.acmechat\.dev is p=none/m);
    } finally {
      fs.unlinkSync(file);
    }
    const shipped = plan(...EXAMPLE, "--stack", "prod", "--policy-config", "policies/config/warming-up.json");
    assert.equal(shipped.code, 0);
    assert.match(shipped.out, /^disabled\s+waf-managed-ruleset-deployed/m);
  });

  it("fails clearly on an unknown stack and on bad usage", () => {
    const unknown = plan(...EXAMPLE, "--stack", "nope");
    assert.equal(unknown.code, 1);
    assert.equal(unknown.err, "error: no stack file Pulumi.nope.yaml in examples/acmechat (stack files there: prod, staging): write one with `npm run init`\n");
    const unnamed = plan(...EXAMPLE);
    assert.equal(unnamed.code, 2);
    assert.match(unnamed.err, /^several stack files in examples\/acmechat \(prod, staging\): name one with --stack\n/);
    const usage = plan("--frobnicate");
    assert.equal(usage.code, 2);
    assert.match(usage.err, /Unknown option '--frobnicate'/);
    assert.match(usage.err, /^usage: npm run plan/m);
  });
});
