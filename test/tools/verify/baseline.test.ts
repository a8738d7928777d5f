/**
 * The latency baseline gate against a loopback endpoint whose delay the test sets: a saved
 * baseline holds each endpoint's p50/p95 and sample count; +30% over it fails, +10% passes (the
 * default bar is 20%); too few samples on either side is a warning, never a pass.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { compareToBaseline, type Baseline } from "../../../tools/verify/baseline";
import { main } from "../../../tools/verify/cli";
import type { CheckResult, Report } from "../../../tools/verify/types";
import { loadFixtureMap } from "./helpers/lab";

describe("verify: the latency baseline gate", function () {
  let server: http.Server;
  let port: number;
  let delayMs = 0;
  let dir: string;
  let mapFile: string;
  const URL_ = "http://slow.lab.test/api/health";

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      setTimeout(() => res.end("ok"), delayMs);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as net.AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-baseline-"));
    // Another product than the example: one API health route, its latency target well above the delays used.
    const map = loadFixtureMap("good");
    map.monitors = [{ name: "api", url: URL_, critical: true, latencyTargetMs: 10000, failureThreshold: 3, intervalSeconds: 30, regions: [] }];
    mapFile = path.join(dir, "map.json");
    fs.writeFileSync(mapFile, JSON.stringify(map));
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = async (extra: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ["--map", mapFile, "--only", "health", "--connect-to", `slow.lab.test:80:127.0.0.1:${port}`, "--json", ...extra],
      (s) => out.push(s),
      (s) => err.push(s),
    );
    return { code, report: out.length ? (JSON.parse(out.join("\n")) as Report) : undefined, err: err.join("\n") };
  };
  const gate = (r: { report?: Report }) => r.report!.checks.filter((c) => c.id === "latency.regression");
  const writeBaseline = (p95: number, samples = 5): string => {
    const file = path.join(dir, `baseline-${p95}-${samples}.json`);
    const b: Baseline = { version: 1, savedAt: "2026-11-30T12:00:00.000Z", source: "map:earlier", endpoints: { [URL_]: { p50: p95, p95, samples } } };
    fs.writeFileSync(file, JSON.stringify(b));
    return file;
  };

  it("--save-baseline writes each endpoint's p50, p95 and sample count", async () => {
    delayMs = 150;
    const file = path.join(dir, "saved.json");
    const r = await run(["--samples", "5", "--save-baseline", file]);
    assert.equal(r.code, 0, r.err);
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as Baseline;
    assert.deepEqual(Object.keys(saved.endpoints), [URL_]);
    const e = saved.endpoints[URL_];
    assert.equal(e.samples, 5);
    assert.ok(e.p50 >= 150 && e.p95 >= e.p50, JSON.stringify(e));
  });

  it("p95 30% over the baseline fails (default --max-regression 20), with the fix", async () => {
    delayMs = 520;
    const r = await run(["--samples", "5", "--baseline", writeBaseline(400)]);
    const [row] = gate(r);
    assert.equal(row.status, "fail", row.detail);
    assert.match(row.detail, /p95 \d+ ms now against 400 ms in the baseline of 2026-11-30 \(\+\d+\.\d%, 5 and 5 samples\): more than the allowed \+20%/);
    assert.match(row.fix!, /find what this change made slower/);
    assert.equal(r.code, 1);
  });

  it("p95 10% over the baseline passes", async () => {
    delayMs = 440;
    const r = await run(["--samples", "5", "--baseline", writeBaseline(400)]);
    const [row] = gate(r);
    assert.equal(row.status, "pass", row.detail);
    assert.match(row.detail, /within \+20%/);
    assert.equal(r.code, 0);
  });

  it("--max-regression sets the bar: +30% passes under 40", async () => {
    delayMs = 520;
    const r = await run(["--samples", "5", "--baseline", writeBaseline(400), "--max-regression", "40"]);
    assert.equal(gate(r)[0].status, "pass", gate(r)[0].detail);
  });

  it("fewer than 5 samples on either side is a warning saying so, never a pass (even with a slowdown)", async () => {
    delayMs = 520;
    const few = await run(["--samples", "3", "--baseline", writeBaseline(400)]);
    assert.equal(gate(few)[0].status, "warn");
    assert.match(gate(few)[0].detail, /not enough samples to compare p95: 3 now, 5 in the baseline .* needs 5 on both sides/);
    const fewBefore = await run(["--samples", "5", "--baseline", writeBaseline(400, 2)]);
    assert.equal(gate(fewBefore)[0].status, "warn");
    assert.match(gate(fewBefore)[0].detail, /5 now, 2 in the baseline/);
  });

  it("a missing or malformed baseline file, or --max-regression alone, is a usage error", async () => {
    const missing = await run(["--baseline", path.join(dir, "nope.json")]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--baseline .*nope\.json: cannot read \(ENOENT\); write one with --save-baseline/);
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ version: 1, endpoints: {} }));
    assert.match((await run(["--baseline", bad])).err, /not a verify baseline \(savedAt: /);
    assert.match((await run(["--max-regression", "10"])).err, /--max-regression goes with --baseline/);
  });

  it("an endpoint the baseline does not hold is a warning, not a pass", () => {
    const latency: CheckResult = {
      id: "health.latency",
      category: "health",
      check: "Latency",
      target: "https://new.example/health",
      status: "pass",
      detail: "",
      data: { samples: [10, 11, 12, 13, 14], p50: 12, p95: 14, errors: 0 },
    };
    const rows = compareToBaseline([latency], { version: 1, savedAt: "2026-11-30T00:00:00Z", source: "x", endpoints: {} });
    assert.deepEqual(
      rows.map((r) => [r.id, r.status]),
      [["latency.regression", "warn"]],
    );
    assert.match(rows[0].detail, /not in the baseline of 2026-11-30/);
  });
});

describe("the example workflow keeps the latency baseline between runs", () => {
  const workflow = require("js-yaml").load(fs.readFileSync(path.join(__dirname, "..", "..", "..", "examples", "github", "launch-ready.yml"), "utf8"));
  const job = workflow.jobs.verify;
  const step = job.steps.find((s: { id?: string }) => s.id === "verify");
  /** Runs the step's script as the runner's bash does, with a stand-in npm that answers `exit`. */
  const runStep = (dir: string, exit: number) => {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(
      path.join(bin, "npm"),
      `#!/bin/bash\necho "$@" >> "${dir}/npm-args"\nfor ((i=1;i<=$#;i++)); do if [ "\${!i}" = --save-baseline ]; then j=$((i+1)); echo new > "\${!j}"; fi; done\nexit ${exit}\n`,
      { mode: 0o755 },
    );
    const r = spawnSync("bash", ["-e", "-c", step.run], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH}`, STACK: "prod" }, encoding: "utf8" });
    return { code: r.status, args: fs.readFileSync(path.join(dir, "npm-args"), "utf8").trim().split("\n") };
  };

  it("restores the newest baseline of the stack and saves it under a new key, after the deploy only", () => {
    assert.equal(job.if, "github.event_name == 'push' && github.ref == 'refs/heads/main'");
    assert.ok(job.needs.includes("up"));
    const restore = job.steps.find((s: { uses?: string }) => s.uses === "actions/cache/restore@v4");
    const save = job.steps.find((s: { uses?: string }) => s.uses === "actions/cache/save@v4");
    assert.equal(restore.with.path, "verify-baseline.json");
    assert.equal(save.with.path, "verify-baseline.json");
    assert.ok(save.with.key.startsWith(restore.with["restore-keys"]), "the saved key is found by the restore prefix");
    assert.ok(job.steps.indexOf(restore) < job.steps.indexOf(step) && job.steps.indexOf(step) < job.steps.indexOf(save));
  });

  it("the first run only saves; later runs gate on the baseline; a failed gate keeps the old baseline", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-verify-step-"));
    try {
      const first = runStep(dir, 0);
      assert.equal(first.code, 0);
      assert.doesNotMatch(first.args[0], /--baseline /);
      assert.match(first.args[0], /run --silent verify -- --stack prod --samples 10 --save-baseline verify-baseline\.new\.json/);
      assert.equal(fs.readFileSync(path.join(dir, "verify-baseline.json"), "utf8"), "new\n");

      fs.writeFileSync(path.join(dir, "verify-baseline.json"), "old\n");
      fs.rmSync(path.join(dir, "npm-args"));
      const failed = runStep(dir, 1);
      assert.equal(failed.code, 1, "the job fails with verify, so the cache save step does not run");
      assert.match(failed.args[0], /--baseline verify-baseline\.json --max-regression 20/);
      assert.equal(fs.readFileSync(path.join(dir, "verify-baseline.json"), "utf8"), "old\n", "a regression never becomes the baseline");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
