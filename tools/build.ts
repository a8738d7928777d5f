/**
 * `npm run build` (tools/cli/build.ts; npm ci runs it through `prepare`): compiles the program, components/, lib/,
 * tools/ and the policy modules they import to plain JavaScript in build/ (git-ignored), so
 * the launch-ready bin (tools/launch-ready.js) starts without transpiling TypeScript.
 *
 * Transpile only, with tsconfig.json's compiler options, as `npm run plan` under ts-node
 * (swc) always did: no type check here (`npm run typecheck` is that), so a type error in
 * the program never blocks an install. build/manifest.json records each source's mtime:
 * the bin runs build/ only while every source is unchanged, else the sources through ts-node.
 */
import * as fs from "fs";
import * as path from "path";
import { BUILD_DIR, REPO } from "./repo";

const SOURCES = ["index.ts", "components", "lib", "tools", "policies"];
const SKIP_DIRS = new Set(["node_modules", "bin"]);
const MANIFEST = "manifest.json";

/** What the bin reads to decide whether build/ still matches the sources. */
export interface BuildManifest {
  /** Source path (relative to the repository, "/"-separated) -> mtimeMs when it was compiled. */
  sources: Record<string, number>;
}

/** Files under `rel` (a file or a folder of the repository) whose name ends with `ext`, declarations and dependencies skipped. */
function filesUnder(rel: string, ext: string): string[] {
  const full = path.join(REPO, rel);
  if (fs.statSync(full).isFile()) return rel.endsWith(ext) && !rel.endsWith(".d.ts") ? [rel] : [];
  return fs
    .readdirSync(full)
    .filter((e) => !SKIP_DIRS.has(e) && !e.startsWith("."))
    .flatMap((e) => filesUnder(path.posix.join(rel, e), ext));
}

/** Compiles every source into build/ (replacing what was there); returns the folder, the file count and the time it took. */
export function build(): { dir: string; files: number; ms: number } {
  const start = process.hrtime.bigint();
  const ts: typeof import("typescript") = require("typescript");
  const { compilerOptions } = ts.readConfigFile(path.join(REPO, "tsconfig.json"), ts.sys.readFile).config;
  const { options } = ts.convertCompilerOptionsFromJson(compilerOptions, REPO);
  // Written beside build/ and swapped in whole, so a bin started meanwhile never sees half a tree.
  const next = `${BUILD_DIR}.next-${process.pid}`;
  fs.rmSync(next, { recursive: true, force: true });
  const sources = SOURCES.flatMap((p) => filesUnder(p, ".ts"));
  const manifest: BuildManifest = { sources: {} };
  for (const rel of sources) {
    const file = path.join(REPO, rel);
    manifest.sources[rel] = fs.statSync(file).mtimeMs;
    const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: { ...options, sourceMap: false, declaration: false, noEmit: false },
      fileName: rel,
    });
    const dest = path.join(next, rel.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, out.outputText);
  }
  // Data the code imports (the provider facts), as they are.
  for (const rel of SOURCES.flatMap((p) => filesUnder(p, ".json")).filter((f) => !/(^|\/)(tsconfig|package(-lock)?)\.json$/.test(f))) {
    manifest.sources[rel] = fs.statSync(path.join(REPO, rel)).mtimeMs;
    fs.mkdirSync(path.dirname(path.join(next, rel)), { recursive: true });
    fs.copyFileSync(path.join(REPO, rel), path.join(next, rel));
  }
  fs.writeFileSync(path.join(next, MANIFEST), JSON.stringify(manifest));
  const old = `${BUILD_DIR}.old-${process.pid}`;
  if (fs.existsSync(BUILD_DIR)) fs.renameSync(BUILD_DIR, old);
  fs.renameSync(next, BUILD_DIR);
  fs.rmSync(old, { recursive: true, force: true });
  return { dir: BUILD_DIR, files: sources.length, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}
