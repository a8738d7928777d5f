/**
 * The launch report with --live: verify's rows against the lab's real servers (Knot, nginx and
 * the in-process DNS and HTTPS stand-ins) become findings in the report's vocabulary, and the
 * checklist's steps turn done or todo from what verify saw.
 */
import { strict as assert } from "assert";
import { buildReport, launchReportSchema, type LaunchReport } from "../../lib/report";
import { main } from "../../tools/cli/report";
import { runVerification } from "../../tools/verify/runner";
import { loadFixtureMap, startLab, type Lab } from "../tools/verify/helpers/lab";
import { startCloudflareApi } from "../tools/adopt/helpers/cloudflare-api";
import { PLANTED } from "../tools/verify/helpers/bundle-sites";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const NOW = new Date("2026-12-03T12:00:00Z");

describe("the launch report, live", function () {
  this.timeout(120_000);
  let lab: Lab;
  before(async () => {
    lab = await startLab();
  });
  after(async () => {
    await lab?.close();
  });

  it("verify's failures are launch blockers and its warnings trust issues; checklist steps follow what verify saw", async () => {
    const map = loadFixtureMap("broken");
    const checks = (await runVerification(map, lab.options)).checks;
    const report = buildReport({ stack: "prod", domain: map.zone.name, map, live: checks, now: NOW });
    launchReportSchema.parse(JSON.parse(JSON.stringify(report)));
    assert.equal(report.decision, "NO-GO");
    assert.equal(report.live, true);
    const failed = checks.filter((c) => c.status === "fail");
    const warned = checks.filter((c) => c.status === "warn");
    assert.ok(failed.length > 5 && warned.length > 0);
    const verifyFindings = report.findings.filter((f) => f.source === "verify");
    assert.equal(verifyFindings.filter((f) => f.severity === "blocker").length, failed.length);
    assert.equal(verifyFindings.filter((f) => f.severity === "trust").length, warned.length);
    // The revoked DKIM key: a blocker saying what it does to mail.
    const dkim = verifyFindings.find((f) => f.ref === "email.dkim" && /k1\._domainkey/.test(f.title))!;
    assert.equal(dkim.severity, "blocker");
    assert.match(dkim.impact, /password-reset mail lands in spam/);
    // Blockers first, whatever found them.
    const firstTrust = report.findings.findIndex((f) => f.severity !== "blocker");
    assert.ok(report.findings.slice(firstTrust).every((f) => f.severity !== "blocker"));
    assert.match(report.headline, new RegExp(`^NO-GO: ${report.counts.blocker} launch blocker`));
  });

  it("DNSSEC signed but no DS at the parent: the registrar's step is to do, and a trust issue, not a blocker", async () => {
    const map = loadFixtureMap("good");
    map.zone.name = "custom.test"; // no DNSKEY or DS in the lab's custom.test
    map.edge.dnssec = true;
    map.hosts = [];
    map.records = [];
    map.monitors = [];
    map.email.senders = [];
    map.email.sendingDomains = [];
    map.email.nonSendingDomains = [];
    const checks = (await runVerification(map, { ...lab.options, only: ["dns"] })).checks;
    const dnssec = checks.find((c) => c.id === "dns.dnssec")!;
    assert.notEqual(dnssec.status, "pass", dnssec.detail);
    const report = buildReport({ stack: "prod", domain: map.zone.name, map, live: checks, now: NOW });
    assert.equal(report.checklist.find((c) => c.id === "dnssec-ds")?.state, "todo");
    const finding = report.findings.find((f) => f.ref === "dns.dnssec")!;
    assert.equal(finding.who, "registrar");
    assert.equal(finding.severity, dnssec.status === "fail" ? "blocker" : "trust");
  });

  it("--domain with no stack: verify's discovery alone, the same rows in --json as in the text", async () => {
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const code = await main(argv, { out: (s) => out.push(s), err: () => undefined, verifyOptions: lab.options });
      return { code, text: out.join("\n") };
    };
    const json = await run("--domain", "broken.test", "--json", "--date", "2026-12-03");
    assert.equal(json.code, 1);
    const report: LaunchReport = launchReportSchema.parse(JSON.parse(json.text));
    assert.equal(report.stack, null);
    assert.deepEqual(report.checklist, [], "no stack: no declared feature, no checklist");
    assert.ok(report.findings.every((f) => f.source === "verify"));
    const text = await run("--domain", "broken.test", "--date", "2026-12-03");
    assert.equal(text.code, 1);
    assert.match(text.text, /^# Launch report: broken\.test \(no stack\), 2026-12-03\n\n\*\*NO-GO: /);
    for (const [i, f] of report.findings.entries())
      assert.ok(
        text.text.includes(`${i + 1}. **${f.severity === "blocker" ? "LAUNCH BLOCKER" : f.severity === "trust" ? "trust issue" : "cleanup"}**: ${f.title}`),
        f.title,
      );
  });

  it("--live with a read-only token adds adopt's audit: a zone on another plan than zone.plan is a blocker with adopt's fix", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-report-audit-"));
    fs.copyFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const config = {
      "aws:region": "us-east-1",
      "launch-ready:environment": "production",
      "launch-ready:zone": { name: "quillnote.app", id: "c".repeat(32), accountId: "d".repeat(32), plan: "pro" },
      "launch-ready:hosting": { projectId: "prj_Quillnote1" },
      "launch-ready:email": { dmarc: { rua: ["dmarc@quillnote.app"] } },
      "launch-ready:alerts": { emails: ["oncall@quillnote.app"] },
    };
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), JSON.stringify({ config }));
    const api = await startCloudflareApi({ zoneId: "c".repeat(32), name: "quillnote.app", plan: "free", records: [] }, { token: "read-only-test-token" });
    try {
      const out: string[] = [];
      const errs: string[] = [];
      const code = await main(["--stack", "prod", "--dir", dir, "--live", "--json", "--api-url", api.url], {
        out: (s) => out.push(s),
        err: (s) => errs.push(s),
        env: { CLOUDFLARE_API_TOKEN: "read-only-test-token" },
        verifyOptions: { ...lab.options, only: ["dns"], deadlineMs: 5000 },
      });
      assert.equal(code, 1, errs.join("\n"));
      const report = launchReportSchema.parse(JSON.parse(out.join("\n")));
      const audit = report.findings.filter((f) => f.source === "adopt");
      assert.equal(audit.length, 1, JSON.stringify(report.findings, null, 2));
      assert.equal(audit[0].severity, "blocker");
      assert.match(audit[0].title, /^quillnote\.app: the zone's API reports the Free Website plan .* but zone\.plan says "pro"/);
      assert.match(audit[0].fix, /set zone\.plan: free in the stack file/);
      assert.ok(!out.join("").includes("read-only-test-token"), "the token is never printed");

      // Without a token the audit is left out, and the report says so.
      const quiet: string[] = [];
      await main(["--stack", "prod", "--dir", dir, "--live", "--json"], {
        out: () => undefined,
        err: (s) => quiet.push(s),
        env: {},
        verifyOptions: { ...lab.options, only: ["dns"], deadlineMs: 5000 },
      });
      assert.match(quiet.join("\n"), /CLOUDFLARE_API_TOKEN is not set: the live zone's audit .* is left out/);
    } finally {
      await api.close();
    }
  });

  it("a secret in the site's public JavaScript is a launch blocker saying what it costs, and the report prints no planted value", async () => {
    const out: string[] = [];
    const code = await main(["--domain", "leaky.test", "--json"], {
      out: (s) => out.push(s),
      err: () => undefined,
      verifyOptions: { ...lab.options, only: ["bundles"] },
    });
    assert.equal(code, 1);
    const text = out.join("\n");
    const report = launchReportSchema.parse(JSON.parse(text));
    const secrets = report.findings.filter((f) => f.ref === "bundle.secret");
    assert.ok(secrets.length >= 8, JSON.stringify(report.findings.map((f) => f.ref)));
    assert.ok(secrets.every((f) => f.severity === "blocker" && /public JavaScript can be used by anyone/.test(f.impact)));
    assert.ok(
      secrets.every((f) => /server-side environment variable/.test(f.fix)),
      "the fix moves it server-side",
    );
    for (const value of Object.values(PLANTED)) assert.ok(!text.includes(value), "a planted secret in the report");
  });
});
