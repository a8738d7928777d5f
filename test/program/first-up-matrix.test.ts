/**
 * Issue "First pulumi up succeeds on every plan": the shipped prod stack on each zone plan,
 * apex and www canonical, with Slack alerts, webhook routes and adopted records and rulesets,
 * passes the conformance checks (what the providers and engine refuse) and the policy pack.
 */
import { strict as assert } from "assert";
import { planStack } from "../../tools/offline/plan";
import { conformanceOf, REPO_ROOT } from "../../tools/conformance/run";
import { evaluatePolicies, hasMandatoryViolation } from "../../tools/policy/offline";
import { makeWwwCanonical, shippedConfig } from "../helpers/stack-config";

const PLANS = ["free", "pro", "business", "enterprise"] as const;

describe("first pulumi up: every plan, both canonical hosts, adoption", function () {
  this.timeout(60_000);
  for (const plan of PLANS) {
    for (const canonical of ["apex", "www"] as const) {
      it(`${plan}, ${canonical} canonical, Slack, Stripe webhooks, an adopted record and ruleset`, async () => {
        const config = shippedConfig("prod");
        config["launch-ready:zone"].plan = plan;
        if (canonical === "www") makeWwwCanonical(config);
        config["launch-ready:zone"].existingRecords = { "@ TXT spf": "cccccccccccccccccccccccccccccccc" };
        config["launch-ready:zone"].existingRulesets = { http_request_firewall_custom: "dddddddddddddddddddddddddddddddd" };
        assert.ok(config["launch-ready:alerts"].slack, "the shipped prod stack alerts Slack");
        const p = await planStack("prod", { stackFile: { config } });
        const checked = conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT });
        assert.deepEqual(
          checked.findings.map((f) => `${f.name} ${f.property}: ${f.message}`),
          [],
        );
        assert.deepEqual(checked.skipped, []);
        const verdicts = await evaluatePolicies(p.resources, { stackTags: new Map() });
        assert.equal(
          hasMandatoryViolation(verdicts),
          false,
          verdicts
            .filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory")
            .map((v) => `${v.policyName}: ${v.violations.map((x) => x.message).join("; ")}`)
            .join("\n"),
        );
        assert.ok(p.resources.some((r) => r.opts.importId?.endsWith("/dddddddddddddddddddddddddddddddd")));
      });
    }
  }
});
