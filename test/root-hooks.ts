/**
 * Mocha root hooks. After a run that loaded every policy test file, each policy of the pack
 * must have been seen passing (expectPass) and reporting a violation (expectViolation): what
 * the tests did, not what their source text mentions.
 */
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../policies/rules";
import { exercised } from "./policies/helpers";

const POLICY_TESTS = path.join(__dirname, "policies");

/** The policies missing a passing or a failing case; empty when every one has both. */
export function uncoveredPolicies(names: readonly string[], seen: { pass: ReadonlySet<string>; violation: ReadonlySet<string> }): string[] {
  return names.flatMap((n) => [
    ...(seen.pass.has(n) ? [] : [`${n}: never seen passing`]),
    ...(seen.violation.has(n) ? [] : [`${n}: never seen reporting a violation`]),
  ]);
}

export const mochaHooks = {
  afterAll(): void {
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
