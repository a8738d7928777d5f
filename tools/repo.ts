/**
 * Where the repository is, whether this code runs from its TypeScript sources or from the
 * JavaScript that `npm run build` (run by `npm ci`) compiles into build/: package.json,
 * Pulumi.yaml, the stack files, policies/ and node_modules are the repository's either way.
 */
import * as path from "path";

/** The compiled tree's folder name, at the repository root (git-ignored). */
export const BUILD_DIRNAME = "build";

// This module is tools/repo.ts, or build/tools/repo.js once compiled.
const compiled = __filename.endsWith(".js") && path.basename(path.resolve(__dirname, "..")) === BUILD_DIRNAME;

export const REPO = path.resolve(__dirname, ...(compiled ? ["..", ".."] : [".."]));
export const BUILD_DIR = path.join(REPO, BUILD_DIRNAME);

/** This repository's Pulumi program: index.ts, or its compiled index.js when the tools run compiled (the same sources). */
export const PROGRAM = compiled ? path.join(BUILD_DIR, "index.js") : path.join(REPO, "index.ts");
