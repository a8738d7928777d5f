/**
 * Round 3's misses, each planted in the lab (in-process DNS/HTTP servers, and Knot where a real
 * authoritative server matters): the deadline bounds discovery and leaves nothing running; a
 * domain that does not exist is one row; --rdap-url points registration at a loopback RDAP
 * server; an HSTS header asking for preload is held to the list's rules; a body that streams
 * is read as a bounded prefix, not taken for a dead host; the help names only paths that exist.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { main, USAGE } from "../../../tools/verify/cli";
import { verifyDomain } from "../../../tools/verify/discover";
import { checkMonitor } from "../../../tools/verify/health";
import { Net } from "../../../tools/verify/net";
import { runVerification } from "../../../tools/verify/runner";
import type { Report } from "../../../tools/verify/types";
import { buildZone, loadFixtureMap, startLab, type Lab } from "./helpers/lab";
import { hasOpenssl } from "./helpers/pki";
import { haveRealServers, startRealServers, type RealServers } from "./helpers/real-servers";

const ROOT = path.join(__dirname, "..", "..", "..");

/**
 * Handles and timers of each kind open once mocha has set its own test timer (it does so just after
 * an async test function returns its promise). Immediates are this tick's own and go by themselves.
 */
async function openBefore(): Promise<Map<string, number>> {
  await new Promise((r) => setImmediate(r));
  return openResources();
}

function openResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) if (r !== "Immediate") counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/** Kinds of which more are open now than in `before`, after letting closing sockets finish closing (at most ~1 s). */
async function leftOpen(before: Map<string, number>): Promise<string[]> {
  let extra: string[] = [];
  for (let i = 0; i < 20; i++) {
    const now = openResources();
    extra = [...now].filter(([k, n]) => n > (before.get(k) ?? 0)).map(([k, n]) => `${k} x${n - (before.get(k) ?? 0)}`);
    if (!extra.length) return extra;
    await new Promise((r) => setTimeout(r, 50));
  }
  return extra;
}

describe("verify round 3: the misses, planted in the lab", function () {
  let lab: Lab;
  before(async function () {
    if (!hasOpenssl()) this.skip();
    lab = await startLab();
  });
  after(async () => lab?.close());

  describe("the whole-run deadline bounds discovery against a silent DNS server (UDP and TCP dropped)", () => {
    it("verifyDomain returns at the deadline and leaves no query, socket or timer running behind it", async () => {
      const before = await openBefore();
      // c-ares alone would wait 5 s x 2 tries per query; the deadline is 1 s.
      const report = await verifyDomain("silent.test", { ...lab.options, timeoutMs: 5000, dnsTries: 2, deadlineMs: 1000 });
      assert.deepEqual(
        report.checks.map((c) => [c.id, c.status]),
        [["dns.discovered", "fail"]],
      );
      assert.deepEqual(await leftOpen(before), [], "work still open after the report: the process would wait for it");
    });

    it("the CLI too: main resolves with the deadline row and nothing keeps the process alive", async () => {
      const before = await openBefore();
      const out: string[] = [];
      const code = await main(
        ["--domain", "silent.test", "--dns-server", lab.dns.address, "--deadline", "1", "--timeout", "5000", "--json"],
        (s) => out.push(s),
        () => undefined,
      );
      assert.equal(code, 1);
      const report = JSON.parse(out.join("\n")) as Report;
      assert.match(report.checks[0].detail, /not discovered: the run's deadline of 1 s passed/);
      assert.deepEqual(await leftOpen(before), []);
    });

    it("checks cut off at the deadline (a host that accepts and never answers) are stopped, not left waiting", async () => {
      const before = await openBefore();
      const map = loadFixtureMap("broken");
      map.monitors = [{ ...map.monitors[0], name: "hangs", url: "https://hang.broken.test/health" }];
      const report = await runVerification(map, { ...lab.options, timeoutMs: 5000, only: ["health"], deadlineMs: 300 });
      assert.ok(report.checks.some((c) => c.id === "health.deadline"));
      assert.deepEqual(await leftOpen(before), []);
    });
  });

  describe("a domain that does not exist", () => {
    it("is one dns.nxdomain row saying what to check, and nothing else (no 'no MX' pass, no DMARC fix)", async () => {
      const report = await verifyDomain("nonexistent.test", { ...lab.options });
      assert.equal(report.checks.length, 1, report.checks.map((c) => `${c.id} ${c.status}`).join(", "));
      const [row] = report.checks;
      assert.equal(row.id, "dns.nxdomain");
      assert.equal(row.status, "fail");
      assert.match(row.detail, /nonexistent\.test does not exist: .* answered NXDOMAIN/);
      assert.match(row.fix!, /spelling/);
      assert.match(row.fix!, /registered/);
      assert.match(row.fix!, /nameservers/);
    });

    it("a name that exists but has no address is not taken for a missing domain", async () => {
      // shortpreload.test has records; status.broken.test has TXT only: neither is NXDOMAIN.
      const report = await verifyDomain("status.broken.test", { ...lab.options, only: ["dns"] });
      assert.ok(!report.checks.some((c) => c.id === "dns.nxdomain"));
    });
  });

  describe("--rdap-url: registration expiry from a loopback RDAP server", () => {
    let rdap: http.Server;
    let port: number;
    const asked: string[] = [];
    before(async () => {
      rdap = http.createServer((req, res) => {
        asked.push(req.url ?? "");
        const name = (req.url ?? "").replace(/^\/rdap\/domain\//, "");
        res.writeHead(200, { "content-type": "application/rdap+json" });
        res.end(
          JSON.stringify({
            objectClassName: "domain",
            ldhName: name,
            events: [{ eventAction: "expiration", eventDate: new Date(Date.now() + 5.5 * 86400000).toISOString() }],
          }),
        );
      });
      await new Promise<void>((r) => rdap.listen(0, "127.0.0.1", r));
      port = (rdap.address() as net.AddressInfo).port;
    });
    after(() => new Promise<void>((r) => rdap.close(() => r())));

    it("asks the given server (and no other), and a registration 5 days from lapsing fails with the renewal fix", async () => {
      const out: string[] = [];
      const code = await main(
        [
          "--domain",
          "good.test",
          "--dns-server",
          lab.dns.address,
          "--https-port",
          String(lab.options.httpsPort),
          "--http-port",
          String(lab.options.httpPort),
          "--timeout",
          "1500",
          "--rdap-url",
          `http://127.0.0.1:${port}/rdap/domain`,
          "--only",
          "dns",
          "--json",
        ],
        (s) => out.push(s),
        (s) => out.push(s),
      );
      assert.equal(code, 1);
      const row = (JSON.parse(out.join("\n")) as Report).checks.find((c) => c.id === "dns.registration")!;
      assert.equal(row.status, "fail");
      assert.match(row.detail, /expires in 5 days/);
      assert.match(row.fix!, /renew good\.test/);
      assert.deepEqual(asked, ["/rdap/domain/good.test"]);
    });

    it("a URL that is not http(s) is a usage error naming the option", async () => {
      const errs: string[] = [];
      assert.equal(
        await main(
          ["--domain", "good.test", "--rdap-url", "ftp://x/"],
          () => undefined,
          (s) => errs.push(s),
        ),
        2,
      );
      assert.match(errs.join("\n"), /--rdap-url "ftp:\/\/x\/" must be an http:\/\/ or https:\/\/ URL/);
    });
  });

  describe("HSTS that asks for preload, with no stack to say so", () => {
    it("--domain: max-age of half a year with preload fails as hstspreload.org would refuse it", async () => {
      const report = await verifyDomain("shortpreload.test", { ...lab.options, only: ["http"] });
      const row = report.checks.find((c) => c.id === "http.hsts.preload" && c.target === "https://shortpreload.test/")!;
      assert.ok(row, report.checks.map((c) => `${c.id} ${c.status} ${c.detail}`).join("\n"));
      assert.equal(row.status, "fail");
      assert.match(row.detail, /asks for preload, but max-age 15768000s is under the 31536000s/);
      assert.match(row.fix!, /max-age=31536000; includeSubDomains; preload/);
    });

    it("the good zone's year-long header without preload still passes", async () => {
      const report = await verifyDomain("good.test", { ...lab.options, only: ["http"] });
      const hsts = report.checks.filter((c) => c.id.startsWith("http.hsts"));
      assert.ok(hsts.length > 0 && hsts.every((c) => c.status === "pass"), JSON.stringify(hsts));
    });
  });

  describe("a body that streams or stalls after the headers is not a dead host", () => {
    const monitor = (url: string, expect?: string) => ({
      name: "chat",
      url,
      critical: true,
      expect,
      latencyTargetMs: 2000,
      failureThreshold: 3,
      intervalSeconds: 30,
      regions: [],
    });

    it("an endless stream: the first 5,120 bytes are read (as Route 53 reads them), the text found, time to first byte and body time apart", async () => {
      const rows = await checkMonitor(new Net(lab.options), monitor("https://stream.good.test/chat", "event: ready"), 2);
      const status = rows.find((r) => r.id === "health.status")!;
      assert.equal(status.status, "pass", status.detail);
      assert.match(status.detail, /first byte in \d+ ms, the first 5120 bytes of the body in \d+ ms \(the rest not read/);
      assert.equal(status.data?.bodyCut, "limit");
      assert.equal(status.data?.bodyBytes, 5120);
      assert.ok(!rows.some((r) => /no response within/.test(r.detail)));
    });

    it("a body that stops after its first line: judged on what came, and said so", async () => {
      const rows = await checkMonitor(new Net({ ...lab.options, timeoutMs: 400 }), monitor("https://stream.good.test/stall", "event: ready"), 1);
      const status = rows.find((r) => r.id === "health.status")!;
      assert.equal(status.status, "pass", status.detail);
      assert.match(status.detail, /first byte in \d+ ms, 14 bytes of the body in \d+ ms, then no end to it within the timeout/);
      assert.equal(status.data?.bodyCut, "timeout");
    });

    it("the expected text missing from the bounded prefix fails, naming what was read", async () => {
      const rows = await checkMonitor(new Net(lab.options), monitor("https://stream.good.test/chat", "status: ok"), 1);
      const status = rows.find((r) => r.id === "health.status")!;
      assert.equal(status.status, "fail");
      assert.match(status.detail, /the first 5120 bytes lack "status: ok" \(first byte in \d+ ms/);
    });
  });

  describe("against Knot (authoritative) too", function () {
    this.timeout(60_000);
    let real: RealServers | undefined;
    before(async function () {
      if (!haveRealServers()) {
        console.log("      (skipped: knotd and nginx are not installed; .ci/run installs them)");
        this.skip();
      }
      real = await startRealServers("good.test", buildZone(), lab.pki);
    });
    after(async () => real?.close());

    it("a name Knot's zone does not hold is NXDOMAIN there, and the only row", async () => {
      const report = await verifyDomain("nothere.good.test", { ...lab.options, dnsZoneServers: { "good.test": [real!.dnsAddress] } });
      assert.deepEqual(
        report.checks.map((c) => [c.id, c.status]),
        [["dns.nxdomain", "fail"]],
      );
      assert.match(report.checks[0].detail, new RegExp(`${real!.dnsAddress.replace(/\./g, "\\.")} \\(for good\\.test\\) answered NXDOMAIN`));
    });
  });
});

describe("verify --help names only paths that exist", () => {
  it("every file or directory path in the help text is in the repository", () => {
    // Repository paths: a file with its extension, or an example's directory (not "apex/www" or "p50/p95").
    const paths = [...USAGE.matchAll(/(?<![\w/:.-])((?:[\w.-]+\/)+[\w-]+\.(?:ts|js|json|ya?ml|md)|examples\/[\w-]+)(?![\w/])/g)].map((m) => m[1]);
    assert.ok(paths.length > 0, "the help names no path: the test would prove nothing");
    const missing = paths.filter((p) => !fs.existsSync(path.join(ROOT, p)));
    assert.deepEqual(missing, []);
  });
});
