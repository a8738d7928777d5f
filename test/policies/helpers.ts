/**
 * Test helpers: evaluate one policy of the pack offline and assert on its verdict.
 * `expectPass` / `expectViolation` are also how pack.test.ts checks that every
 * policy has a passing and a failing test (it scans the test files for them).
 */
import * as assert from "assert";
import type { PlannedResource } from "../../lib/planned/types";
import { PolicyVerdict, evaluatePolicies } from "../../tools/policy/offline";
import { policyNamed } from "../../policies/rules";

/** Policies a test has seen pass and seen report a violation (test/root-hooks.ts checks every policy is in both). */
export const exercised = { pass: new Set<string>(), violation: new Set<string>() };

export async function verdictOf(name: string, resources: PlannedResource[], config?: Record<string, unknown>): Promise<PolicyVerdict> {
  const [v] = await evaluatePolicies(resources, { policies: [policyNamed(name)], config: config ? { [name]: config } : undefined });
  assert.deepStrictEqual(v.errors, [], `policy ${name} threw`);
  return v;
}

export async function expectPass(name: string, resources: PlannedResource[], config?: Record<string, unknown>): Promise<PolicyVerdict> {
  const v = await verdictOf(name, resources, config);
  assert.deepStrictEqual(
    v.violations.map((x) => x.message),
    [],
    `${name} should pass`,
  );
  assert.strictEqual(v.status, "pass", `${name} should have applied (notes: ${v.notes.join("; ")})`);
  exercised.pass.add(name);
  return v;
}

export async function expectViolation(name: string, resources: PlannedResource[], expected: RegExp, config?: Record<string, unknown>): Promise<PolicyVerdict> {
  const v = await verdictOf(name, resources, config);
  assert.strictEqual(v.status, "violation", `${name} should report a violation`);
  const messages = v.violations.map((x) => x.message);
  assert.ok(
    messages.some((m) => expected.test(m)),
    `${name}: no message matches ${expected}; got:\n  ${messages.join("\n  ")}`,
  );
  exercised.violation.add(name);
  return v;
}

export async function expectNotApplicable(
  name: string,
  resources: PlannedResource[],
  reason?: RegExp,
  config?: Record<string, unknown>,
): Promise<PolicyVerdict> {
  const v = await verdictOf(name, resources, config);
  assert.strictEqual(v.status, "not-applicable", `${name} should not apply; violations: ${v.violations.map((x) => x.message).join("; ")}`);
  if (reason)
    assert.ok(
      v.notes.some((n) => reason.test(n)),
      `${name}: no note matches ${reason}; got ${v.notes.join("; ")}`,
    );
  return v;
}

/** A copy of the stack with the named resource's props changed. */
export function patch(stack: PlannedResource[], name: string, change: (props: Record<string, any>) => void): PlannedResource[] {
  let found = false;
  const out = stack.map((r) => {
    if (r.name !== name) return r;
    found = true;
    const copy: PlannedResource = JSON.parse(JSON.stringify(r));
    change(copy.props);
    return copy;
  });
  if (!found) throw new Error(`no resource named ${name} in the fixture`);
  return out;
}

/** A copy of the stack without the resources matching `drop`. */
export function without(stack: PlannedResource[], drop: (r: PlannedResource) => boolean): PlannedResource[] {
  const out = stack.filter((r) => !drop(r));
  if (out.length === stack.length) throw new Error("without(): nothing was dropped");
  return out;
}
