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
import { planStack } from "../offline/plan";
import { EXAMPLE_DIR } from "../offline/stack-files";
import { judgeWithAnalyzer, PACK_DIR, PolicyAnalyzer } from "../policy/analyzer";
import { launchAnalyzer } from "../policy/launch";

export interface PackStart {
  entry: "javascript" | "typescript";
  ms: number[];
  /** Judging the shipped prod stack through the started server: Configure, Analyze per resource, AnalyzeStack. */
  judgeMs?: number[];
  resources?: number;
}

export async function measurePackStart(runs: number): Promise<PackStart[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-pack-start-"));
  try {
    const copies = { javascript: path.join(dir, "js"), typescript: path.join(dir, "ts") };
    for (const [entry, d] of Object.entries(copies)) {
      fs.mkdirSync(d);
      for (const f of ["index.ts", "rules", "shared", "PulumiPolicy.yaml", "tsconfig.json", "package.json", "bin"])
        execFileSync("cp", ["-r", path.join(PACK_DIR, f), d]);
      fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(d, "node_modules"), "dir");
      if (entry === "typescript") {
        const pkg = JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8"));
        delete pkg.main;
        fs.writeFileSync(path.join(d, "package.json"), JSON.stringify(pkg));
        fs.rmSync(path.join(d, "bin"), { recursive: true });
      }
    }
    const prod = await planStack("prod", { dir: EXAMPLE_DIR });
    const out: PackStart[] = [
      { entry: "javascript", ms: [], judgeMs: [], resources: prod.resources.length },
      { entry: "typescript", ms: [] },
    ];
    for (let run = 0; run < runs; run++) {
      for (const m of out) {
        const opts = { packDir: copies[m.entry], stack: "prod", project: prod.project, stackConfig: prod.config };
        const t = process.hrtime.bigint();
        const launched = launchAnalyzer(opts);
        const analyzer = PolicyAnalyzer.connect(await launched);
        await analyzer.info();
        m.ms.push(Number(process.hrtime.bigint() - t) / 1e6);
        analyzer.close();
        if (m.judgeMs) {
          const again = await launchAnalyzer(opts);
          const t2 = process.hrtime.bigint();
          await judgeWithAnalyzer(prod.resources, opts, Promise.resolve(again));
          m.judgeMs.push(Number(process.hrtime.bigint() - t2) / 1e6);
        }
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
    ...results.map(
      (r) =>
        `  ${r.entry === "javascript" ? "as shipped (bin/index.js)" : "through index.ts (type-checked)"}: ${Math.round(median(r.ms))} ms over ${r.ms.length} run(s)`,
    ),
    ...results
      .filter((r) => r.judgeMs?.length)
      .map(
        (r) =>
          `Judging the prod stack through the server (${r.resources} resources): ${Math.round(median(r.judgeMs!))} ms median, ${(median(r.judgeMs!) / r.resources!).toFixed(2)} ms/resource`,
      ),
  ].join("\n");
}
