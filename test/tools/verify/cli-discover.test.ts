/** The CLI (flags, sources, output, exit codes), --domain discovery, and TLS/CORS units, against the lab. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, parseCli, USAGE } from "../../../tools/verify/cli";
import { checkCors } from "../../../tools/verify/cors";
import { verifyDomain } from "../../../tools/verify/discover";
import { checkRedirect } from "../../../tools/verify/http-checks";
import { Net } from "../../../tools/verify/net";
import { exitCode, formatTable } from "../../../tools/verify/report";
import { makeReport } from "../../../tools/verify/runner";
import { checkCertificate, checkLegacyTls, probeVersion } from "../../../tools/verify/tls-checks";
import type { Report } from "../../../tools/verify/types";
import { buildZone, FIXTURES, route, startLab, type Lab } from "./helpers/lab";
import { startDnsServer } from "./helpers/dns-server";
import { hasOpenssl, makePki } from "./helpers/pki";
import { startHttps } from "./helpers/web";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(
    argv,
    (s) => (out += `${s}\n`),
    (s) => (err += `${s}\n`),
  );
  return { code, out, err };
}

describe("verify CLI and --domain", function () {
  let lab: Lab;
  let labFlags: string[];
  before(async function () {
    if (!hasOpenssl()) this.skip();
    lab = await startLab();
    const o = lab.options;
    labFlags = [
      "--dns-server",
      o.dnsServers![0],
      "--https-port",
      String(o.httpsPort),
      "--http-port",
      String(o.httpPort),
      "--ca",
      lab.pki.rootFile,
      "--timeout",
      "1500",
      "--samples",
      "2",
      ...Object.entries(o.connectTo!).flatMap(([k, v]) => ["--connect-to", `${k}:${v.host}:${v.port}`]),
    ];
  });
  after(async () => lab?.close());

  describe("parsing", () => {
    it("reads every flag", () => {
      const a = parseCli([
        "--map",
        "m.json",
        "--json",
        "--strict",
        "--only",
        "dns,tls",
        "--dns-server",
        "127.0.0.1:5353",
        "--resolve",
        "a.test:443:127.0.0.1",
        "--resolve",
        "b.test:*:[::1]",
        "--connect-to",
        "c.test:443:127.0.0.1:8443",
        "--https-port",
        "8443",
        "--http-port",
        "8080",
        "--timeout",
        "900",
        "--concurrency",
        "3",
        "--samples",
        "4",
      ]);
      assert.deepStrictEqual(a.source, { kind: "map", value: "m.json" });
      assert.deepStrictEqual(parseCli(["--stack", "staging", "--dir", "examples/acmechat"]).dir, "examples/acmechat");
      assert.strictEqual(a.json, true);
      const o = a.options;
      assert.deepStrictEqual(
        [o.strict, o.only, o.dnsServers, o.httpsPort, o.httpPort, o.timeoutMs, o.concurrency, o.latencySamples],
        [true, ["dns", "tls"], ["127.0.0.1:5353"], 8443, 8080, 900, 3, 4],
      );
      assert.deepStrictEqual(o.resolve, { "a.test:443": "127.0.0.1", "b.test:*": "::1" });
      assert.deepStrictEqual(o.connectTo, { "c.test:443": { host: "127.0.0.1", port: 8443 } });
    });
    const usage: Array<[string, string[], RegExp]> = [
      ["no source", [], /say what to verify/],
      ["two sources", ["--map", "a", "--domain", "b.test"], /use one of/],
      ["an unknown flag", ["--map", "a", "--bogus"], /Unknown option/],
      ["a bad --resolve", ["--map", "a", "--resolve", "a.test:443"], /must be HOST:PORT:ADDRESS/],
      ["a bad --connect-to", ["--map", "a", "--connect-to", "a.test:443:127.0.0.1"], /must be HOST:PORT:ADDRESS:PORT/],
      ["a bad --dns-server", ["--map", "a", "--dns-server", "dns.google"], /must be an IP address/],
      ["a bad --only", ["--map", "a", "--only", "dns,smtp"], /unknown smtp/],
      ["a bad --timeout", ["--map", "a", "--timeout", "soon"], /--timeout must be a whole number/],
      ["a bad --domain", ["--domain", "not a domain"], /is not a domain name/],
      ["--dir without --stack", ["--map", "a", "--dir", "examples/acmechat"], /--dir goes with --stack/],
      ["a missing map file", ["--map", "/nonexistent/map.json"], /cannot read \(ENOENT\)/],
      ["outputs without domainMap", ["--outputs", path.join(FIXTURES, "dkim-keys.json")], /no "domainMap" key.*pulumi stack output --json/],
    ];
    for (const [what, argv, msg] of usage) {
      it(`exits 2 on ${what}`, async () => {
        const r = await run(argv);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, msg);
      });
    }
    it("prints the help and exits 0", async () => {
      const r = await run(["--help"]);
      assert.strictEqual(r.code, 0);
      assert.strictEqual(r.out.trim(), USAGE);
    });
  });

  describe("runs", () => {
    it("--map good: table, exit 0", async () => {
      const r = await run(["--map", path.join(FIXTURES, "good.map.json"), ...labFlags]);
      assert.strictEqual(r.code, 0, r.out);
      assert.match(r.out, /STATUS\s+CHECK\s+TARGET\s+DETAIL/);
      assert.match(r.out, /PASS\s+email SPF evaluation\s+good\.test/);
      assert.match(r.out, /0 fail .*OK/);
    });
    it("--outputs (pulumi stack output --json) reads the domainMap key; --json is valid JSON", async () => {
      const r = await run(["--outputs", path.join(FIXTURES, "good.outputs.json"), "--json", "--only", "dns,email", ...labFlags]);
      assert.strictEqual(r.code, 0);
      const report = JSON.parse(r.out) as Report;
      assert.strictEqual(report.domain, "good.test");
      assert.ok(report.checks.length > 5);
      assert.ok(report.checks.every((c) => c.category === "dns" || c.category === "email"));
      assert.deepStrictEqual(Object.keys(report.checks[0]).slice(0, 6), ["id", "category", "check", "target", "status", "detail"]);
    });
    it("--map broken: exit 1", async () => {
      const r = await run(["--map", path.join(FIXTURES, "broken.map.json"), "--only", "email", ...labFlags]);
      assert.strictEqual(r.code, 1);
      assert.match(r.out, /FAIL\s+email SPF record\s+mkt\.broken\.test/);
    });
    it("a warning alone exits 0, and 1 with --strict", async () => {
      // a map whose only finding is the 10-day certificate
      const map = JSON.parse(fs.readFileSync(path.join(FIXTURES, "good.map.json"), "utf8"));
      map.hosts = [{ hostname: "soon.broken.test", role: "subdomain", target: "ipv4:127.0.0.1", proxied: false }];
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "verify-cli-")), "soon.json");
      fs.writeFileSync(file, JSON.stringify(map));
      const plain = await run(["--map", file, "--only", "tls", "--json", ...labFlags]);
      const report = JSON.parse(plain.out) as Report;
      assert.deepStrictEqual(
        report.checks.filter((c) => c.target === "soon.broken.test" && c.status !== "pass").map((c) => c.status),
        ["warn"],
      );
      assert.strictEqual(plain.code, 0);
      assert.strictEqual((await run(["--map", file, "--only", "tls", "--strict", ...labFlags])).code, 1);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    });
    it("--resolve points a host at an address (curl-style), with --https-port", async () => {
      const map = JSON.parse(fs.readFileSync(path.join(FIXTURES, "good.map.json"), "utf8"));
      map.hosts = [{ hostname: "unlisted.example", role: "subdomain", target: "ipv4:127.0.0.1", proxied: false }];
      map.canonicalHost = "unlisted.example";
      map.canonicalOrigin = "https://unlisted.example";
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "verify-cli-")), "m.json");
      fs.writeFileSync(file, JSON.stringify(map));
      const r = await run(["--map", file, "--only", "http", "--json", "--resolve", "unlisted.example:*:127.0.0.1", ...labFlags]);
      const report = JSON.parse(r.out) as Report;
      const hsts = report.checks.find((c) => c.id === "http.hsts");
      assert.strictEqual(hsts?.status, "pass", hsts?.detail);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    });
  });

  describe("--domain (no stack)", () => {
    it("discovers the good domain and passes it", async () => {
      const report = await verifyDomain("good.test", lab.options);
      const bad = report.checks.filter((c) => c.status === "fail");
      assert.deepStrictEqual(
        bad.map((c) => c.detail),
        [],
      );
      const has = (id: string, target: string) => report.checks.find((c) => c.id === id && c.target === target);
      assert.strictEqual(has("email.dkim", "google._domainkey.good.test")?.status, "pass", "found DKIM at a common selector");
      assert.strictEqual(has("email.spf", "good.test")?.status, "pass");
      assert.strictEqual(has("email.dmarc", "_dmarc.good.test")?.status, "pass");
      assert.ok(
        report.checks.some((c) => c.id === "http.redirect" && c.target.startsWith("https://www.good.test/") && c.status === "pass"),
        "www found as the redirect host",
      );
      assert.ok(report.checks.some((c) => c.id === "dns.discovered" && /10 mx\.mailer\.test/.test(c.detail)));
    });
    it("finds the broken domain's faults with no stack", async () => {
      const report = await verifyDomain("broken.test", { ...lab.options, dkimSelectors: ["k1"] });
      const fail = (id: string, re: RegExp) => report.checks.some((c) => c.id === id && c.status === "fail" && re.test(c.detail));
      assert.ok(fail("http.hsts", /no Strict-Transport-Security/));
      assert.ok(fail("http.redirect", /skips https on www\.broken\.test/));
      assert.ok(fail("email.spf.lookups", /12\/10 DNS lookups/));
      assert.ok(fail("email.dkim", /revoked/), "the revoked key at the given selector k1 is found");
      assert.ok(
        report.checks.some((c) => c.id === "email.dmarc" && c.status === "warn" && /p=none/.test(c.detail)),
        "no plan: p=none is a warning, not drift",
      );
    });
    it("warns when a sending domain has no DKIM key at any selector the sender catalogue names", async () => {
      const report = await verifyDomain("mkt.broken.test", { ...lab.options, only: ["email"] });
      const rows = report.checks.filter((c) => c.id === "email.dkim");
      assert.equal(rows.length, 1);
      assert.strictEqual(rows[0].status, "warn");
      // Each provider's fixed or default selectors, as its setup page gives them.
      for (const selector of ["google", "selector1", "selector2", "resend", "s1", "s2", "mte1", "mte2", "fm1", "fm2", "fm3"])
        assert.match(rows[0].detail, new RegExp(`[(, ]${selector}[,)]`), selector);
    });
    it("names the provider the live SPF authorises whose DKIM key is missing, and its dashboard", async () => {
      const two = await verifyDomain("twosenders.test", { ...lab.options, only: ["email"] });
      assert.deepEqual(
        two.checks.filter((c) => c.id === "email.dkim").map((c) => [c.target, c.status]),
        [
          ["s1._domainkey.twosenders.test", "warn"],
          ["google._domainkey.twosenders.test", "pass"],
        ],
      );
      const sendgrid = two.checks.find((c) => c.target === "s1._domainkey.twosenders.test")!;
      assert.match(sendgrid.detail, /include:sendgrid\.net authorises Twilio SendGrid but no DKIM key is at s1, s2/);
      assert.match(sendgrid.fix!, /SendGrid > Settings > Sender Authentication.*\(setup: https:\/\/www\.twilio\.com\//);

      // amazonses.com serves Amazon SES (selectors per domain) and Resend (resend._domainkey): neither key is visible without the selector.
      const ses = await verifyDomain("ses.test", { ...lab.options, only: ["email"] });
      const row = ses.checks.filter((c) => c.id === "email.dkim");
      assert.equal(row.length, 1);
      assert.match(
        row[0].detail,
        /include:amazonses\.com authorises Amazon SES or Resend; Amazon SES sets DKIM selectors per domain and no key is at resend: not checked/,
      );
      assert.match(row[0].fix!, /SES console > Configuration > Verified identities.*--dkim-selector/);
      const given = await verifyDomain("ses.test", { ...lab.options, only: ["email"], dkimSelectors: ["abcdef123456"] });
      assert.deepEqual(
        given.checks.filter((c) => c.id === "email.dkim").map((c) => [c.target, c.status]),
        [["abcdef123456._domainkey.ses.test", "pass"]],
      );
    });
    it("a DNS server that refuses is an error on every lookup, never an absence: nothing passes and no no-mail check runs", async () => {
      const report = await verifyDomain("refused.test", { ...lab.options, only: ["dns", "email"] });
      const discovered = report.checks.filter((c) => c.id === "dns.discovered" && c.target === "refused.test");
      assert.deepEqual(
        discovered.map((c) => [c.check, c.status]),
        [
          ["Discovered", "fail"],
          ["Discovered MX", "fail"],
          ["Discovered TXT (SPF)", "fail"],
        ],
      );
      assert.match(
        discovered[1].detail,
        /^could not be checked: DNS MX refused\.test: refused by 127\.0\.0\.1:\d+\. Fix: check that refused\.test's nameservers answer/,
      );
      assert.ok(!report.checks.some((c) => c.id === "email.nomail"), "mail is unknown, not absent");
      // The registry's RDAP answer is not the zone's DNS: it may pass; nothing answered by the refusing server does.
      assert.ok(!report.checks.some((c) => c.status === "pass" && c.category === "dns" && c.id !== "dns.registration"));
    });

    it("a DNS server that is gone, or silent, is reported as such; nothing passes on a failed lookup", async () => {
      const gone = await startDnsServer({});
      const address = gone.address;
      await gone.close();
      const down = await verifyDomain("good.test", { ...lab.options, dnsServers: [address], timeoutMs: 300, dnsTries: 1, only: ["dns", "email"] });
      const mx = down.checks.find((c) => c.check === "Discovered MX")!;
      assert.equal(mx.status, "fail");
      assert.match(mx.detail, /^could not be checked: DNS MX good\.test: (no answer within 300 ms|.*not answering)/);
      assert.ok(
        !down.checks.some((c) => c.status === "pass"),
        down.checks
          .filter((c) => c.status === "pass")
          .map((c) => c.detail)
          .join("\n"),
      );
      assert.ok(!down.checks.some((c) => c.id === "email.nomail"));

      const silent = await verifyDomain("silent.test", { ...lab.options, timeoutMs: 300, dnsTries: 1, only: ["dns", "email"] });
      const first = silent.checks.find((c) => c.check === "Discovered" && c.target === "silent.test")!;
      assert.match(first.detail, /^could not be checked: DNS A silent\.test: no answer within 300 ms from 127\.0\.0\.1:\d+/);
      assert.ok(!silent.checks.some((c) => c.status === "pass" && c.id !== "dns.registration"));
    });

    it("the whole run has a deadline, discovery included, and reports what it did not check", async () => {
      const report = await verifyDomain("silent.test", { ...lab.options, timeoutMs: 5000, dnsTries: 1, deadlineMs: 1000 });
      assert.deepEqual(
        report.checks.map((c) => [c.id, c.status, c.detail.split(". Fix")[0]]),
        [["dns.discovered", "fail", "not discovered: the run's deadline of 1 s passed"]],
      );
      assert.equal(report.ok, false);
    });

    it("--dkim-selector finds a key at a selector no common sender uses", async () => {
      const without = await verifyDomain("custom.test", { ...lab.options, only: ["email"] });
      const warn = without.checks.find((c) => c.id === "email.dkim")!;
      assert.equal(warn.status, "warn");
      assert.match(warn.detail, /Fix: publish your sender's DKIM record; if it uses another selector, name it with --dkim-selector <selector>$/);
      const withSelector = await verifyDomain("custom.test", { ...lab.options, only: ["email"], dkimSelectors: ["mail2024"] });
      assert.deepEqual(
        withSelector.checks.filter((c) => c.id === "email.dkim").map((c) => [c.target, c.status]),
        [["mail2024._domainkey.custom.test", "pass"]],
      );
      assert.deepEqual(parseCli(["--domain", "custom.test", "--dkim-selector", "Mail2024", "--dkim-selector", "s9"]).options.dkimSelectors, ["mail2024", "s9"]);
      assert.throws(() => parseCli(["--domain", "custom.test", "--dkim-selector", "bad selector"]), /--dkim-selector "bad selector" is not a DKIM selector/);
    });

    it("with no stack, no fix says to run pulumi up or edit the stack config", async () => {
      const report = await verifyDomain("broken.test", lab.options);
      assert.ok(report.checks.some((c) => c.status === "fail"));
      for (const c of report.checks) assert.doesNotMatch(`${c.detail} ${c.fix ?? ""}`, /pulumi up|stack config/, c.detail);
    });

    it("--dns-server ADDR=ZONE sends only the zone's names to that server, everything else to the normal resolver", async () => {
      // An authoritative-only server for good.test: it knows nothing of the senders' names.
      const zone = buildZone();
      const authoritative = await startDnsServer(
        Object.fromEntries(Object.entries(zone).filter(([name]) => name === "good.test" || name.endsWith(".good.test"))),
      );
      try {
        const args = parseCli(["--domain", "good.test", "--dns-server", lab.dns.address, "--dns-server", `${authoritative.address}=good.test`]);
        assert.deepEqual(args.options.dnsZoneServers, { "good.test": [authoritative.address] });
        const report = await verifyDomain("good.test", { ...lab.options, dnsZoneServers: args.options.dnsZoneServers, only: ["email"] });
        const spf = report.checks.find((c) => c.id === "email.spf.lookups");
        assert.equal(spf?.status, "pass", spf?.detail);
        assert.ok(authoritative.queries.length > 0);
        assert.ok(
          authoritative.queries.every((q) => q.name === "good.test" || q.name.endsWith(".good.test")),
          authoritative.queries.map((q) => q.name).join(", "),
        );
      } finally {
        await authoritative.close();
      }
    });

    it("treats a domain with no SPF and no MX as sending no mail", async () => {
      const report = await verifyDomain("expired.broken.test", { ...lab.options, only: ["email"] });
      const row = report.checks.find((c) => c.id === "email.nomail");
      assert.strictEqual(row?.status, "fail");
      assert.match(row!.detail, /publish TXT expired\.broken\.test "v=spf1 -all"/);
    });
  });

  describe("units on the lab servers", () => {
    it("tells an unknown root from a missing intermediate", async function () {
      if (!hasOpenssl()) this.skip();
      // A second CA nobody trusts, serving its full chain (leaf + intermediate).
      const other = makePki();
      const leaf = other.issue("unknownroot.broken.test", ["unknownroot.broken.test"]);
      const server = await startHttps(route, { fallback: { key: leaf.key, cert: leaf.fullchain }, byName: {} });
      try {
        const net = new Net({
          ...lab.options,
          connectTo: { ...lab.options.connectTo, "unknownroot.broken.test:443": { host: "127.0.0.1", port: server.port } },
        });
        const [unknownRoot] = await checkCertificate(net, "unknownroot.broken.test");
        assert.equal(unknownRoot.status, "fail");
        assert.match(
          unknownRoot.detail,
          /^unknown root \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\): the server sends the chain \(2 certificates, up to ".+"\), but its root ".+" is not a trusted CA\. Fix: use a certificate from a publicly trusted CA/,
        );
        const [noChain] = await checkCertificate(new Net(lab.options), "nochain.broken.test");
        assert.match(noChain.detail, /^chain incomplete \(.+\): the server sends the leaf issued by ".+" without its intermediate certificate/);
      } finally {
        await server.close();
        other.cleanup();
      }
    });

    it("classifies TLS 1.0 probes: accepted by the legacy server, refused by the good one", async () => {
      const net = new Net(lab.options);
      assert.strictEqual((await probeVersion(net, "legacy.broken.test", "TLSv1")).outcome, "accepted");
      assert.strictEqual((await probeVersion(net, "good.test", "TLSv1")).outcome, "refused");
      assert.strictEqual((await probeVersion(net, "dead.broken.test", "TLSv1")).outcome, "unreachable");
    });
    it("only warns about TLS 1.0 when the plan's minimum allows it", async () => {
      const r = await checkLegacyTls(new Net(lab.options), "legacy.broken.test", "1.0");
      assert.strictEqual(r.status, "warn");
      assert.match(r.detail, /raise edge\.minTlsVersion to 1\.2/);
    });
    it("fails CORS that answers * to every origin", async () => {
      const rows = await checkCors(new Net(lab.options), "https://star.broken.test/api", ["https://app.broken.test"]);
      assert.deepStrictEqual(
        rows.map((r) => r.status),
        ["fail", "fail"],
      );
      assert.match(rows[0].detail, /Access-Control-Allow-Origin: \*", which allows every site/);
    });
    it("fails a CORS allow-list that misses an approved origin", async () => {
      const rows = await checkCors(new Net(lab.options), "https://api.good.test/api/health", ["https://good.test", "https://app.good.test"]);
      assert.deepStrictEqual(
        rows.map((r) => r.status),
        ["pass", "fail", "pass"],
      );
      assert.match(rows[1].detail, /https:\/\/app\.good\.test: not allowed.*Fix: add https:\/\/app\.good\.test/);
    });
    it("fails a redirect to a host that is down, naming the host", async () => {
      const r = await checkRedirect(new Net(lab.options), "https://dead.broken.test/x", "https://good.test/x");
      assert.strictEqual(r.status, "fail");
      assert.match(r.detail, /connection refused/);
    });
  });

  describe("report", () => {
    const rows = [
      { id: "a", category: "dns" as const, check: "A", target: "x.test", status: "pass" as const, detail: "fine" },
      { id: "b", category: "tls" as const, check: "B", target: "y.test", status: "warn" as const, detail: "soon. Fix: renew", fix: "renew" },
    ];
    it("exit code: 0 with warnings, 1 with --strict, 1 with a failure", () => {
      assert.strictEqual(exitCode(makeReport("x.test", "map", rows, Date.now(), false)), 0);
      assert.strictEqual(exitCode(makeReport("x.test", "map", rows, Date.now(), true)), 1);
      assert.strictEqual(exitCode(makeReport("x.test", "map", [...rows, { ...rows[0], status: "fail" }], Date.now(), false)), 1);
    });
    it("the table has a row per check and the summary", () => {
      const t = formatTable(makeReport("x.test", "map", rows, Date.now(), false), { width: 100 });
      assert.match(t, /PASS\s+dns A\s+x\.test\s+fine/);
      assert.match(t, /WARN\s+tls B\s+y\.test\s+soon\. Fix: renew/);
      assert.match(t, /1 pass, 1 warn, 0 fail .*OK/);
    });
  });
});
