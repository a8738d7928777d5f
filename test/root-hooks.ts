/**
 * Mocha root hooks. After a run that loaded every policy test file, each policy of the pack
 * must have been seen passing (expectPass) and reporting a violation (expectViolation): what
 * the tests did, not what their source text mentions. After each test, it must have read no
 * stack file at the repository root: those are the founder's (test/helpers/root-stack-guard.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../policies/rules";
import { exercised } from "./policies/helpers";
import { takeRootStackReads } from "./helpers/root-stack-guard";
import { reuseAnalyzers } from "../tools/policy/launch";

const POLICY_TESTS = path.join(__dirname, "policies");

/** The policies missing a passing or a failing case; empty when every one has both. */
export function uncoveredPolicies(names: readonly string[], seen: { pass: ReadonlySet<string>; violation: ReadonlySet<string> }): string[] {
  return names.flatMap((n) => [
    ...(seen.pass.has(n) ? [] : [`${n}: never seen passing`]),
    ...(seen.violation.has(n) ? [] : [`${n}: never seen reporting a violation`]),
  ]);
}

/** Throws, naming who read them, when a stack file at the repository root was read since the last check. */
export function failOnRootStackReads(who: string): void {
  const files = [...new Set(takeRootStackReads())].map((f) => path.basename(f));
  if (files.length) throw new Error(`${who} read ${files.join(", ")} at the repository root: those are the founder's; read the example from examples/acmechat`);
}

export const mochaHooks = {
  // The suite judges dozens of plans: one analyzer server per stack, not one per plan. The pack reads no
  // stack config (the layout test holds it to that), so the server's PULUMI_CONFIG does not change a verdict.
  beforeAll(): void {
    reuseAnalyzers(true, { acrossStackConfigs: true });
  },
  afterEach(this: Mocha.Context): void {
    failOnRootStackReads(`"${this.currentTest?.fullTitle()}"`);
  },
  afterAll(): void {
    reuseAnalyzers(false);
    failOnRootStackReads("an after hook");
    const files = fs
      .readdirSync(POLICY_TESTS)
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => path.join(POLICY_TESTS, f));
    // A run of a few files (mocha test/x.test.ts) cannot cover the pack; skip the check then.
    if (!files.every((f) => require.cache[f])) return;
    const missing = uncoveredPolicies(
      allPolicies.map((p) => p.name),
      exercised,
    );
    if (missing.length) throw new Error(`every policy needs a passing and a failing test:\n  ${missing.join("\n  ")}`);
  },
};
