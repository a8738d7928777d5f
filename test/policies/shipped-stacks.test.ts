/**
 * The shipped stack files, planned offline by the program, meet the bar: no
 * mandatory violation in Pulumi.prod.yaml or Pulumi.staging.yaml.
 */
import * as assert from "assert";
import { planExample } from "../helpers/stack-config";
import { evaluatePolicies, formatVerdicts, hasMandatoryViolation } from "../../tools/policy/offline";

describe("policies: shipped stacks", function () {
  this.timeout(120000);

  for (const stack of ["prod", "staging"] as const) {
    it(`Pulumi.${stack}.yaml has no mandatory violation`, async () => {
      const plan = await planExample(stack);
      assert.ok(plan.resources.length > 0);
      const verdicts = await evaluatePolicies(plan.resources);
      assert.strictEqual(hasMandatoryViolation(verdicts), false, formatVerdicts(verdicts, { showPassing: false }));
    });
  }

  it("staging leaves zone-wide config to prod (advisory note, not a violation)", async () => {
    const verdicts = await evaluatePolicies((await planExample("staging")).resources);
    const shared = verdicts.find((v) => v.policyName === "shared-zone-ownership")!;
    assert.strictEqual(shared.enforcementLevel, "advisory");
    assert.ok(shared.violations.some((v) => /zone-wide edge config .* is managed by another stack/.test(v.message)));
  });
});
