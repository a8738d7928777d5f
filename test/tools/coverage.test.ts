import { strict as assert } from "assert";
import { belowFloors, byFolder } from "../../tools/coverage";

describe("tools/coverage: per-folder floors", () => {
  const t = (covered: number, total: number, bCovered: number, bTotal: number) => ({
    lines: { covered, total },
    branches: { covered: bCovered, total: bTotal },
  });

  it("sums files per folder and names every folder below its floor, or no longer measured", () => {
    const measured = byFolder(
      { total: t(0, 0, 0, 0), "/r/lib/email/spf.ts": t(90, 100, 8, 10), "/r/lib/email/dmarc.ts": t(10, 10, 2, 2), "/r/index.ts": t(5, 5, 0, 0) },
      "/r",
    );
    assert.deepEqual(measured["lib/email"], { lines: (100 * 100) / 110, branches: (100 * 10) / 12 });
    assert.deepEqual(measured["index.ts"], { lines: 100, branches: 0 });
    assert.deepEqual(belowFloors(measured, { "lib/email": { lines: 90, branches: 85 }, "tools/gone": { lines: 1, branches: 1 } }), [
      "lib/email: branches 83.33% is below its floor 85%",
      "tools/gone: not measured (renamed? update coverage-thresholds.json)",
    ]);
    assert.deepEqual(belowFloors(measured, { "lib/email": { lines: 90, branches: 83 } }), []);
  });
});
