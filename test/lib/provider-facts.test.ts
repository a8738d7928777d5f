/**
 * The provider facts are tied to the package versions they were read for: when an
 * installed provider moves on, this fails and says to re-read the sources (README,
 * "Conformance: refreshing the facts").
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { awsFacts, cloudflareFacts, cloudflarePlans, engineFacts, FACT_FILES, TIERS, vercelFacts } from "../../lib/provider-facts";
import { tierLimits } from "../../lib/edge/tiers";

const installed = (pkg: string) =>
  JSON.parse(fs.readFileSync(path.join(path.resolve(__dirname, "..", ".."), "node_modules", pkg, "package.json"), "utf8")).version.replace(/^v/, "");

describe("provider facts", () => {
  for (const { file, data, schema } of FACT_FILES) {
    it(`${file} satisfies its schema (the program types it without re-validating at start-up)`, () => {
      const parsed = schema.safeParse(data);
      assert.ok(parsed.success, parsed.success ? "" : `${file}: ${z.prettifyError(parsed.error)}`);
    });
  }
  it("the schemas refuse a malformed facts file (a rule with no source, an unknown key)", () => {
    const cf = FACT_FILES.find((f) => f.file === "cloudflare.json")!;
    const broken = structuredClone(cf.data) as { resources: Record<string, { values: Record<string, unknown>[] }> };
    const firstType = Object.keys(broken.resources)[0];
    delete broken.resources[firstType].values[0].source;
    assert.equal(cf.schema.safeParse(broken).success, false);
    assert.equal(cf.schema.safeParse({ ...(cf.data as object), surprise: 1 }).success, true, "providers' files pass through extra notes");
    const engine = FACT_FILES.find((f) => f.file === "engine.json")!;
    assert.equal(engine.schema.safeParse({ ...(engine.data as object), surprise: 1 }).success, false);
  });
  it("every zone setting's JSON Schema converts to a validator", () => {
    for (const [id, rule] of Object.entries(cloudflareFacts.zoneSettings.settings)) {
      if ("schema" in rule) assert.doesNotThrow(() => z.fromJSONSchema(rule.schema as Parameters<typeof z.fromJSONSchema>[0]), id);
    }
  });
  for (const facts of [cloudflareFacts, vercelFacts, awsFacts]) {
    it(`${facts.package}: read for the installed version ${facts.version}`, () => {
      assert.equal(
        installed(facts.package),
        facts.version,
        `${facts.package} is now ${installed(facts.package)}: re-read ${facts.upstream.repo} at its new upstream version and update lib/provider-facts`,
      );
    });
  }
  it("@pulumi/pulumi: the engine facts name the installed SDK", () => {
    assert.equal(installed("@pulumi/pulumi"), engineFacts.version);
  });

  it("plan limits grow from Free to Enterprise with Advanced Rate Limiting, and every period is one Cloudflare supports", () => {
    const rows = TIERS.map((t) => tierLimits(t));
    for (let i = 1; i < rows.length; i++) {
      for (const k of ["rateLimitRules", "maxRateLimitPeriod", "maxMitigationTimeout", "customRules", "cacheRules"] as const) {
        assert.ok(rows[i][k] >= rows[i - 1][k], `${TIERS[i]}.${k} < ${TIERS[i - 1]}.${k}`);
      }
    }
    assert.deepEqual(tierLimits("free").rateLimitPeriods, [10]);
    assert.deepEqual(tierLimits("pro").rateLimitPeriods, [10, 15, 20, 30, 40, 45, 60]);
    assert.ok(!tierLimits("enterprise").rateLimitPeriods.includes(86400), "Enterprise counts up to 65535 s");
    assert.ok(tierLimits("enterprise_arl").rateLimitPeriods.includes(65535));
    for (const source of Object.values(cloudflarePlans.sources)) assert.match(source, /^https:\/\/developers\.cloudflare\.com\//);
  });
});
