/**
 * The benchmark's generated stacks are configs the program accepts: each plans
 * offline without error and serves the expected hosts. Behaviour only; no timing.
 */
import * as assert from "assert";
import { expectedHosts, generateEstate, generateStack, SENDERS, SUBDOMAINS } from "../../../tools/bench/generate";
import { planStack } from "../../../tools/offline/plan";
import { providerMembers } from "../../../tools/bench/child";
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

  it("finds the provider classes the components use", () => {
    const members = providerMembers(path.join(__dirname, "..", "..", "..", "components")).map((m) => `${m.pkg}:${m.member.join(".")}`);
    assert.ok(members.includes("@pulumi/cloudflare:Ruleset"), members.join(", "));
    assert.ok(
      members.some((m) => m.startsWith("@pulumi/aws:")),
      members.join(", "),
    );
  });
});
