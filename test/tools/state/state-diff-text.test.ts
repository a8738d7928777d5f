/**
 * The state diff's text for each kind of replace and delete, read as a founder reads the plan's
 * first lines, and --state naming a file that is not there.
 */
import { strict as assert } from "assert";
import { readStateFile, renderStateDiff } from "../../../tools/offline/state-diff";

const change = (over: Record<string, unknown>) =>
  ({ kind: "replace", urn: "urn:pulumi:prod::p::t::x", type: "t", name: "x", protected: false, ...over }) as Parameters<
    typeof renderStateDiff
  >[0]["changes"][number];

describe("the state diff as text", () => {
  it("says how each replace happens and that a retained delete stays in place; no guarded change is said as such", () => {
    const text = renderStateDiff({
      file: "state.json",
      deployed: 3,
      changes: [
        change({ name: "alarm", properties: ["name"], deleteBeforeReplace: true }),
        change({ name: "check", properties: ["type"] }),
        change({ kind: "delete", name: "old-record", retained: true }),
      ],
      findings: [],
      unusedAllows: ["typo-record"],
    });
    assert.equal(
      text,
      [
        "State diff against state.json (3 resources deployed): 0 to create, 0 to import, 0 to update, 2 to replace, 1 to delete, 0 unchanged.",
        "  +- replace   alarm: name forces a replacement, deleted before the new one exists",
        "  +- replace   check: type forces a replacement, the new one created before the old is deleted",
        "  -  delete    old-record: retainOnDelete: left in place, only dropped from the state",
        "Guard: nothing the product depends on is deleted or replaced.",
        "note: --allow-delete typo-record matches no guarded delete or replace (names are the resource names above)",
        "",
      ].join("\n"),
    );
  });

  it("names a --state file that does not exist", () => {
    assert.throws(() => readStateFile("/nonexistent/state.json"), { message: "--state /nonexistent/state.json: no such file" });
  });
});
