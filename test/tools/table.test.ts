import { strict as assert } from "assert";
import { renderTable } from "../../tools/table";

describe("tools/table: the one table renderer", () => {
  it("pads each column to its widest cell, so rows line up with the header", () => {
    const lines = renderTable(
      [{ header: "A" }, { header: "LONGER" }, { header: "LAST" }],
      [
        ["xyz", "1", "free text"],
        ["x", "22", "more"],
      ],
    );
    assert.deepEqual(lines, ["A    LONGER  LAST", "xyz  1       free text", "x    22      more"]);
  });

  it("clips a cell at its column's maximum, wraps the last column to the width, and keeps styled rows aligned", () => {
    const style = (_row: number, column: number, cell: string) => (column === 0 ? `\x1b[31m${cell}\x1b[0m` : cell);
    const lines = renderTable(
      [{ header: "S" }, { header: "NAME", max: 6 }, { header: "DETAIL" }],
      [["FAIL", "abcdefghij", "one two three four five six seven eight nine ten"]],
      { width: 34, rule: true, style },
    );
    // eslint-disable-next-line no-control-regex -- the ANSI colour codes the style adds
    const visible = lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""));
    assert.deepEqual(visible, [
      "S     NAME    DETAIL",
      "----  ------  --------------------",
      "FAIL  abcde…  one two three four",
      "              five six seven eight",
      "              nine ten",
    ]);
    assert.ok(lines[2].startsWith("\x1b[31mFAIL\x1b[0m  abcde…"));
    for (const l of visible) assert.ok(l.length <= 34, l);
  });
});
