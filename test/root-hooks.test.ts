import { strict as assert } from "assert";
import { uncoveredPolicies } from "./root-hooks";

describe("root hook: every policy is exercised both ways", () => {
  it("names each policy never seen passing or never seen reporting a violation", () => {
    const seen = { pass: new Set(["a", "b"]), violation: new Set(["b", "c"]) };
    assert.deepEqual(uncoveredPolicies(["a", "b", "c"], seen), ["a: never seen reporting a violation", "c: never seen passing"]);
    assert.deepEqual(uncoveredPolicies(["b"], seen), []);
  });
});
