/**
 * The launch-ready bin (tools/launch-ready.js): which code it runs (build/ while no source
 * changed since the build, else the TypeScript sources), what it says for a command this
 * checkout lacks, that every command module can be called without running on import, and
 * that machine output pipes: README's JSON command prints JSON alone on stdout, and so does
 * `plan --json` on a config error.
 */
import { strict as assert } from "assert";
import { copyOfRepository } from "../helpers/repository-copy";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BUILD_DIR, REPO } from "../../tools/repo";
import { main as planMain } from "../../tools/cli/plan";
import { main as buildMain } from "../../tools/cli/build";
import { runMain, spawnCli, spawnNode } from "../helpers/cli";

const ROOT = path.resolve(__dirname, "..", "..");
const bin = require(path.join(ROOT, "tools", "launch-ready.js")) as {
  COMMANDS: Record<string, string>;
  BUILD_DIR: string;
  locate(command: string, repo?: string): { kind: string; file?: string; why?: string; source?: string };
  run(argv: string[], stderr?: NodeJS.WritableStream, stdout?: NodeJS.WritableStream, repo?: string): Promise<number>;
};

/** A stream that keeps what is written to it. */
function sink(): NodeJS.WritableStream & { text: string } {
  const s = { text: "", write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WritableStream & { text: string };
}

/** A fake checkout: the given sources, and build/ compiled from them (manifest with their mtimes). */
function checkout(sources: string[], compiled: string[] = sources): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-bin-"));
  const manifest: Record<string, number> = {};
  for (const rel of sources) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), "export {};\n");
    manifest[rel] = fs.statSync(path.join(dir, rel)).mtimeMs;
  }
  for (const rel of compiled) {
    const js = path.join(dir, "build", rel.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(js), { recursive: true });
    fs.writeFileSync(js, "exports.main = async () => 0;\n");
  }
  fs.mkdirSync(path.join(dir, "build"), { recursive: true });
  fs.writeFileSync(path.join(dir, "build", "manifest.json"), JSON.stringify({ sources: manifest }));
  return dir;
}

describe("the launch-ready bin", function () {
  this.timeout(120_000);
  const made: string[] = [];
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const repo = (sources: string[], compiled?: string[]) => {
    const d = checkout(sources, compiled);
    made.push(d);
    return d;
  };

  it("runs build/ while every source is as it was compiled, the sources through ts-node once one changed", () => {
    const dir = repo(["tools/cli/plan.ts", "lib/site-plan.ts"]);
    assert.deepEqual(bin.locate("plan", dir), { kind: "compiled", file: path.join(dir, "build", "tools", "cli", "plan.js") });
    // An edit to any source, not only the command's own module, makes the build stale.
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(dir, "lib", "site-plan.ts"), later, later);
    const stale = bin.locate("plan", dir);
    assert.equal(stale.kind, "source");
    assert.equal(stale.file, path.join(dir, "tools", "cli", "plan.ts"));
    assert.match(stale.why!, /^lib\/site-plan\.ts changed since the build \(npm run build compiles again\)$/);
    fs.rmSync(path.join(dir, "build"), { recursive: true });
    assert.match(bin.locate("plan", dir).why!, /nothing is compiled yet/);
  });

  it("picks up a command whose module appears after the build, and names the file a missing one would be", () => {
    const dir = repo(["tools/cli/plan.ts", "tools/cli/init.ts"], ["tools/cli/plan.ts"]);
    const init = bin.locate("init", dir);
    assert.equal(init.kind, "source");
    assert.match(init.why!, /tools\/cli\/init\.ts is newer than the build/);
    assert.deepEqual(bin.locate("report", dir), { kind: "missing", source: "tools/cli/report.ts" });
    assert.deepEqual(bin.locate("frobnicate", dir), { kind: "unknown" });
    assert.deepEqual(bin.locate("toString", dir), { kind: "unknown" }, "only the table's own entries are commands");
  });

  it("calls the command's main with the arguments after its name: compiled, or the source when stale; refuses a module without main", async () => {
    const dir = repo(["tools/cli/plan.ts", "tools/cli/adopt.ts", "tools/cli/handover.ts"]);
    fs.writeFileSync(path.join(dir, "build", "tools", "cli", "plan.js"), "exports.main = async (argv) => 40 + argv.length;\n");
    const quiet = sink();
    assert.equal(await bin.run(["plan", "--stack", "x"], quiet, sink(), dir), 42);
    assert.equal(quiet.text, "", "nothing said when build/ is fresh");
    fs.writeFileSync(path.join(dir, "build", "tools", "cli", "adopt.js"), "exports.notMain = 1;\n");
    const refused = sink();
    assert.equal(await bin.run(["adopt"], refused, sink(), dir), 2);
    assert.match(refused.text, /build\/tools\/cli\/adopt\.js exports no main\(argv\): it cannot run as "launch-ready adopt"/);
    // A command that throws: its message, exit 1.
    fs.writeFileSync(path.join(dir, "build", "tools", "cli", "handover.js"), 'exports.main = async () => { throw new Error("no domain map"); };\n');
    const thrown = sink();
    assert.equal(await bin.run(["handover"], thrown, sink(), dir), 1);
    assert.equal(thrown.text, "launch-ready handover: no domain map\n");
    fs.writeFileSync(path.join(dir, "tools", "cli", "plan.ts"), "export async function main(argv: string[]): Promise<number> {\n  return argv.length;\n}\n");
    const note = sink();
    assert.equal(await bin.run(["plan", "a", "b", "c"], note, sink(), dir), 3, "the edited source ran, not the stale build");
    assert.match(
      note.text,
      /^launch-ready: tools\/cli\/plan\.ts changed since the build \(npm run build compiles again\); running the TypeScript sources through ts-node\n$/,
    );
    // A source deleted since the build makes it stale too; no command at all is bad usage.
    fs.rmSync(path.join(dir, "tools", "cli", "adopt.ts"));
    assert.match(bin.locate("plan", dir).why!, /^tools\/cli\/plan\.ts and 1 more source\(s\) changed since the build/);
    const none = sink();
    assert.equal(await bin.run([], none, sink(), dir), 2);
    assert.match(none.text, /^usage: npx launch-ready <command>/);
  });

  it("says clearly when a command is not in this checkout or not a command, on stderr, exit 2", async () => {
    // A checkout that has only plan and init: every other command is named as missing, with what is there.
    const partial = repo(["tools/cli/plan.ts", "tools/cli/init.ts"], ["tools/cli/plan.ts"]);
    for (const command of Object.keys(bin.COMMANDS).filter((c) => c !== "plan" && c !== "init")) {
      const [err, out] = [sink(), sink()];
      assert.equal(await bin.run([command], err, out, partial), 2);
      assert.equal(out.text, "");
      assert.equal(err.text, `launch-ready: "${command}" is not in this version of Launch Ready (no ${bin.COMMANDS[command]}.ts); commands here: plan, init\n`);
    }
    const [err, out] = [sink(), sink()];
    assert.equal(await bin.run(["deploy"], err, out), 2);
    assert.equal(out.text, "");
    assert.match(err.text, /unknown command "deploy"/);
    assert.match(err.text, /^ {2}handover /m);
    const help = sink();
    assert.equal(await bin.run(["--help"], sink(), help), 0);
    assert.match(help.text, /^usage: npx launch-ready <command>/);
  });

  it("every command module here exports main(argv) and runs nothing when imported", () => {
    const present = Object.entries(bin.COMMANDS).filter(([, rel]) => fs.existsSync(path.join(ROOT, `${rel}.ts`)));
    assert.ok(present.some(([c]) => c === "plan") && present.length >= 4);
    const writes: string[] = [];
    const [out, err] = [process.stdout.write, process.stderr.write];
    process.stdout.write = process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      for (const [command, rel] of present) {
        const mod = require(path.join(ROOT, rel));
        assert.equal(typeof mod.main, "function", `${rel}.ts exports main for "launch-ready ${command}"`);
      }
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    assert.deepEqual(writes, [], "importing a command prints nothing (it would have run)");
  });

  it("build, fixtures and prepare take no arguments: --help prints the usage on stdout (exit 0), anything else on stderr (exit 2)", async () => {
    const mains = {
      build: buildMain,
      fixtures: (await import("../../tools/cli/fixtures")).main,
      prepare: (await import("../../tools/cli/prepare")).main,
    };
    for (const [name, main] of Object.entries(mains)) {
      const help = await runMain(main, ["--help"]);
      assert.deepEqual([help.code, help.err], [0, ""], name);
      assert.match(help.out, /^usage: npm /, name);
      const bad = await runMain(main, ["--frobnicate"]);
      assert.deepEqual([bad.code, bad.out], [2, ""], name);
      assert.match(bad.err, /^usage: npm /, name);
    }
  });

  it("each command runs as a user runs it, once: a fresh node through the bin, --help on stdout and exit 0", () => {
    // plan's, verify's and handover's fuller spawned runs live in plan-cli, below and in founder-stacks; these are the rest's.
    for (const command of ["adopt", "init", "report"]) {
      assert.ok(command in bin.COMMANDS, command);
      const run = spawnNode(["tools/launch-ready.js", command, "--help"]);
      assert.equal(run.code, 0, `${command}: ${run.err}`);
      assert.match(run.out, /usage: npm run /i, command);
    }
  });

  it("each command's main(argv) answers --help with its usage on stdout, exit 0, and bad usage with exit 2", async () => {
    const present = Object.entries(bin.COMMANDS).filter(([, rel]) => fs.existsSync(path.join(ROOT, `${rel}.ts`)));
    const [out, err] = [process.stdout.write, process.stderr.write];
    for (const [command, rel] of present) {
      const { main } = require(path.join(ROOT, rel)) as { main(argv: string[]): Promise<number> };
      const written = { out: "", err: "" };
      process.stdout.write = ((c: string) => ((written.out += c), true)) as typeof process.stdout.write;
      process.stderr.write = ((c: string) => ((written.err += c), true)) as typeof process.stderr.write;
      let codes: number[];
      try {
        codes = [await main(["--help"]), await main(["--frobnicate"])];
      } finally {
        process.stdout.write = out;
        process.stderr.write = err;
      }
      assert.deepEqual(codes, [0, 2], command);
      assert.match(written.out, /^usage: npm run /im, `${command} --help prints its usage`);
      assert.match(written.err, /frobnicate/, `${command} names the bad option`);
    }
    // Run as a file (ts-node tools/cli/verify.ts), a command still sets its exit code.
    const direct = spawnCli("verify", ["--frobnicate"]);
    assert.equal(direct.code, 2, direct.err);
  });

  it("npm run build compiles every source into build/; the bin then runs it, planning as the sources do, with no note", async () => {
    const built = await runMain(buildMain, []);
    assert.equal(built.code, 0, built.err);
    assert.match(built.err, /^built \d+ files to build in /);
    const manifest = JSON.parse(fs.readFileSync(path.join(BUILD_DIR, "manifest.json"), "utf8")).sources;
    for (const rel of ["index.ts", "tools/cli/plan.ts", "components/site.ts", "policies/shared/spf.ts", "lib/provider-facts/cloudflare.json"])
      assert.equal(manifest[rel], fs.statSync(path.join(ROOT, rel)).mtimeMs, rel);
    assert.ok(!Object.keys(manifest).some((rel) => rel.startsWith("test/") || rel.includes("node_modules")));
    assert.ok(fs.existsSync(path.join(BUILD_DIR, "index.js")) && fs.existsSync(path.join(BUILD_DIR, "lib", "provider-facts", "cloudflare.json")));
    assert.equal(bin.locate("plan").kind, "compiled");

    const args = ["plan", "--dir", "examples/acmechat", "--stack", "staging", "--json", "--no-policy"];
    const compiled = spawnNode(["tools/launch-ready.js", ...args]);
    const sources = await runMain(planMain, args.slice(1));
    assert.equal(compiled.code, 0, compiled.err);
    assert.equal(compiled.err, "", "build/ is fresh: no note, no ts-node");
    assert.deepEqual(JSON.parse(compiled.out), JSON.parse(sources.out));
  });

  it("prepare (npm ci) installs the policy pack from its lockfile, then builds; npm pack and publish skip it", () => {
    const { prepare } = require("../../tools/cli/prepare") as typeof import("../../tools/cli/prepare");
    const calls: Array<{ cmd: string; args: string[]; cwd: string }> = [];
    const logs: string[] = [];
    const ok = (cmd: string, args: string[], opts: { cwd: string }) => (calls.push({ cmd, args, cwd: opts.cwd }), { status: 0 });
    for (const npm_command of ["pack", "publish"])
      assert.equal(
        prepare({ npm_command }, ok, (l) => logs.push(l)),
        0,
      );
    assert.deepEqual(calls, []);
    assert.equal(
      prepare({ npm_command: "ci", npm_execpath: "/opt/npm/bin/npm-cli.js" }, ok, (l) => logs.push(l)),
      0,
    );
    assert.deepEqual(calls, [{ cmd: process.execPath, args: ["/opt/npm/bin/npm-cli.js", "ci", "--prefix", "policies", "--no-audit", "--no-fund"], cwd: ROOT }]);
    assert.match(logs.pop()!, /^prepare: the policy pack is installed and built; compiled \d+ files to build\//);
    const failed = prepare(
      { npm_command: "install" },
      () => ({ status: 1 }),
      (l) => logs.push(l),
    );
    assert.equal(failed, 1);
    assert.match(logs.pop()!, /^prepare: npm ci --prefix policies --no-audit --no-fund failed \(exit 1\); the policy pack is not installed/);
  });

  it("agrees with tools/repo.ts on where build/ is", () => {
    assert.equal(bin.BUILD_DIR, BUILD_DIR);
    assert.equal(REPO, ROOT);
  });

  it("README's JSON command pipes as written: its stdout is the plan's JSON alone", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const documented = readme.match(/^npm run -s plan -- --json \| jq .*$/m);
    assert.ok(documented, "README shows `npm run -s plan -- --json | jq ...`");
    const command = documented[0].split(" | ")[0];
    // As on a fresh clone: a copy of the repository with no founder's stack file at its root plans the example.
    const copy = copyOfRepository();
    const run = spawnSync("sh", ["-c", command], { cwd: copy, encoding: "utf8", timeout: 120_000 });
    fs.rmSync(copy, { recursive: true, force: true });
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.stack, "prod");
    assert.equal(json.policy.passed, true);
    assert.equal(json.conformance.passed, true);
  });

  it("plan --json on a config error prints every problem as JSON on stdout and exits 1 (another product's stack)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-bad-config-"));
    made.push(dir);
    // Someone's program: this repository's, re-exported, with its own (broken) stack file beside it.
    fs.writeFileSync(path.join(dir, "index.ts"), `export * from ${JSON.stringify(path.join(ROOT, "index"))};\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: launch-ready\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(dir, "Pulumi.mybot.yaml"),
      ["config:", "  launch-ready:environment: production", "  launch-ready:zone:", "    name: mybot.ai", "    id: not-a-zone-id", "    plan: gold", ""].join(
        "\n",
      ),
    );
    const planArgs = ["--program", path.join(dir, "index.ts"), "--stack", "mybot", "--json"];
    // Through the bin (build/ when fresh, which then loads this TypeScript program through ts-node) and through the sources, each in a
    // fresh process: the program re-exports this repository's index.ts, which runs once per process.
    for (const run of [spawnNode([path.join(ROOT, "tools", "launch-ready.js"), "plan", ...planArgs]), spawnCli("plan", planArgs)]) {
      assert.equal(run.code, 1, run.err);
      const json = JSON.parse(run.out);
      assert.equal(json.stack, "mybot");
      assert.equal(json.error.kind, "config");
      const problems = json.error.problems as Array<{ key: string; message: string }>;
      assert.ok(
        problems.some((p) => p.key === "launch-ready:zone.id"),
        JSON.stringify(problems),
      );
      assert.ok(
        problems.some((p) => p.key === "launch-ready:zone.plan"),
        JSON.stringify(problems),
      );
      // The same problems the human message on stderr lists, one per line.
      for (const p of problems) assert.ok(run.err.includes(`  - ${p.key}: ${p.message}`), `stderr lists ${p.key}`);
      assert.equal((run.err.match(/^ {2}- /gm) ?? []).length, problems.length);
    }
    // Not a config error: the message alone, still JSON.
    const unknown = await runMain(planMain, ["--stack", "nope", "--json", "--no-policy"]);
    assert.equal(unknown.code, 1);
    const failed = JSON.parse(unknown.out);
    assert.equal(failed.error.kind, "plan");
    assert.match(failed.error.message, /^no stack file Pulumi\.nope\.yaml/);
  });
});
