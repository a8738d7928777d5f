/**
 * Per-folder coverage floors (c8 checks only the total): reads c8's json-summary and
 * coverage-thresholds.json ({ folder: { lines, branches } }, the floors measured when they
 * were set) and fails naming every folder below its floor. Run by `npm run coverage`.
 */
import * as fs from "fs";
import * as path from "path";

type Totals = { lines: { total: number; covered: number }; branches: { total: number; covered: number } };

/** Line and branch percentages per folder (the first two path segments under the root, or one for a file at the top). */
export function byFolder(summary: Record<string, Totals>, root: string): Record<string, { lines: number; branches: number }> {
  const sums: Record<string, [number, number, number, number]> = {};
  for (const [file, t] of Object.entries(summary)) {
    if (file === "total") continue;
    const parts = path.relative(root, file).split(path.sep);
    const folder = parts.length > 2 ? parts.slice(0, 2).join("/") : parts[0];
    const s = (sums[folder] ??= [0, 0, 0, 0]);
    s[0] += t.lines.covered;
    s[1] += t.lines.total;
    s[2] += t.branches.covered;
    s[3] += t.branches.total;
  }
  return Object.fromEntries(Object.entries(sums).map(([f, s]) => [f, { lines: (100 * s[0]) / Math.max(1, s[1]), branches: (100 * s[2]) / Math.max(1, s[3]) }]));
}

/** Every folder below its floor, or missing from the run, as a message. */
export function belowFloors(
  measured: Record<string, { lines: number; branches: number }>,
  floors: Record<string, { lines: number; branches: number }>,
): string[] {
  return Object.entries(floors).flatMap(([folder, floor]) => {
    const m = measured[folder];
    if (!m) return [`${folder}: not measured (renamed? update coverage-thresholds.json)`];
    return (["lines", "branches"] as const).filter((k) => m[k] < floor[k]).map((k) => `${folder}: ${k} ${m[k].toFixed(2)}% is below its floor ${floor[k]}%`);
  });
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  const summary = JSON.parse(fs.readFileSync(path.join(root, ".coverage", "coverage-summary.json"), "utf8"));
  const floors = JSON.parse(fs.readFileSync(path.join(root, "coverage-thresholds.json"), "utf8"));
  const problems = belowFloors(byFolder(summary, root), floors);
  if (problems.length) {
    console.error(`coverage below its floor:\n  ${problems.join("\n  ")}\nAdd tests, or lower a floor only with a reason in the commit.`);
    process.exitCode = 1;
  } else console.log(`coverage: every folder at or above its floor (${Object.keys(floors).length} folders)`);
}
