/**
 * The repository root holds the founder's stack files, which no test may read: the tests read
 * the AcmeChat example from examples/acmechat. Loaded first by .mocharc.json (before any module
 * takes its copy of `fs`), this records every attempt to read a Pulumi.<stack>.yaml at the root;
 * the root hook (test/root-hooks.ts) fails the test during which one happened.
 */
// require, not import: the patch must reach the one `fs` object every later import copies.
const fs: typeof import("fs") = require("fs");
const path: typeof import("path") = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const reads: string[] = [];
let installed = false;

/** The absolute path a path argument names (a file descriptor or a Buffer: none). */
function pathOf(file: unknown): string | undefined {
  if (typeof file === "string") return path.resolve(file);
  if (file instanceof URL && file.protocol === "file:") return path.resolve(decodeURIComponent(file.pathname));
  return undefined;
}

/** Whether `file` is a stack file at the repository root (Pulumi.yaml, the project file, is not one). */
export function isRootStackFile(file: unknown): boolean {
  const resolved = pathOf(file);
  return resolved !== undefined && path.dirname(resolved) === ROOT && /^Pulumi\.[^/]+\.yaml$/.test(path.basename(resolved));
}

type Reader = (file: unknown, ...rest: unknown[]) => unknown;

/** How deep inside watched calls we are: readFileSync opens through fs.openSync, and one read is one record. */
let depth = 0;

function watch<T extends object>(target: T, names: string[]): void {
  for (const name of names) {
    const original = (target as Record<string, Reader>)[name];
    (target as Record<string, Reader>)[name] = function (this: unknown, file: unknown, ...rest: unknown[]) {
      if (depth === 0 && isRootStackFile(file)) reads.push(pathOf(file)!);
      depth++;
      try {
        return original.call(this, file, ...rest);
      } finally {
        depth--;
      }
    };
  }
}

/** Starts recording (once per process). */
export function installRootStackGuard(): void {
  if (installed) return;
  installed = true;
  watch(fs, ["readFileSync", "readFile", "openSync", "open", "createReadStream"]);
  watch(fs.promises, ["readFile", "open"]);
}

/** The root stack files read since the last call, and forgets them. */
export function takeRootStackReads(): string[] {
  return reads.splice(0, reads.length);
}

installRootStackGuard();
