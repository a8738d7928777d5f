import * as assert from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { buildStackResources, configDefaults, evaluatePolicies, formatVerdicts, hasMandatoryViolation, validatePolicyConfig } from "../../tools/policy/offline";
import { allPolicies } from "../../policies/rules";
import { goodStack, record, res, secret, setting } from "../fixtures/policies/stacks";

describe("tools/policy/offline evaluator", () => {
  it("hands policies unwrapped props, the engine's args, and config defaults merged with given config", async () => {
    let seen: any;
    const probe: ResourceValidationPolicy = {
      name: "probe",
      description: "d",
      enforcementLevel: "advisory",
      configSchema: { properties: { a: { type: "number", default: 1 }, b: { type: "string", default: "x" } } },
      validateResource: (args) => {
        seen = {
          type: args.type,
          name: args.name,
          urn: args.urn,
          value: args.props.value,
          config: args.getConfig(),
          protect: args.opts.protect,
          parent: args.opts.parent,
        };
        args.notApplicable("done");
      },
    };
    const r = res("t:index/x:X", "x", { value: secret("hidden") });
    const [v] = await evaluatePolicies([r], { policies: [probe], config: { probe: { b: "y" } } });
    assert.deepStrictEqual(seen, { type: "t:index/x:X", name: "x", urn: r.urn, value: "hidden", config: { a: 1, b: "y" }, protect: false, parent: r.parent });
    assert.strictEqual(v.status, "not-applicable");
    assert.deepStrictEqual(v.notes, ["done"]);
  });

  it("scrubs secret values out of violation messages", async () => {
    const leaky: ResourceValidationPolicy = {
      name: "leaky",
      description: "d",
      enforcementLevel: "mandatory",
      validateResource: (a, report) => report(`value is ${a.props.value}`),
    };
    const [v] = await evaluatePolicies([res("t:index/x:X", "x", { value: secret("hunter2-secret") })], { policies: [leaky] });
    assert.strictEqual(v.violations[0].message, "value is [secret]");
  });

  it("applies enforcement levels from config: disabled is skipped, remediate counts as mandatory", async () => {
    const stack = [record("_dmarc.example.com", "TXT", "v=DMARC1; p=none; rua=mailto:d@example.com")];
    const off = await evaluatePolicies(stack, { config: { "dmarc-enforcing-policy": "disabled" } });
    const d = off.find((x) => x.policyName === "dmarc-enforcing-policy")!;
    assert.deepStrictEqual([d.status, d.enforcementLevel, d.violations.length], ["not-applicable", "disabled", 0]);
    const strict = await evaluatePolicies(stack, { config: { "dmarc-enforcing-policy": { enforcementLevel: "remediate" } } });
    assert.strictEqual(strict.find((x) => x.policyName === "dmarc-enforcing-policy")!.enforcementLevel, "mandatory");
    assert.strictEqual(hasMandatoryViolation(strict), true);
  });

  it("reads \"all\" like --policy-pack-config: every policy's level, a policy's own entry still winning", async () => {
    const stack = [record("_dmarc.example.com", "TXT", "v=DMARC1; p=none; rua=mailto:d@example.com")];
    const all = await evaluatePolicies(stack, { config: { all: "mandatory", "dmarc-at-apex": "advisory" } });
    assert.strictEqual(all.find((x) => x.policyName === "dmarc-enforcing-policy")!.enforcementLevel, "mandatory");
    assert.strictEqual(all.find((x) => x.policyName === "dmarc-at-apex")!.enforcementLevel, "advisory");
    assert.throws(() => validatePolicyConfig({ all: "loud" as any }, allPolicies), /all: enforcement level "loud"/);
  });

  it('refuses "all" with settings and no level, as the Pulumi CLI does; "all" with a level, or empty, passes', () => {
    assert.throws(
      () => validatePolicyConfig({ all: { minMaxAge: 31536000 } as any }, allPolicies),
      (e: Error) => /all: settings \(minMaxAge\) without an enforcementLevel/.test(e.message) && /invalid enforcement level ""/.test(e.message),
    );
    assert.doesNotThrow(() => validatePolicyConfig({ all: { enforcementLevel: "advisory", minMaxAge: 31536000 } as any }, allPolicies));
    assert.doesNotThrow(() => validatePolicyConfig({ all: {} as any, "cloudflare-hsts": { minMaxAge: 31536000 } }, allPolicies));
  });

  it("rejects config for unknown policies, unknown settings and wrong types", () => {
    assert.throws(() => validatePolicyConfig({ "no-such-policy": "advisory" }, allPolicies), /not a policy of this pack/);
    assert.throws(() => validatePolicyConfig({ "cloudflare-hsts": { minMaxAge: "long" } }, allPolicies), /cloudflare-hsts\.minMaxAge: must be integer/);
    // JSON Schema keywords beyond the type are enforced too (ajv), as the engine's gojsonschema does.
    assert.throws(() => validatePolicyConfig({ "cloudflare-hsts": { minMaxAge: -5 } }, allPolicies), /cloudflare-hsts\.minMaxAge: must be >= 0/);
    assert.throws(() => validatePolicyConfig({ "cloudflare-hsts": { maxage: 1 } }, allPolicies), /unknown setting "maxage"/);
    assert.throws(() => validatePolicyConfig({ "cloudflare-hsts": "strict" as any }, allPolicies), /enforcement level "strict"/);
  });

  it("turns an unknown value into a preview note, like the engine, and a crash into a blocking error", async () => {
    const reads: ResourceValidationPolicy = {
      name: "reads",
      description: "d",
      enforcementLevel: "advisory",
      validateResource: (a) => void a.props.content.length,
    };
    const [u] = await evaluatePolicies([res("t:index/x:X", "x", { content: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })], { policies: [reads] });
    assert.strictEqual(u.status, "pass");
    assert.match(u.notes[0], /can't run on x during preview: string value at .content can't be known during preview/);
    const crash: StackValidationPolicy = {
      name: "crash",
      description: "d",
      enforcementLevel: "advisory",
      validateStack: () => {
        throw new Error("boom");
      },
    };
    const [c] = await evaluatePolicies([], { policies: [crash] });
    assert.deepStrictEqual(c.errors, ["on the stack: boom"]);
    assert.strictEqual(hasMandatoryViolation([c]), true);
  });

  it("links parent, dependencies and propertyDependencies for stack policies", () => {
    const a = res("t:index/a:A", "a", {});
    const b = res("t:index/b:B", "b", {}, { dependencies: [a.urn], propertyDependencies: { x: [a.urn] } });
    const [pa, pb] = buildStackResources([a, b]);
    assert.strictEqual(pb.dependencies[0], pa);
    assert.strictEqual(pb.propertyDependencies.x[0], pa);
  });

  it("formats a table with one row per violation and a summary", async () => {
    const verdicts = await evaluatePolicies([setting("ssl", "flexible"), setting("always_use_https", "on")]);
    const table = formatVerdicts(verdicts);
    assert.match(table, /^RESULT\s+POLICY\s+RESOURCE\s+MESSAGE/);
    assert.match(table, /MANDATORY\s+cloudflare-ssl-encrypts-origin\s+ssl\s+SSL mode is "flexible"/);
    assert.match(table, /pass\s+cloudflare-always-use-https/);
    assert.match(table, /The stack is below the minimum bar\.$/);
    assert.match(formatVerdicts(await evaluatePolicies(goodStack())), /0 with mandatory violations \(0\).*The stack meets the minimum bar\.$/);
  });

  it("exposes schema defaults", () => {
    assert.deepStrictEqual(configDefaults({ properties: { a: { type: "integer", default: 2 }, b: { type: "string" } } }), { a: 2 });
  });
});
