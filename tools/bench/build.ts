/**
^ * Precompiles the program, lib/, policies/ and tools/ to plain JavaScript under
 * .bench/build (git-ignored), so the benchmark can compare ts-node against running
 * compiled JS. Transpile only (like `ts-node --transpile-only`), with the
 * tsconfig's compiler options; no type check, no new dependency.
 *
 * Two details keep the compiled tree runnable without changing the program:
 * - tools/offline/plan.ts loads the program as `<root>/index.ts`, so the compiled
 *   entry keeps that file name (Node's loader runs unknown extensions as CommonJS);
 * - node_modules is a symlink to the repository's; Pulumi.yaml and the JSON data the
 *   code imports (lib/provider-facts) are copied.
 */
import * as fs from "fs";
import * as path from "path";

export const REPO = path.resolve(__dirname, "..", "..");
export const BUILD_DIR = path.join(REPO, ".bench", "build");
const SOURCES = ["index.ts", "components", "lib", "policies", "tools"];

/** Source files under p with one of the extensions (skipping declarations). */
function filesUnder(p: string, ext: string): string[] {
  const full = path.join(REPO, p);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return p.endsWith(ext) && !p.endsWith(".d.ts") ? [p] : [];
  return fs
    .readdirSync(full)
    .filter((e) => e !== "node_modules" && !e.startsWith("."))
    .flatMap((e) => filesUnder(path.join(p, e), ext));
}

/** Transpiles every source file; returns the build directory and the time it took. */
export function buildJs(): { dir: string; files: number; ms: number } {
  const start = process.hrtime.bigint();
  const ts: typeof import("typescript") = require("typescript");
  const tsconfig = ts.readConfigFile(path.join(REPO, "tsconfig.json"), ts.sys.readFile).config ?? {};
  const { options } = ts.convertCompilerOptionsFromJson(tsconfig.compilerOptions ?? {}, REPO);
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  const files = SOURCES.flatMap((p) => filesUnder(p, ".ts"));
  for (const rel of files) {
    const out = ts.transpileModule(fs.readFileSync(path.join(REPO, rel), "utf8"), {
      compilerOptions: { ...options, sourceMap: false, declaration: false, noEmit: false },
      fileName: rel,
    });
    const dest = path.join(BUILD_DIR, rel === "index.ts" ? "index.ts" : rel.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, out.outputText);
  }
  // Data the code imports (the provider facts), copied as they are.
  for (const rel of SOURCES.flatMap((p) => filesUnder(p, ".json")).filter((f) => !f.endsWith("tsconfig.json") && !f.includes("package"))) {
    fs.mkdirSync(path.dirname(path.join(BUILD_DIR, rel)), { recursive: true });
    fs.copyFileSync(path.join(REPO, rel), path.join(BUILD_DIR, rel));
  }
  fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(BUILD_DIR, "Pulumi.yaml"));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(BUILD_DIR, "node_modules"), "dir");
  return { dir: BUILD_DIR, files: files.length, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}
