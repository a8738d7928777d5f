import * as assert from "assert";
import { code, escapeCell, humanSeconds, numbered, table, truncate } from "../../lib/handover/markdown";
import { splitRow } from "./helpers";

describe("handover markdown helpers", () => {
  it("escapes pipes and line breaks in table cells", () => {
    assert.strictEqual(escapeCell("a|b"), "a\\|b");
    assert.strictEqual(escapeCell("line one\nline two"), "line one line two");
  });

  it("keeps a table's column count when a cell holds a pipe", () => {
    const t = table(["Path", "Note"], [[code("/api/(chat|login)"), "x | y"]]);
    const lines = t.split("\n");
    assert.strictEqual(lines[0], "| Path | Note |");
    assert.strictEqual(lines[1], "|---|---|");
    assert.strictEqual(lines[2], "| `/api/(chat\\|login)` | x \\| y |");
    assert.deepStrictEqual(splitRow(lines[2]).length, 2);
  });

  it("wraps values holding backticks in a longer code span", () => {
    assert.strictEqual(code("plain"), "`plain`");
    assert.strictEqual(code("a`b"), "`` a`b ``");
  });

  it("says durations the way people do", () => {
    assert.strictEqual(humanSeconds(31536000), "1 year");
    assert.strictEqual(humanSeconds(15552000), "180 days");
    assert.strictEqual(humanSeconds(3600), "1 hour");
    assert.strictEqual(humanSeconds(300), "5 minutes");
    assert.strictEqual(humanSeconds(10), "10 seconds");
    assert.strictEqual(humanSeconds(90), "90 seconds");
  });

  it("numbers a list from a given start", () => {
    assert.strictEqual(numbered(["a", "b"], 3), "3. a\n4. b");
  });

  it("shortens long values with an ellipsis", () => {
    assert.strictEqual(truncate("abcdef", 4), "abc…");
    assert.strictEqual(truncate("abc", 4), "abc");
  });
});
