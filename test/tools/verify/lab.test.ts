/**
 * End to end against the local lab: the good zone and sites pass every check; each
 * fault planted in the broken zone and sites is found, with a message naming the fix.
 */
import * as assert from "assert";
import { runVerification } from "../../../tools/verify";
import type { CheckResult, Report } from "../../../tools/verify/types";
import { hasOpenssl } from "./helpers/pki";
import { loadFixtureMap, startLab, type Lab } from "./helpers/lab";

describe("verify against the local lab", function () {
  let lab: Lab;
  let good: Report;
  let broken: Report;

  before(async function () {
    if (!hasOpenssl()) this.skip();
    lab = await startLab();
    [good, broken] = await Promise.all([runVerification(loadFixtureMap("good"), lab.options), runVerification(loadFixtureMap("broken"), lab.options)]);
  });
  after(async () => lab?.close());

  const find = (report: Report, id: string, target: string | RegExp): CheckResult[] =>
    report.checks.filter((c) => c.id === id && (typeof target === "string" ? c.target === target : target.test(c.target)));

  describe("good zone", () => {
    it("passes every check, with no warning (latency is reported, not judged here)", () => {
      const notPass = good.checks.filter((c) => c.status !== "pass" && !(c.id === "health.latency" && c.status === "warn"));
      assert.deepStrictEqual(
        notPass.map((c) => `${c.status} ${c.id} ${c.target}: ${c.detail}`),
        [],
      );
      assert.strictEqual(good.ok, true);
      assert.deepStrictEqual(
        good.checks.filter((c) => c.id === "dns.dnssec").map((c) => [c.target, c.status]),
        [["good.test", "pass"]],
        "the signed good zone's DS is checked and matches",
      );
    });
    it("covers every category", () => {
      for (const cat of ["dns", "email", "http", "tls", "health", "cors"]) {
        assert.ok(
          good.checks.some((c) => c.category === cat),
          `no ${cat} rows`,
        );
      }
    });
    it("reports measured values (SPF lookups, days to expiry, latency percentiles, HSTS max-age)", () => {
      assert.strictEqual(find(good, "email.spf.lookups", "good.test")[0].data?.lookups, 2);
      const expiry = find(good, "tls.expiry", "good.test")[0].data!;
      assert.ok((expiry.daysToExpiry as number) >= 78 && (expiry.daysToExpiry as number) <= 80);
      const lat = find(good, "health.latency", "https://good.test/health")[0].data!;
      assert.strictEqual((lat.samples as number[]).length, 3);
      assert.ok((lat.p95 as number) >= (lat.p50 as number));
      assert.strictEqual(find(good, "http.hsts", "https://good.test/")[0].data?.maxAge, 31536000);
    });
    it("compares a proxied record by 'resolves', not by its planned CNAME content", () => {
      const rows = find(good, "dns.record", "api.good.test");
      assert.strictEqual(rows.length, 1);
      assert.match(rows[0].detail, /proxied/);
    });
  });

  describe("broken zone: each planted fault is found and names its fix", () => {
    const planted: Array<{ fault: string; id: string; target: string | RegExp; status: "fail" | "warn"; detail: RegExp }> = [
      {
        fault: "declared host missing from DNS",
        id: "dns.resolves",
        target: "missing.broken.test",
        status: "fail",
        detail: /NXDOMAIN.*Fix: create .*pulumi up/,
      },
      {
        fault: "CNAME drifted",
        id: "dns.record",
        target: "app.broken.test",
        status: "fail",
        detail: /drift: planned cname\.vercel-dns\.com .*live has old-host\.example\.net.*Fix: run `pulumi up`/,
      },
      {
        fault: "MX drifted",
        id: "dns.record",
        target: "broken.test",
        status: "fail",
        detail: /planned 10 mx\.mailer\.test .*live has 20 mx\.other\.test.*Fix/,
      },
      {
        fault: "TXT added outside the plan",
        id: "dns.record",
        target: "broken.test",
        status: "warn",
        detail: /google-site-verification=abc123" is not in the plan.*Fix: add it to the stack config/,
      },
      {
        fault: "SPF over 10 lookups",
        id: "email.spf.lookups",
        target: "broken.test",
        status: "fail",
        detail: /12\/10 DNS lookups.*replace includes by ip4\/ip6/,
      },
      {
        fault: "sender's include missing from SPF",
        id: "email.spf.sender",
        target: "broken.test",
        status: "fail",
        detail: /include:_spf\.mailer\.test is not in the live SPF.*Fix: add include:_spf\.mailer\.test/,
      },
      { fault: "two SPF records", id: "email.spf", target: "news.broken.test", status: "fail", detail: /2 SPF records.*merge them into one/ },
      { fault: "+all", id: "email.spf", target: "mkt.broken.test", status: "fail", detail: /"\+all" lets anyone send.*use "~all" or "-all"/ },
      {
        fault: "more than 2 void lookups",
        id: "email.spf.lookups",
        target: "voids.broken.test",
        status: "fail",
        detail: /3 void lookups \(limit 2.*gone1.*remove the terms/,
      },
      {
        fault: "DKIM selector missing",
        id: "email.dkim",
        target: "s1._domainkey.broken.test",
        status: "fail",
        detail: /no DKIM key record.*Fix: publish the DKIM record/,
      },
      { fault: "DKIM key revoked", id: "email.dkim", target: "k1._domainkey.broken.test", status: "fail", detail: /revoked.*Fix: publish/ },
      {
        fault: "DKIM key too short",
        id: "email.dkim",
        target: "weak._domainkey.broken.test",
        status: "fail",
        detail: /only 512 bits.*rotate to a 2048-bit key/,
      },
      {
        fault: "DKIM key truncated",
        id: "email.dkim",
        target: "trunc._domainkey.broken.test",
        status: "fail",
        detail: /not a valid RSA public key.*truncated.*Fix: publish/,
      },
      {
        fault: "DMARC policy drifted from the plan",
        id: "email.dmarc",
        target: "_dmarc.broken.test",
        status: "fail",
        detail: /live p=none but the plan says p=quarantine.*pulumi up/,
      },
      {
        fault: "DMARC reports to an unauthorised domain",
        id: "email.dmarc.reports",
        target: "broken.test._report._dmarc.reports.example.net",
        status: "warn",
        detail: /has not authorised reports.*publish TXT broken\.test\._report\._dmarc\.reports\.example\.net/,
      },
      {
        fault: "no-mail name not locked down",
        id: "email.nomail",
        target: "status.broken.test",
        status: "fail",
        detail: /not locked down.*Fix: publish TXT status\.broken\.test "v=spf1 -all".*p=reject/,
      },
      { fault: "temporary (302) redirect", id: "http.redirect", target: /^http:\/\/broken\.test\//, status: "warn", detail: /302 is temporary.*use 301/ },
      {
        fault: "http:// skips https on the same host",
        id: "http.redirect",
        target: /^http:\/\/www\.broken\.test\//,
        status: "fail",
        detail: /skips https on www\.broken\.test.*HSTS preload.*Fix: answer http:\/\/www\.broken\.test with a 301 to https:\/\/www\.broken\.test/,
      },
      {
        fault: "redirect drops path and query",
        id: "http.redirect",
        target: /^https:\/\/old\.broken\.test\//,
        status: "fail",
        detail: /path or query is dropped.*keep the request path and query/,
      },
      {
        fault: "redirect loop (redirect host)",
        id: "http.redirect",
        target: /^https:\/\/loop\.broken\.test\//,
        status: "fail",
        detail: /redirect loop: .*www\.loop\.broken\.test.*Fix/,
      },
      {
        fault: "missing HSTS",
        id: "http.hsts",
        target: "https://broken.test/",
        status: "fail",
        detail: /no Strict-Transport-Security header.*Fix: send "Strict-Transport-Security: max-age=31536000; includeSubDomains"/,
      },
      { fault: "expired certificate", id: "tls.expiry", target: "expired.broken.test", status: "fail", detail: /expired on 2020-02-01.*renew the certificate/ },
      {
        fault: "certificate for another name",
        id: "tls.cert",
        target: "wrongname.broken.test",
        status: "fail",
        detail: /for other\.test, not wrongname\.broken\.test.*issue a certificate that covers/,
      },
      { fault: "incomplete chain", id: "tls.cert", target: "nochain.broken.test", status: "fail", detail: /chain incomplete.*serve the full chain/ },
      {
        fault: "registration expiring in 10 days (RDAP)",
        id: "dns.registration",
        target: "broken.test",
        status: "fail",
        detail: /^the registration expires in (9|10) days \(\d{4}-\d\d-\d\d\)\. Fix: renew broken\.test at the registrar and turn auto-renew on$/,
      },
      {
        fault: "CAA forbidding every authority",
        id: "dns.caa",
        target: "broken.test",
        status: "fail",
        detail: /CAA forbids every authority \(issue ";"\), so the DNS-only hosts cannot get certificates: broken\.test \(A 127\.0\.0\.1\)/,
      },
      {
        fault: "DS at the registrar from an earlier key",
        id: "dns.dnssec",
        target: "broken.test",
        status: "fail",
        detail:
          /^the DS at the parent \(key tag \d+\) matches no key the zone serves: validating resolvers reject every answer\. Fix: replace the DS at the registrar with broken\.test\. DS \d+ 13 2 [0-9A-F]{64}/,
      },
      {
        fault: "no X-Content-Type-Options",
        id: "http.headers",
        target: "https://broken.test/",
        status: "fail",
        detail: /^missing: browsers may guess a response's type\. Fix: send "X-Content-Type-Options: nosniff"/,
      },
      {
        fault: "page may be framed",
        id: "http.headers",
        target: "https://broken.test/",
        status: "fail",
        detail: /^any site may frame the page \(clickjacking\)\. Fix: send "Content-Security-Policy: frame-ancestors 'none'"/,
      },
      {
        fault: "session cookie without its flags",
        id: "http.headers",
        target: "https://broken.test/",
        status: "fail",
        detail: /^set without Secure, HttpOnly, SameSite\. Fix: set the cookie with Secure; HttpOnly; SameSite=Lax/,
      },
      { fault: "certificate expiring in 10 days", id: "tls.expiry", target: "soon.broken.test", status: "warn", detail: /expires in 10 days.*renew/ },
      { fault: "certificate expiring in 3 days", id: "tls.expiry", target: "verysoon.broken.test", status: "fail", detail: /expires in 3 days.*renew/ },
      {
        fault: "TLS 1.0/1.1 accepted",
        id: "tls.legacy",
        target: "legacy.broken.test",
        status: "fail",
        detail: /accepts TLS 1\.0 and 1\.1.*Minimum TLS Version/,
      },
      { fault: "health endpoint answers 500", id: "health.status", target: "https://broken.test/health", status: "fail", detail: /answers 500.*Fix/ },
      {
        fault: "health endpoint lacks the expected text",
        id: "health.status",
        target: "https://broken.test/status",
        status: "fail",
        detail: /lack "ok".*Fix: make the route return "ok"/,
      },
      {
        fault: "slow endpoint (sleeps 150 ms, target 20 ms)",
        id: "health.latency",
        target: "https://broken.test/slow",
        status: "warn",
        detail: /target p95 < 20 ms.*Fix: profile the route/,
      },
      {
        fault: "dead host (connection refused)",
        id: "health.status",
        target: "https://dead.broken.test/health",
        status: "fail",
        detail: /connection refused.*Fix/,
      },
      {
        fault: "hung host (accepts, never answers)",
        id: "health.status",
        target: "https://hang.broken.test/health",
        status: "fail",
        detail: /no response within 1500 ms.*Fix/,
      },
      {
        fault: "CORS reflects any origin",
        id: "cors.denied",
        target: "https://api.broken.test/",
        status: "fail",
        detail: /launch-ready-verify\.invalid.*with credentials.*Fix: stop reflecting any Origin/,
      },
    ];
    for (const p of planted) {
      it(p.fault, () => {
        const rows = find(broken, p.id, p.target);
        assert.ok(rows.length, `no ${p.id} row for ${p.target}`);
        const hit = rows.find((r) => r.status === p.status && p.detail.test(r.detail));
        assert.ok(hit, `expected ${p.status} matching ${p.detail} among:\n${rows.map((r) => `${r.status}: ${r.detail}`).join("\n")}`);
        assert.ok(hit.fix, "the row carries the fix on its own");
      });
    }

    it("the canonical check finds the loop behind a redirect host", () => {
      const rows = find(broken, "http.redirect", /^http:\/\/loop\.broken\.test\//);
      assert.strictEqual(rows[0].status, "fail");
      assert.match(rows[0].detail, /redirect loop/);
    });
    it("a healthy host in the broken zone still passes (faults are not smeared)", () => {
      assert.strictEqual(find(broken, "tls.cert", "broken.test")[0].status, "pass");
      assert.strictEqual(find(broken, "tls.legacy", "api.broken.test")[0].status, "pass");
      assert.strictEqual(find(broken, "cors.allowed", "https://api.broken.test/")[0].status, "pass");
    });
    it("the report fails overall", () => {
      assert.strictEqual(broken.ok, false);
      assert.ok(broken.summary.fail >= 25);
    });
  });
});

describe("verify on the lab: HSTS preload readiness and the run's deadline", function () {
  this.timeout(60_000);
  let lab: Lab;
  before(async function () {
    if (!hasOpenssl()) this.skip();
    lab = await startLab();
  });
  after(async () => lab && (await lab.close()));

  it("is checked only when the stack asks for preload, and names what is missing", async () => {
    const map = loadFixtureMap("good");
    const without = await runVerification(map, { ...lab.options, only: ["http"] });
    assert.ok(!without.checks.some((c) => c.id === "http.hsts.preload"));
    const withPreload = await runVerification({ ...map, edge: { ...map.edge, hsts: { ...map.edge.hsts, preload: true } } }, { ...lab.options, only: ["http"] });
    const row = withPreload.checks.find((c) => c.id === "http.hsts.preload")!;
    assert.equal(row.status, "fail");
    assert.match(row.detail, /^the stack asks for preload, but the preload directive is missing\. Fix: meet hstspreload\.org's requirements/);
  });

  it("a check still running at the deadline is reported as not checked, naming the deadline", async () => {
    // The hung host accepts and never answers; the per-call timeout (1500 ms) is longer than the whole run's.
    const report = await runVerification(loadFixtureMap("broken"), { ...lab.options, only: ["health"], deadlineMs: 400 });
    const late = report.checks.filter((c) => /^not checked: the run's deadline of 400 ms passed/.test(c.detail));
    assert.ok(late.length > 0, report.checks.map((c) => c.detail).join("\n"));
    assert.ok(late.every((c) => c.status === "fail" && c.id === "health.deadline"));
  });
});
