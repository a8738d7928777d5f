/**
 * Policy pack start-up: from spawning the analyzer server the way the CLI does to its first
 * answer (GetAnalyzerInfo), for the pack as shipped (package.json main: the JavaScript its
 * install step builds) and for the same pack entered through index.ts, which the runner
 * compiles with type-checking (@pulumi/pulumi cmd/run-policy-pack/run.js) as before.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACK_DIR, PolicyAnalyzer } from "../tools/policy/analyzer";

export interface PackStart {
  entry: "javascript" | "typescript";
  ms: number[];
}

export async function measurePackStart(runs: number): Promise<PackStart[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-pack-start-"));
  try {
    const copies = { javascript: path.join(dir, "js"), typescript: path.join(dir, "ts") };
    for (const [entry, d] of Object.entries(copies)) {
      fs.mkdirSync(d);
      for (const f of ["index.ts", "rules", "shared", "PulumiPolicy.yaml", "tsconfig.json", "package.json", "bin"]) execFileSync("cp", ["-r", path.join(PACK_DIR, f), d]);
      fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(d, "node_modules"), "dir");
      if (entry === "typescript") {
        const pkg = JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8"));
        delete pkg.main;
        fs.writeFileSync(path.join(d, "package.json"), JSON.stringify(pkg));
        fs.rmSync(path.join(d, "bin"), { recursive: true });
      }
    }
    const out: PackStart[] = [{ entry: "javascript", ms: [] }, { entry: "typescript", ms: [] }];
    for (let run = 0; run < runs; run++) {
      for (const m of out) {
        const t = process.hrtime.bigint();
        const analyzer = await PolicyAnalyzer.start({ packDir: copies[m.entry], stack: "bench", project: "launch-ready" });
        await analyzer.info();
        m.ms.push(Number(process.hrtime.bigint() - t) / 1e6);
        analyzer.close();
      }
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function renderPackStart(results: readonly PackStart[]): string {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return [
    "Policy pack start-up (spawn to first GetAnalyzerInfo answer, median):",
    ...results.map((r) => `  ${r.entry === "javascript" ? "as shipped (bin/index.js)" : "through index.ts (type-checked)"}: ${Math.round(median(r.ms))} ms over ${r.ms.length} run(s)`),
  ].join("\n");
}
