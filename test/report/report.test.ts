/**
 * The launch report: GO / NO-GO by its rule, findings ranked in one vocabulary, the checklist
 * derived from what the stack declares, the owners. On the example and on products that are not.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildReport, launchReportSchema, type LaunchReport } from "../../lib/report";
import { POLICY_IMPACT, VERIFY_CATEGORY_IMPACT } from "../../lib/report/impact";
import { CATEGORIES } from "../../tools/verify/runner";
import { renderReport } from "../../lib/report/render";
import { allPolicies } from "../../policies/rules";
import { main, reportInputOf } from "../../tools/cli/report";
import { runOffline } from "../../tools/offline/run";
import { domainMapMermaid, mermaidBlock } from "../../lib/diagram/mermaid";
import { stackExportOf, STATE_SECRETS } from "../helpers/state-export";

const NOW = new Date("2026-12-03T12:00:00Z");
const SECRET = { secure: "v1:c2VjcmV0LWNpcGhlcnRleHQ=" };

/** A chatbot on quillnote.app that is not the example: Resend for mail, a Stripe key, alerts by email. */
function quillnote(): Record<string, any> {
  return {
    "aws:region": "us-east-1",
    "launch-ready:environment": "production",
    "launch-ready:zone": { name: "quillnote.app", id: "c".repeat(32), accountId: "d".repeat(32), plan: "pro" },
    "launch-ready:site": { name: "@", canonical: "apex", target: "vercel" },
    "launch-ready:subdomains": [{ name: "app", target: "vercel" }],
    "launch-ready:email": {
      senders: [
        {
          name: "resend",
          kind: "resend",
          region: "us-east-1",
          dkim: [{ selector: "resend", type: "TXT", value: "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDold" }],
        },
      ],
      dmarc: { policy: "none", rua: ["dmarc@quillnote.app"] },
    },
    "launch-ready:hosting": {
      projectId: "prj_Quillnote1",
      env: { production: { STRIPE_SECRET_KEY: { secret: "stripeSecretKey" } }, preview: {}, development: {} },
    },
    "launch-ready:alerts": { emails: ["oncall@quillnote.app"] },
    "launch-ready:owners": {
      registrar: "Mia Chen <mia@quillnote.app>",
      cloudflare: "Mia Chen <mia@quillnote.app>",
      aws: "Sam Ortiz <sam@quillnote.app>",
      vercel: "Sam Ortiz <sam@quillnote.app>",
      mail: "Mia Chen <mia@quillnote.app>",
      onCall: "Sam Ortiz, +1 555 0100",
      escalation: "Mia Chen, +1 555 0101",
    },
    "launch-ready:stripeSecretKey": SECRET,
  };
}

async function reportOf(config: Record<string, any>, stack = "prod"): Promise<LaunchReport> {
  const run = await runOffline({ stack, stackFile: { config } });
  const report = buildReport(reportInputOf(run, { now: NOW }));
  // The JSON contract holds for every report.
  launchReportSchema.parse(JSON.parse(JSON.stringify(report)));
  return report;
}

const about = (r: LaunchReport, ref: RegExp) => r.findings.filter((f) => ref.test(f.ref));

describe("the launch report", function () {
  this.timeout(120_000);

  it("has a business impact for every policy of the pack and every verify category, so a new one cannot ship without one", () => {
    const names = allPolicies.map((p) => p.name).sort();
    assert.deepEqual(Object.keys(POLICY_IMPACT).sort(), names);
    assert.deepEqual(Object.keys(VERIFY_CATEGORY_IMPACT).sort(), [...CATEGORIES].sort());
  });

  it("a product that meets the bar is GO, its advisory findings trust issues with the date to fix them by", async () => {
    const report = await reportOf(quillnote());
    assert.equal(report.decision, "GO", JSON.stringify(report.findings, null, 2));
    assert.equal(report.counts.blocker, 0);
    const dmarc = about(report, /^dmarc-enforcing-policy$/);
    assert.equal(dmarc.length, 1);
    assert.equal(dmarc[0].severity, "trust");
    assert.match(dmarc[0].impact, /forged/);
    assert.equal(report.trustDeadline, "2026-12-17");
    assert.match(
      report.headline,
      /^GO: no launch blocker; \d+ trust issue\(s\) to fix by 2026-12-17; confirm the \d+ manual step\(s\) marked "\?" before launch$/,
    );
    assert.ok(!report.findings.some((f) => f.source === "owners"), "every system has an owner");
    assert.deepEqual(
      report.owners.map((o) => o.system),
      ["domain registrar", "Cloudflare", "Vercel", "AWS", 'Resend (sender "resend")', "on call", "escalation"],
    );
    assert.equal(report.owners.find((o) => o.system === "on call")?.owner, "Sam Ortiz, +1 555 0100");
  });

  it("a policy finding's fix is the policy's remediation steps; without them it names the policy, never a sentence cut from the description", () => {
    const verdict = {
      policyName: "spf-record-valid",
      description: "SPF records must be valid. Fix: a sentence that is not the remediation",
      enforcementLevel: "mandatory",
      status: "violation",
      violations: [{ message: "bad SPF", resourceName: "spf" }],
      errors: [],
    };
    const fixOf = (remediation?: string) =>
      buildReport({ stack: "prod", domain: "quillnote.app", verdicts: [{ ...verdict, remediation }], now: NOW }).findings.find((f) => f.source === "policy")
        ?.fix;
    assert.equal(fixOf("Publish one v=spf1 record per name."), "Publish one v=spf1 record per name.");
    assert.equal(fixOf(undefined), "see the remediation steps of policy spf-record-valid in the policy pack");
  });

  it("planted problems get the severity the rule gives, and the decision follows", async () => {
    // A loosened login rate limit (the Free plan counts over 10 s only: 10 per 10 minutes becomes 1 per 10 s, 6x looser): a trust issue, still GO.
    const free = quillnote();
    free["launch-ready:zone"].plan = "free";
    free["launch-ready:edge"] = { rateLimits: [{ name: "login", paths: ["/api/auth/signin"], requests: 10, periodSeconds: 600 }] };
    const loosened = await reportOf(free);
    const rl = about(loosened, /^ratelimit-not-loosened$/);
    assert.ok(rl.length >= 1, JSON.stringify(loosened.findings, null, 2));
    assert.ok(rl.every((f) => f.severity === "trust"));
    assert.match(rl[0].title, /login/);
    assert.equal(loosened.decision, "GO");

    // An unset secret: a blocker, NO-GO, and its checklist step to do.
    const unset = quillnote();
    delete unset["launch-ready:stripeSecretKey"];
    const noSecret = await reportOf(unset);
    assert.equal(noSecret.decision, "NO-GO");
    assert.deepEqual(
      noSecret.findings.filter((f) => f.severity === "blocker").map((f) => [f.source, f.ref]),
      [["secrets", "unsetSecrets"]],
    );
    assert.deepEqual(
      noSecret.checklist.filter((c) => c.id.startsWith("secret:")).map((c) => [c.id, c.state]),
      [["secret:launch-ready:stripeSecretKey", "todo"]],
    );
    assert.match(noSecret.headline, /^NO-GO: 1 launch blocker/);

    // An unproxied origin: the mandatory policy makes it a blocker, ranked first.
    const origin = quillnote();
    origin["launch-ready:subdomains"].push({ name: "api", target: { ipv4: "203.0.113.7" }, proxied: false, caIssuers: ["letsencrypt.org"] });
    const exposed = await reportOf(origin);
    assert.equal(exposed.decision, "NO-GO");
    assert.equal(exposed.findings[0].severity, "blocker");
    assert.equal(exposed.findings[0].ref, "dns-no-unproxied-origin");
    assert.match(exposed.findings[0].impact, /skip Cloudflare/);

    // A sender without its DKIM values: the stack does not plan; each config problem is a blocker naming the key.
    const noDkim = quillnote();
    noDkim["launch-ready:email"].senders.push({ name: "postmark", kind: "postmark" });
    const io = ioFor(noDkim);
    assert.equal(await main(["--stack", "prod", "--dir", io.dir, "--json"], io), 1);
    const unsigned = launchReportSchema.parse(lastJson);
    assert.equal(unsigned.decision, "NO-GO");
    assert.equal(unsigned.domain, "quillnote.app", "the zone, read from the stack file that does not plan");
    assert.ok(
      unsigned.findings.some((f) => f.source === "config" && f.severity === "blocker" && f.ref === "launch-ready:email.senders[1].dkim"),
      JSON.stringify(unsigned.findings),
    );

    // The origin lock turned off by choice: the walk-around is a trust issue, not a blocker.
    const unlocked = quillnote();
    unlocked["launch-ready:edge"] = { originLock: false };
    const open = await reportOf(unlocked);
    const lock = about(open, /^edge\.originLock$/);
    assert.equal(lock.length, 1, JSON.stringify(open.findings.map((f) => f.ref)));
    assert.equal(lock[0].severity, "trust");
    assert.match(lock[0].impact, /vercel\.app address, past every WAF rule/);
    assert.equal(open.decision, "GO");
    assert.deepEqual(about(await reportOf(quillnote()), /^edge\.originLock$/), [], "locked: no finding");

    // No owners named: one trust issue listing every system.
    const unowned = quillnote();
    delete unowned["launch-ready:owners"];
    const nobody = await reportOf(unowned);
    const owners = about(nobody, /^owners\./);
    assert.equal(owners.length, 1);
    assert.equal(owners[0].severity, "trust");
    assert.match(owners[0].title, /^nobody is named for domain registrar, Cloudflare, Vercel, AWS, Resend \(sender "resend"\), on call, escalation$/);
  });

  it("owners.mail by sender name must name a sender of the stack, before anything is created", async () => {
    const typo = quillnote();
    typo["launch-ready:owners"].mail = { resnd: "Mia Chen <mia@quillnote.app>" };
    await assert.rejects(
      runOffline({ stack: "prod", stackFile: { config: typo }, policy: false }),
      /launch-ready:owners\.mail\.resnd: names no sender: the senders are resend \(email\.senders\[\]\.name\); use one of them, or give owners\.mail one contact for all/,
    );
    const silent = quillnote();
    silent["launch-ready:email"].senders = [];
    silent["launch-ready:owners"].mail = { resend: "Mia Chen <mia@quillnote.app>" };
    await assert.rejects(
      runOffline({ stack: "prod", stackFile: { config: silent }, policy: false }),
      /launch-ready:owners\.mail\.resend: names a sender, but email\.senders is empty: remove it, or add the sender/,
    );
    const bySender = quillnote();
    bySender["launch-ready:owners"].mail = { resend: "Ana Ruiz <ana@quillnote.app>" };
    const report = await reportOf(bySender);
    assert.equal(report.owners.find((o) => o.system === 'Resend (sender "resend")')?.owner, "Ana Ruiz <ana@quillnote.app>");
  });

  it("a guarded delete against the deployed state (npm run plan -- --state) is a launch blocker naming what breaks; --allow-delete lifts it", async () => {
    const before = quillnote();
    const deployed = await runOffline({ stack: "prod", stackFile: { config: before }, policy: false });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-report-state-")), "state.json");
    fs.writeFileSync(file, JSON.stringify(stackExportOf(deployed.plan, { secrets: "plaintext" })));
    const after = quillnote();
    after["launch-ready:subdomains"] = []; // app. removed from the stack file
    const run = await runOffline({ stack: "prod", stackFile: { config: after }, state: file });
    const report = buildReport(reportInputOf(run, { now: NOW }));
    const guarded = report.findings.filter((f) => f.source === "state");
    assert.ok(guarded.length >= 1);
    assert.ok(guarded.every((f) => f.severity === "blocker"));
    assert.ok(
      guarded.some((f) => /app\.quillnote\.app does not resolve/.test(f.impact)),
      JSON.stringify(guarded, null, 2),
    );
    assert.equal(report.decision, "NO-GO");
    assert.ok(!JSON.stringify(report).includes(STATE_SECRETS.providerToken), "no secret of the export");
    const allowed = await runOffline({ stack: "prod", stackFile: { config: after }, state: file, allowDelete: guarded.map((f) => f.ref), policy: false });
    assert.deepEqual(
      buildReport(reportInputOf(allowed, { now: NOW })).findings.filter((f) => f.source === "state"),
      [],
    );
  });

  it("the Markdown report carries the domain map's diagram, as the handover draws it", async () => {
    const io = ioFor(quillnote());
    const out: string[] = [];
    assert.equal(await main(["--stack", "prod", "--dir", io.dir, "--date", "2026-12-03"], { out: (s) => out.push(s), err: () => undefined }), 0);
    const text = out.join("\n");
    const run = await runOffline({ stack: "prod", stackFile: { config: quillnote() }, policy: false });
    assert.ok(text.includes(`## Domain map\n\n${mermaidBlock(domainMapMermaid(run.plan.domainMap))}`));
    assert.match(text, /^\*\*GO: no launch blocker/m);
  });

  it("bad usage exits 2 with the message and the usage; --help prints every option; --out writes the Markdown", async () => {
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
      return { code, out: out.join("\n"), err: err.join("\n") };
    };
    for (const [argv, message] of [
      [["--frobnicate"], /Unknown option '--frobnicate'/],
      [["--domain", "quillnote.app", "--stack", "prod"], /--domain is for a zone with no stack: leave out --stack, --dir and --state/],
      [["--stack", "prod", "--allow-delete", "x"], /--allow-delete needs --state/],
      [["--stack", "prod", "--date", "3 Dec"], /--date must be YYYY-MM-DD \(got "3 Dec"\)/],
    ] as const) {
      const r = await run(...argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, message);
      assert.match(r.err, /^usage: npm run report/m);
    }
    const help = await run("--help");
    assert.equal(help.code, 0);
    const source = fs.readFileSync(path.join(__dirname, "..", "..", "tools", "cli", "report.ts"), "utf8");
    const options = [...source.slice(source.indexOf("options: {"), source.indexOf("} catch (err)")).matchAll(/^\s+"?([a-z-]+)"?: \{ type/gm)].map((m) => m[1]);
    assert.ok(options.length >= 12, options.join(","));
    for (const o of options) assert.match(help.out, new RegExp(`^  --${o}\\b`, "m"), `--${o} is described`);
    const io = ioFor(quillnote());
    const file = path.join(io.dir, "LAUNCH.md");
    const errs: string[] = [];
    assert.equal(await main(["--stack", "prod", "--dir", io.dir, "--out", file], { out: () => undefined, err: (s) => errs.push(s) }), 0);
    assert.match(fs.readFileSync(file, "utf8"), /^# Launch report: quillnote\.app \(stack prod, production\), \d{4}-\d{2}-\d{2}\n\n\*\*GO: /);
    assert.match(errs.join("\n"), /^wrote .*LAUNCH\.md: GO: no launch blocker/m);
    const missing = await run("--stack", "nope", "--dir", io.dir);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^report: no stack file Pulumi\.nope\.yaml/);
  });

  it("the checklist brings each declared feature's manual step, and none for a feature the stack lacks", async () => {
    const bare = quillnote();
    delete bare["launch-ready:email"].senders;
    bare["launch-ready:email"].senders = [];
    bare["launch-ready:alerts"] = { webhooks: [{ name: "pagerduty", url: { secret: "pagerdutyAlertUrl" } }] };
    bare["launch-ready:pagerdutyAlertUrl"] = SECRET;
    const plain = await reportOf(bare);
    const ids = (r: LaunchReport) => r.checklist.map((c) => c.id.split(":")[0]);
    for (const absent of ["chatbot-slack", "sns-confirm:oncall", "mail-verify", "turnstile-app"])
      assert.ok(!plain.checklist.some((c) => c.id.startsWith(absent)), `${absent} without the feature`);
    assert.ok(ids(plain).includes("sns-confirm"), "the webhook subscription");
    assert.ok(ids(plain).includes("nameservers"));

    const full = quillnote();
    full["launch-ready:alerts"] = { emails: ["oncall@quillnote.app"], slack: { workspaceId: "T0123ABCD", channelId: "C0456EFGH" } };
    full["launch-ready:turnstile"] = { enabled: true };
    const rich = await reportOf(full);
    const step = (id: string) => rich.checklist.find((c) => c.id === id);
    assert.equal(step("chatbot-slack")?.blocker, true);
    assert.match(step("chatbot-slack")!.step, /Authorise the Slack workspace in AWS Chatbot/);
    assert.equal(step("sns-confirm:oncall@quillnote.app")?.state, "unknown");
    assert.match(step("mail-verify:resend")!.how, /Resend dashboard/);
    assert.ok(step("turnstile-app"), "Turnstile's server-side check");
    assert.ok(step("vercel-domain:app.quillnote.app"));
    assert.equal(step("secret:launch-ready:stripeSecretKey")?.state, "done");
    assert.ok(step("dnssec-ds"), "production signs the zone: the DS goes to the registrar");
  });

  it("the example's prod: NO-GO while its secrets are unset, and the Markdown says so first", async () => {
    const run = await runOffline({ stack: "prod", dir: path.join("examples", "acmechat") });
    const report = buildReport(reportInputOf(run, { now: NOW }));
    assert.equal(report.decision, "NO-GO");
    assert.equal(report.findings[0].source, "secrets");
    const text = renderReport(report);
    const lines = text.split("\n");
    assert.match(lines[0], /^# Launch report: acmechat\.dev \(stack prod, production\), 2026-12-03$/);
    assert.match(lines[2], /^\*\*NO-GO: 1 launch blocker\(s\) to fix first\*\*$/);
    assert.match(text, /^Any launch blocker is NO-GO\./m);
    assert.ok(!text.includes("offline-placeholder"), "no secret placeholder");
  });
});

// ---- main() in-process, on a stack file in a temporary directory ----

let lastJson: LaunchReport;

function ioFor(config: Record<string, any>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-report-"));
  fs.copyFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), JSON.stringify({ config }));
  const out: string[] = [];
  return {
    dir,
    out: (s: string) => {
      out.push(s);
      try {
        lastJson = JSON.parse(s);
      } catch {
        /* text output */
      }
    },
    err: () => undefined,
  };
}
