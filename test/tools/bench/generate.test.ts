/**
 * The benchmark's generated stacks are configs the program accepts: each plans
 * offline without error and serves the expected hosts. Behaviour only; no timing.
 */
import * as assert from "assert";
import { BENCH_PLANS, expectedHosts, generateEstate, generateStack, SENDERS, SUBDOMAINS } from "../../../tools/bench/generate";
import { conformanceOf, REPO_ROOT } from "../../../tools/conformance/run";
import { RESOURCE_TYPES as T } from "../../../policies/shared/resource-types";
import { planStack } from "../../../tools/offline/plan";
import { providerMembers } from "../../../tools/bench/child";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

describe("bench: generated stacks", () => {
  it("gives every site its own zone, 8 subdomains and 2 senders, deterministically", () => {
    const estate = generateEstate(50);
    assert.strictEqual(new Set(estate.map((g) => g.zone)).size, 50);
    assert.strictEqual(new Set(estate.map((g) => g.stack)).size, 50);
    assert.deepStrictEqual(generateStack(7), estate[6]);
    for (const g of estate) {
      assert.strictEqual((g.stackFile.config["launch-ready:subdomains"] as unknown[]).length, SUBDOMAINS.length);
      assert.strictEqual((g.stackFile.config["launch-ready:email"] as { senders: unknown[] }).senders.length, SENDERS);
    }
  });

  for (const i of [1, 2]) {
    it(`site ${i} plans offline with the expected hosts and passes the mandatory policies`, async () => {
      const g = generateStack(i);
      const plan = await planStack(g.stack, { stackFile: g.stackFile });
      assert.strictEqual(plan.domainMap.zone.name, g.zone);
      assert.deepStrictEqual(plan.domainMap.hosts.map((h) => h.hostname).sort(), expectedHosts(g).sort());
      assert.ok(plan.resources.length > 50, `only ${plan.resources.length} resources`);
      const { evaluatePolicies, hasMandatoryViolation } = await import("../../../tools/policy/offline");
      assert.strictEqual(hasMandatoryViolation(await evaluatePolicies(plan.resources)), false);
    });
  }

  for (const i of [1, 2, 3, 4]) {
    it(`site ${i} (zone plan ${BENCH_PLANS[i % BENCH_PLANS.length]}) passes the conformance stage, every record comment within its plan`, async () => {
      const g = generateStack(i);
      const tier = BENCH_PLANS[i % BENCH_PLANS.length];
      const plan = await planStack(g.stack, { stackFile: g.stackFile });
      const checked = conformanceOf({ resources: plan.resources, config: plan.config, project: plan.project, programDir: REPO_ROOT });
      assert.deepStrictEqual(
        checked.findings.map((f) => `${f.name} ${f.property}: ${f.message}`),
        [],
      );
      const records = plan.resources.filter((r) => r.type === T.dnsRecord);
      const limit = tier === "free" ? 100 : 500;
      for (const r of records) assert.ok([...String(r.props.comment)].length <= limit, `${r.name}: ${r.props.comment}`);
      // The apex CAA record names every host it serves where the plan allows it, and how many on Free.
      const caa = records.find((r) => (r.props.data as { value?: string } | undefined)?.value === "letsencrypt.org")!;
      if (tier === "free")
        assert.match(String(caa.props.comment), /^launch-ready: CAA lets letsencrypt\.org issue certificates for 6 hosts of brand0\d\.example$/);
      else assert.match(String(caa.props.comment), new RegExp(`issue for ${g.zone.replace(/\./g, "\\.")}, `));
      // Blog, help and cdn are proxied to origins of their own: Smart Tiered Cache can place an upper tier near them.
      assert.strictEqual(plan.resources.filter((r) => r.type === T.tieredCache).length, 1);
    });
  }

  it("finds the provider classes the components use", () => {
    const members = providerMembers(path.join(__dirname, "..", "..", "..", "components")).map((m) => `${m.pkg}:${m.member.join(".")}`);
    assert.ok(members.includes("@pulumi/cloudflare:Ruleset"), members.join(", "));
    assert.ok(
      members.some((m) => m.startsWith("@pulumi/aws:")),
      members.join(", "),
    );
  });
});

describe("bench: the provider members it loads", () => {
  it("takes what the components construct, never a type-only reference (cloudflare.RulesetArgs has no runtime value)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-bench-"));
    try {
      fs.writeFileSync(
        path.join(dir, "c.ts"),
        [
          'import * as cloudflare from "@pulumi/cloudflare";',
          'import * as aws from "@pulumi/aws";',
          "const args: cloudflare.RulesetArgs = {} as never;",
          "const rules = [] as cloudflare.types.input.RulesetRule[];",
          'new cloudflare.Ruleset("r", args);',
          'new aws.cloudwatch.MetricAlarm("a", {} as aws.cloudwatch.MetricAlarmArgs);',
        ].join("\n"),
      );
      assert.deepEqual(
        providerMembers(dir).map((m) => `${m.pkg} ${m.member.join(".")}`),
        ["@pulumi/cloudflare Ruleset", "@pulumi/aws cloudwatch.MetricAlarm"],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
