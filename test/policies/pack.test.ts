import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseStackYaml } from "../../lib/config/stack-yaml";
import { allPolicies } from "../../policies/rules";
import { configDefaults, validatePolicyConfig } from "../../tools/policy/offline";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), "utf8");

describe("policy pack structure", () => {
  it("every policy is a small named policy: unique kebab-case name, the bar it holds, how to fix it, a level", () => {
    const names = allPolicies.map((p) => p.name);
    assert.strictEqual(new Set(names).size, names.length, "duplicate policy names");
    for (const p of allPolicies) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.name);
      assert.ok(p.description.length > 80, `${p.name}: description too short`);
      assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory", `${p.name}: ${p.enforcementLevel}`);
      // How to fix it is its own field (what the Pulumi Cloud console shows), not a word found somewhere in the description.
      const steps = p.remediationSteps ?? "";
      assert.ok(steps.length >= 40, `${p.name}: remediationSteps should say how to fix it`);
      assert.match(steps, /^[A-Z][a-z]+ /, `${p.name}: remediationSteps start with what to do`);
      assert.ok(!p.description.includes(steps), `${p.name}: remediationSteps repeat the description`);
      assert.match(p.url ?? "", /^https:\/\//, `${p.name}: a documentation URL`);
      // Schema defaults must be valid config.
      validatePolicyConfig({ [p.name]: configDefaults(p.configSchema) }, allPolicies);
    }
  });

  it("a description says the bar and why; how to fix it is in remediationSteps only", () => {
    // The report's fix column and the Pulumi Cloud console read remediationSteps; a fix left in the description would reach neither.
    const offenders = allPolicies.flatMap((p) => [
      ...(/\bFix:/i.test(p.description) ? [`${p.name}: its description carries a "Fix:"`] : []),
      ...((p.remediationSteps ?? "").trim() === "" ? [`${p.name}: no remediationSteps`] : []),
    ]);
    assert.deepStrictEqual(offenders, []);
  });

  it("PulumiPolicy.yaml and the pack's package.json are what `pulumi preview --policy-pack policies` needs", () => {
    const project = parseStackYaml(read("policies/PulumiPolicy.yaml"), "policies/PulumiPolicy.yaml") as Record<string, unknown>;
    assert.strictEqual(project.runtime, "nodejs");
    assert.ok(typeof project.description === "string" && typeof project.version === "string");
    assert.deepStrictEqual(
      Object.keys(project).filter((k) => !["runtime", "description", "version", "main", "author", "website", "license"].includes(k)),
      [],
    );
    const pkg = JSON.parse(read("policies/package.json"));
    const root = JSON.parse(read("package.json"));
    for (const dep of ["@pulumi/policy", "@pulumi/pulumi"]) assert.strictEqual(pkg.dependencies[dep], root.dependencies[dep], dep);
    assert.ok(fs.existsSync(path.join(ROOT, "policies", "tsconfig.json")));
  });

  it("policies/index.ts only constructs the pack, and nothing imports it", () => {
    const index = read("policies/index.ts");
    assert.match(index, /new PolicyPack\("launch-ready-minimum-bar", \{[\s\S]*policies: allPolicies/);
    const importers = ["tools/policy/offline.ts", "policies/rules/index.ts", "tools/cli/plan.ts"].filter(
      (f) => fs.existsSync(path.join(ROOT, f)) && /from "(\.\.?\/)+(policies\/)?index"|policies"\s*;|policies\/index"/.test(read(f)),
    );
    assert.deepStrictEqual(importers, []);
  });

  it("rules load no provider SDK and only types from @pulumi/policy (fast, no policy server)", () => {
    const dir = path.join(ROOT, "policies", "rules");
    for (const f of fs.readdirSync(dir)) {
      const src = fs.readFileSync(path.join(dir, f), "utf8");
      assert.ok(!/from "@pulumi\/(cloudflare|aws|vercel)"|@pulumiverse/.test(src), `${f} imports a provider SDK`);
      assert.ok(!/^import (?!type)[^;]*from "@pulumi\/policy"/m.test(src), `${f} imports @pulumi/policy values`);
    }
  });
});
