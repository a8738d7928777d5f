/**
 * The client-bundle scan against the lab: leaky.test's page, Next.js chunk, Vite asset and source
 * map carry nine kinds of planted secret, each reported with its file and kind; clean.test's
 * publishable keys are no finding; the bounds cut the scan and say so; and no planted value
 * appears in any row, table or JSON report (a fingerprint at most).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkBundles, DEFAULT_BUNDLE_LIMITS, scriptUrls } from "../../../tools/verify/bundles";
import { main } from "../../../tools/verify/cli";
import { verifyDomain } from "../../../tools/verify/discover";
import { Net } from "../../../tools/verify/net";
import { formatJson, formatTable } from "../../../tools/verify/report";
import { fingerprint, scanText } from "../../../tools/verify/secret-scan";
import type { CheckResult, Report } from "../../../tools/verify/types";
import { secretScanning } from "../../../lib/provider-facts/secret-scanning-facts";
import { PLANTED, PLANTED_IN, PUBLISHABLE } from "./helpers/bundle-sites";
import { startLab, type Lab } from "./helpers/lab";
import { hasOpenssl } from "./helpers/pki";

const ROOT = path.join(__dirname, "..", "..", "..");

/** Every planted secret, whole and by its distinctive middle (a printed prefix would still leak it). */
function leaks(text: string): string[] {
  return Object.entries(PLANTED).flatMap(([kind, value]) => {
    const core = value.replace(/-----[A-Z ]+-----/g, "").replace(/\s/g, "");
    const probes = [value, core.slice(Math.floor(core.length / 2) - 8, Math.floor(core.length / 2) + 8)];
    return probes.some((p) => text.includes(p)) ? [kind] : [];
  });
}

describe("verify: the client-bundle scan", function () {
  let lab: Lab;
  let net: Net;
  before(async function () {
    if (!hasOpenssl()) this.skip();
    lab = await startLab();
    net = new Net(lab.options);
  });
  after(async () => lab?.close());

  describe("leaky.test: nine kinds planted in the page, a Next.js chunk, a Vite asset and a source map", () => {
    let rows: CheckResult[];
    before(async () => {
      rows = await checkBundles(net, ["https://leaky.test/"]);
    });

    it("reports each kind, in the file that holds it, as a fail with rotate-then-move as the fix", () => {
      const secrets = rows.filter((r) => r.id === "bundle.secret");
      const found = Object.fromEntries(secrets.map((r) => [r.data!.kind as string, r.target]));
      assert.deepEqual(found, PLANTED_IN);
      for (const r of secrets) {
        assert.equal(r.status, "fail");
        assert.equal(r.category, "bundles");
        assert.match(r.fix!, /first \(it has leaked\), then move it to a server-side environment variable \(no NEXT_PUBLIC_ or VITE_ prefix\)/);
      }
      assert.match(secrets.find((r) => r.data!.kind === "Stripe live secret key")!.fix!, /^roll it in the Stripe Dashboard/);
    });

    it("names each finding by a fixed-length fingerprint of the value, never the value", () => {
      const secrets = rows.filter((r) => r.id === "bundle.secret");
      for (const r of secrets) {
        const kind = r.data!.kind as keyof typeof PLANTED;
        assert.match(r.data!.fingerprint as string, /^sha256:[0-9a-f]{12}$/);
        // A finding's fingerprint is of what its rule matched: the PEM block as escaped in the source, and the
        // database rule's match, which runs on past the URL's closing quote.
        if (kind !== "private key" && kind !== "PostgreSQL URL with a password") assert.equal(r.data!.fingerprint, fingerprint(PLANTED[kind]), kind);
      }
      assert.deepEqual(leaks(JSON.stringify(rows)), []);
    });

    it("does not fetch scripts on other origins, and says how many it left", () => {
      assert.ok(!rows.some((r) => r.target.includes("cdn.elsewhere.test")));
      const secret = rows.find((r) => r.id === "bundle.secret")!;
      assert.ok(secret);
      assert.ok(!rows.some((r) => r.id === "bundle.scan"), "no 'no secret found' row when secrets were found");
    });
  });

  it("clean.test: Stripe pk_, Supabase anon and publishable keys, a Turnstile site key and a PostHog project key are no finding", async () => {
    const rows = await checkBundles(net, ["https://clean.test/"]);
    assert.deepEqual(
      rows.map((r) => [r.id, r.status]),
      [["bundle.scan", "pass"]],
    );
    assert.match(rows[0].detail, /scanned 1 page, 1 script and 0 source maps \(\d+ bytes\): no secret found/);
    assert.doesNotMatch(rows[0].detail, /safe/);
    // And each publishable key alone, scanned directly.
    for (const [name, key] of Object.entries(PUBLISHABLE)) assert.deepEqual(await scanText(`${name}.js`, `var k="${key}";`), [], name);
  });

  describe("the bounds", () => {
    it("--bundle-max-files: the files past it are not scanned, said as a warning, never as clean", async () => {
      const rows = await checkBundles(net, ["https://leaky.test/"], { ...DEFAULT_BUNDLE_LIMITS, maxFiles: 1 });
      const limit = rows.find((r) => r.id === "bundle.limit")!;
      assert.equal(limit.status, "warn");
      assert.match(
        limit.detail,
        /scanned 1 page, 1 script and 0 source maps .*; 2 files not scanned \(stopped by --bundle-max-files 1\): what was not read is not known to be clean/,
      );
      assert.match(limit.fix!, /raise --bundle-max-files/);
      // The page itself is still scanned: its Stripe key is found.
      assert.ok(rows.some((r) => r.id === "bundle.secret" && r.data!.kind === "Stripe live secret key"));
    });

    it("--bundle-max-bytes: reading stops at the byte budget", async () => {
      const rows = await checkBundles(net, ["https://leaky.test/"], { ...DEFAULT_BUNDLE_LIMITS, maxBytes: 1024 });
      const limit = rows.find((r) => r.id === "bundle.limit")!;
      assert.ok(limit, rows.map((r) => r.id).join());
      assert.match(limit.detail, /stopped by --bundle-max-bytes 1024|read only in part/);
      assert.ok((limit.data!.bytes as number) <= 1024);
    });

    it("--bundle-time: a scan out of time stops and says so", async () => {
      const rows = await checkBundles(net, ["https://leaky.test/"], { ...DEFAULT_BUNDLE_LIMITS, timeMs: 0 });
      assert.match(rows.find((r) => r.id === "bundle.limit")!.detail, /stopped by --bundle-time 0/);
    });
  });

  it("through the CLI (--domain, --only bundles): exit 1, and neither the table nor --json holds a planted value", async () => {
    const args = [
      "--domain",
      "leaky.test",
      "--dns-server",
      lab.dns.address,
      "--https-port",
      String(lab.options.httpsPort),
      "--http-port",
      String(lab.options.httpPort),
    ];
    const out: string[] = [];
    assert.equal(
      await main(
        [...args, "--only", "bundles", "--json", "--bundle-max-files", "10"],
        (s) => out.push(s),
        (s) => out.push(s),
      ),
      1,
    );
    const report = JSON.parse(out.join("\n")) as Report;
    assert.equal(report.checks.filter((c) => c.id === "bundle.secret").length, Object.keys(PLANTED).length);
    const table: string[] = [];
    await main(
      [...args, "--only", "bundles", "--no-color"],
      (s) => table.push(s),
      (s) => table.push(s),
    );
    assert.deepEqual(leaks(out.join("\n") + table.join("\n")), []);
    assert.match(table.join("\n"), /FAIL +bundles/);
  });

  it("is on by default: a whole --domain run of the clean site has its bundle row", async () => {
    const report = await verifyDomain("clean.test", { ...lab.options });
    assert.deepEqual(
      report.checks.filter((c) => c.category === "bundles").map((c) => [c.id, c.status]),
      [["bundle.scan", "pass"]],
    );
    assert.deepEqual(leaks(formatJson(report) + formatTable(report, { color: false, width: 160 })), []);
  });
});

describe("verify: the bundle scan's parts", () => {
  it("finds script URLs in src (quoted or not) and module preloads, resolved against the page", () => {
    const html = `<script src=/a.js></script><script src="b.js?x=1&amp;y=2"></script><link rel="modulepreload" href="/c.js"><link rel="preload" as="script" href="/d.js"><link rel="stylesheet" href="/e.css"><script>inline()</script>`;
    assert.deepEqual(scriptUrls(html, "https://app.example/x/"), [
      "https://app.example/a.js",
      "https://app.example/x/b.js?x=1&y=2",
      "https://app.example/c.js",
      "https://app.example/d.js",
    ]);
  });

  it("secret-scanning.json names the secretlint versions installed", () => {
    for (const [pkg, version] of Object.entries(secretScanning.scanner.packages)) {
      const installed = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
      assert.equal(installed, version, `${pkg}: re-read its rules for ${installed} and update secret-scanning.json`);
    }
  });

  it("without the aws rule's enableIDScanRule a bare access key ID would be missed: the option is what finds it", async () => {
    const found = await scanText("k.js", `var id="${PLANTED["AWS access key ID"]}";`);
    assert.deepEqual(
      found.map((f) => f.kind),
      ["AWS access key ID"],
    );
    // AWS's own documentation example stays ignored by the rule.
    assert.deepEqual(await scanText("k.js", 'var id="AKIAIOSFODNN7EXAMPLE";'), []);
  });

  it("the OpenAI gap rule finds a key-prefixed value without the marker the preset's rule needs; the preset's rule wins where both match", async () => {
    const unmarked = `sk-proj-${"Ab3".repeat(30)}`;
    assert.deepEqual(
      (await scanText("k.js", `x="${unmarked}"`)).map((f) => [f.kind, f.detector]),
      [["OpenAI API key", "@secretlint/secretlint-rule-pattern"]],
    );
    assert.deepEqual(
      (await scanText("k.js", `x="${PLANTED["OpenAI API key"]}"`)).map((f) => f.detector),
      ["@secretlint/secretlint-rule-openai"],
    );
  });
});
