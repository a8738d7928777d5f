#!/usr/bin/env node
/**
 * The `launch-ready` bin (package.json "bin"): `npx launch-ready <command> [options]` runs the
 * same CLI as `npm run <command> -- [options]`, and writes nothing of its own on stdout, so
 * `npx launch-ready plan --json | jq` gets the command's output alone.
 *
 * It runs the JavaScript `npm run build` compiled into build/ (npm ci builds it) while
 * build/manifest.json says every source is unchanged since; otherwise (no build, a source
 * edited since, or a command added after the build) the TypeScript sources through ts-node,
 * saying so on stderr: never stale code, and never a transpile on the main job after an install.
 * Plain JavaScript, so it runs before anything is compiled.
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const REPO = path.resolve(__dirname, "..");
const BUILD_DIR = path.join(REPO, "build");

/** Each command's module (without extension), which exports `main(argv)` resolving to the exit code and runs nothing on import. */
const COMMANDS = {
  plan: "tools/cli/plan",
  verify: "tools/cli/verify",
  handover: "tools/cli/handover",
  adopt: "tools/cli/adopt",
  init: "tools/cli/init",
  report: "tools/cli/report",
};

const USAGE = `usage: npx launch-ready <command> [options]     (the same as npm run <command> -- [options])

Commands:
  plan       the offline plan of a stack, its conformance check and the policy verdict
  verify     checks the live launch: DNS, email authentication, HTTPS, TLS, health, CORS
  handover   writes the launch handover document
  adopt      adopts an existing Cloudflare zone into a stack file
  init       writes a first Pulumi.<stack>.yaml from a few answers
  report     the launch report: GO or NO-GO, ranked findings, the checklist, owners

npx launch-ready <command> --help shows a command's options.`;

/** Why build/ cannot run `moduleRel`, or undefined when it can: the compiled file exists and no source changed since the build. */
function staleBecause(moduleRel, repo = REPO) {
  const buildDir = path.join(repo, "build");
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(buildDir, "manifest.json"), "utf8"));
  } catch {
    return "nothing is compiled yet (npm run build compiles)";
  }
  if (!fs.existsSync(path.join(buildDir, `${moduleRel}.js`))) return `${moduleRel}.ts is newer than the build (npm run build compiles it)`;
  const changed = Object.entries(manifest.sources).filter(([rel, mtimeMs]) => {
    try {
      return fs.statSync(path.join(repo, rel)).mtimeMs !== mtimeMs;
    } catch {
      return true; // deleted since
    }
  });
  if (changed.length)
    return `${changed[0][0]}${changed.length > 1 ? ` and ${changed.length - 1} more source(s)` : ""} changed since the build (npm run build compiles again)`;
  return undefined;
}

/**
 * How `command` runs here: its compiled module, its TypeScript source (with the reason), or
 * `missing` when the command has no module in this checkout, or `unknown` when it is not one.
 */
function locate(command, repo = REPO) {
  const moduleRel = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!moduleRel) return { kind: "unknown" };
  const source = path.join(repo, `${moduleRel}.ts`);
  if (!fs.existsSync(source)) return { kind: "missing", source: `${moduleRel}.ts` };
  const why = staleBecause(moduleRel, repo);
  if (why) return { kind: "source", file: source, why };
  return { kind: "compiled", file: path.join(repo, "build", `${moduleRel}.js`) };
}

/** Runs `npx launch-ready <argv>` (in the checkout `repo`); resolves to the exit code. */
async function run(argv, stderr = process.stderr, stdout = process.stdout, repo = REPO) {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!command) {
    stderr.write(`${USAGE}\n`);
    return 2;
  }
  const where = locate(command, repo);
  if (where.kind === "unknown") {
    stderr.write(`launch-ready: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  if (where.kind === "missing") {
    stderr.write(`launch-ready: "${command}" is not in this version of Launch Ready (no ${where.source}); commands here: ${available(repo).join(", ")}\n`);
    return 2;
  }
  if (where.kind === "source") {
    stderr.write(`launch-ready: ${where.why}; running the TypeScript sources through ts-node\n`);
    // tsconfig.json's ts-node options (swc, transpile only), as `ts-node tools/cli/<command>.ts` runs; once per process.
    if (!process[Symbol.for("ts-node.register.instance")]) require("ts-node").register({ project: path.join(REPO, "tsconfig.json") });
  }
  const cli = require(where.file);
  if (typeof cli.main !== "function") {
    stderr.write(`launch-ready: ${path.relative(repo, where.file)} exports no main(argv): it cannot run as "launch-ready ${command}"\n`);
    return 2;
  }
  try {
    return await cli.main(rest);
  } catch (err) {
    // The commands report their own errors; one that escapes is still a message, not a stack trace.
    stderr.write(`launch-ready ${command}: ${err && err.message ? err.message : err}\n`);
    return 1;
  }
}

/** The commands whose module this checkout has. */
function available(repo = REPO) {
  return Object.keys(COMMANDS).filter((c) => fs.existsSync(path.join(repo, `${COMMANDS[c]}.ts`)));
}

module.exports = { COMMANDS, BUILD_DIR, locate, staleBecause, available, run };

/**
 * V8's code cache for every module this process and its children load (the policy pack's server
 * inherits the variable): loading @pulumi/pulumi and the providers is most of a plan's start-up,
 * and the cache roughly halves it from the second run on. Node's own default folder; same code either way.
 */
function enableCompileCache() {
  const { enableCompileCache: enable } = require("module");
  if (typeof enable !== "function") return; // Node before 22.8
  process.env.NODE_COMPILE_CACHE = process.env.NODE_COMPILE_CACHE || path.join(os.tmpdir(), "node-compile-cache");
  enable(process.env.NODE_COMPILE_CACHE);
}

if (require.main === module) {
  enableCompileCache();
  run(process.argv.slice(2)).then((code) => {
    // exitCode, not exit(): piped output (--json) must be flushed whole.
    process.exitCode = code;
  });
}
