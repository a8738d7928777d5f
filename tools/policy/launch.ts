/**
 * Starting the policy pack's analyzer server the way the Pulumi CLI does, with nothing heavier
 * than child_process loaded (npm run plan calls this first, so the server boots while the
 * program is evaluated):
 * `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack>` with the
 * pack as working directory and PULUMI_NODEJS_{STACK,PROJECT,ORGANIZATION,DRY_RUN} and
 * PULUMI_CONFIG in the environment (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go
 * RunPlugin, kind analyzer); the server prints its port on stdout. The runner drops the engine
 * address (run-policy-pack/index.js shifts it off) and the pack logs nothing, so no engine
 * service is needed.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { PolicyConfigInput } from "./config";
import { REPO } from "../repo";

export interface AnalyzerOptions {
  /** The policy pack directory (PulumiPolicy.yaml, package.json, node_modules). */
  packDir: string;
  stack: string;
  project: string;
  organization?: string;
  /** The stack's config, "project:key" -> string, as the engine passes it. */
  stackConfig?: Record<string, string>;
  /** The user's policy config file, as `--policy-pack-config` reads it. */
  policyConfig?: PolicyConfigInput;
  stackTags?: ReadonlyMap<string, string>;
  /** Bound on the server's start-up (the CLI waits for the port line too). */
  startTimeoutMs?: number;
}

/** A started server: its process, the port it serves on, and what it wrote to stderr. */
export interface LaunchedAnalyzer {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  /** A kept server (reuseAnalyzers): done with it, hand it back instead of stopping it. */
  release?: () => void;
}

/**
 * Servers kept between judgements, by what they were started with. Off by default: the engine
 * starts one server per preview, and so does `npm run plan`. A process that judges many plans
 * (the test suite, through its root hooks) turns it on: the server's state is what Configure and
 * ConfigureStack set, which every judgement sends again, and the stack's name, project and config
 * are part of the key. One judgement at a time uses a kept server.
 */
interface KeptServer {
  server: Promise<LaunchedAnalyzer>;
  /** Resolves when the last judgement queued on this server hands it back. */
  idle: Promise<void>;
}
const kept = new Map<string, KeptServer>();
let keeping = false;
let acrossConfigs = false;
/** How long a judgement waits for the one before it to hand the server back before it starts a server of its own. */
const HANDOFF_WAIT_MS = 10_000;

/** Whether servers are kept, and across configs (for a caller that changes it for a while and restores it). */
export function analyzerReuse(): { on: boolean; acrossStackConfigs: boolean } {
  return { on: keeping, acrossStackConfigs: acrossConfigs };
}

/**
 * Keeps servers for reuse (on), or stops every kept one (off). `acrossStackConfigs`: one server
 * for every config of a stack, only for a pack that never reads the stack's config (this
 * repository's pack; test/layout/layers.test.ts holds it to that).
 */
export function reuseAnalyzers(on: boolean, opts: { acrossStackConfigs?: boolean } = {}): void {
  keeping = on;
  acrossConfigs = on && (opts.acrossStackConfigs ?? false);
  if (on) return;
  for (const { server } of kept.values())
    void server.then(
      (s) => s.child.kill(),
      () => undefined,
    );
  kept.clear();
}

/** Forgets a kept server, if the map still holds this one (another may have replaced it since). */
function forget(key: string, entry: KeptServer): void {
  if (kept.get(key) === entry) kept.delete(key);
}

export async function launchAnalyzer(opts: AnalyzerOptions): Promise<LaunchedAnalyzer> {
  if (!keeping) return startAnalyzer(opts);
  const key = JSON.stringify([opts.packDir, opts.stack, opts.project, opts.organization ?? "", acrossConfigs ? "" : (opts.stackConfig ?? {})]);
  let entry = kept.get(key);
  if (!entry) {
    const created: KeptServer = { server: startAnalyzer(opts), idle: Promise.resolve() };
    created.server.catch(() => forget(key, created));
    kept.set(key, created);
    entry = created;
  }
  const previous = entry.idle;
  let release!: () => void;
  entry.idle = new Promise((resolve) => (release = resolve));
  // A judgement that never hands its server back (a test that timed out) must not stall the next for
  // long: that one gets a server of its own, and the queue moves on only once the stuck one is back.
  let timer: NodeJS.Timeout | undefined;
  const handedBack = await Promise.race([
    previous.then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), HANDOFF_WAIT_MS).unref())),
  ]);
  clearTimeout(timer);
  if (!handedBack) {
    void previous.then(release);
    return startAnalyzer(opts);
  }
  let server: LaunchedAnalyzer;
  try {
    server = await entry.server;
  } catch (err) {
    release();
    throw err;
  }
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    forget(key, entry);
    release();
    return launchAnalyzer(opts);
  }
  // What the server writes from now on is this judgement's (its errors quote it).
  const from = server.stderr().length;
  return { ...server, stderr: () => server.stderr().slice(from), release };
}

/** Done with a server: a kept one is handed back, any other stopped. */
export function stopLaunched(launched: LaunchedAnalyzer): void {
  if (launched.release) launched.release();
  else launched.child.kill();
}

async function startAnalyzer(opts: AnalyzerOptions): Promise<LaunchedAnalyzer> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [opts.packDir] });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_NODEJS_STACK: opts.stack,
    PULUMI_NODEJS_PROJECT: opts.project,
    PULUMI_NODEJS_DRY_RUN: "true",
    ...(opts.organization ? { PULUMI_NODEJS_ORGANIZATION: opts.organization } : {}),
    ...(opts.stackConfig ? { PULUMI_CONFIG: JSON.stringify(opts.stackConfig) } : {}),
  };
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", opts.packDir], { cwd: opts.packDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const limit = opts.startTimeoutMs ?? 30_000;
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`the policy pack in ${opts.packDir} ${why}${err.trim() ? `:\n${err.trim()}` : ""}`));
    };
    const timer = setTimeout(() => fail(`did not print its port within ${limit} ms`), limit);
    child.stdout!.on("data", (d) => {
      out += d;
      if (!out.includes("\n")) return;
      const line = out.split("\n")[0].trim();
      if (!/^\d+$/.test(line)) return fail(`printed "${line.slice(0, 200)}" instead of its port`);
      clearTimeout(timer);
      resolve(Number(line));
    });
    child.on("exit", (code) => fail(`exited with code ${code} before serving`));
  });
  child.removeAllListeners("exit");
  return { child, port, stderr: () => err };
}

/** The policy pack that ships with this repository. */
export const PACK_DIR = path.join(REPO, "policies");

/**
 * Why the pack in `packDir` cannot be started (dependencies missing), or undefined. A build
 * missing or older than the TypeScript sources is redone first (the pack's own `npm run build`),
 * so the server never judges with stale JavaScript.
 */
export function packInstalledProblem(packDir: string): string | undefined {
  const install = `npm ci --prefix ${path.relative(process.cwd(), packDir) || "."}`;
  let tsc: string;
  try {
    require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    require.resolve("@pulumi/policy", { paths: [packDir] });
    tsc = require.resolve("typescript/bin/tsc", { paths: [packDir] });
  } catch {
    return `the policy pack's dependencies are not installed: run ${install}`;
  }
  const main = path.join(packDir, JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")).main ?? "index.js");
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  const sources = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((d) =>
        d.name === "node_modules" || d.name === "bin"
          ? []
          : d.isDirectory()
            ? sources(path.join(dir, d.name))
            : d.name.endsWith(".ts")
              ? [path.join(dir, d.name)]
              : [],
      );
  if (sources(packDir).some((f) => fs.statSync(f).mtimeMs > built)) {
    const run = spawnSync(process.execPath, [tsc, "-p", path.join(packDir, "tsconfig.json")], { encoding: "utf8" });
    if (run.status !== 0)
      return `the policy pack does not build (npm run build --prefix ${path.relative(process.cwd(), packDir) || "."}):\n${run.stdout}${run.stderr}`;
  }
  return undefined;
}
