/**
 * Where the repository is, whether this code runs from its TypeScript sources or from the
 * JavaScript that `npm run build` (run by `npm ci`) compiles into build/: package.json,
 * Pulumi.yaml, the stack files, policies/ and node_modules are the repository's either way.
 */
import * as path from "path";

/** The compiled tree's folder name, at the repository root (git-ignored). */
export const BUILD_DIRNAME = "build";

// This module is tools/repo.ts, or build/tools/repo.js once compiled: its tree is the repository, or build/ in it.
const tree = path.resolve(__dirname, "..");
const compiled = path.extname(__filename) === ".js";

export const REPO = compiled ? path.dirname(tree) : tree;
export const BUILD_DIR = path.join(REPO, BUILD_DIRNAME);

/** This repository's Pulumi program: index.ts, or its compiled index.js when the tools run compiled (the same sources). */
export const PROGRAM = path.join(tree, `index${path.extname(__filename)}`);
