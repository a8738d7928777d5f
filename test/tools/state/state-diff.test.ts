/**
 * Issue 28: the offline diff against the deployed state (`npm run plan -- --state FILE`) and its guard,
 * on state exports in the engine's format built from earlier plans (test/helpers/state-export.ts), of the
 * AcmeChat example and of BrightPath (brightpath.io, Resend and Fastmail, a DNS-only docs host), which is not.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { planStack, type OfflinePlan } from "../../../tools/offline/plan";
import { readStackExport, StackExportError } from "../../../lib/state/export";
import { diffState, type StateChange } from "../../../lib/state/diff";
import { guardFindings } from "../../../lib/state/guard";
import { planExample } from "../../helpers/stack-config";
import { stackExportOf, STATE_SECRETS, type ExportOptions } from "../../helpers/state-export";
import { renderHandover } from "../../../lib/handover";
import { renderPlan } from "../../../tools/offline/render";
import { main as planMain } from "../../../tools/cli/plan";
import { runMain } from "../../helpers/cli";

function brightpath(environment: "production" | "staging" = "production"): Record<string, any> {
  return {
    "aws:region": "us-east-1",
    "launch-ready:environment": environment,
    "launch-ready:zone": { name: "brightpath.io", id: "a".repeat(32), accountId: "b".repeat(32) },
    "launch-ready:site": { name: "@", canonical: "apex", target: "vercel" },
    "launch-ready:subdomains": [
      { name: "app", target: "vercel" },
      { name: "docs", target: { cname: "brightpath.gitbook.io" }, proxied: false, caIssuers: ["letsencrypt.org"] },
    ],
    "launch-ready:email": {
      senders: [
        {
          name: "resend",
          kind: "resend",
          mailFrom: "send",
          region: "us-east-1",
          dkim: [{ selector: "resend", type: "TXT", value: "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDold" }],
        },
        {
          name: "fastmail",
          kind: "custom",
          spfInclude: "spf.messagingengine.com",
          dkim: [{ selector: "fm1", type: "CNAME", value: "fm1.brightpath.io.dkim.fmhosted.com" }],
        },
      ],
      dmarc: { policy: "none", rua: ["dmarc@brightpath.io"] },
      mx: [{ priority: 10, host: "in1-smtp.messagingengine.com" }],
    },
    "launch-ready:hosting": {
      projectId: "prj_BrightPath1",
      env: { production: { STRIPE_SECRET_KEY: { secret: "stripeSecretKey" } }, preview: {}, development: {} },
    },
    "launch-ready:alerts": { emails: ["oncall@brightpath.io"] },
  };
}

const planOf = (config: Record<string, any>, stack = "prod") => planStack(stack, { stackFile: { config } });
/** Deployed from `before`, exported, read back through the export's schema. */
const deployedFrom = (before: OfflinePlan, opts: ExportOptions = {}) => readStackExport(JSON.parse(JSON.stringify(stackExportOf(before, opts))), "state.json");
const byName = (changes: StateChange[], suffix: string) => changes.filter((c) => c.name.endsWith(suffix));
const notUnchanged = (changes: StateChange[]) => changes.filter((c) => c.kind !== "unchanged").map((c) => `${c.kind} ${c.name}`);

describe("the state diff (npm run plan -- --state)", function () {
  this.timeout(120_000);
  let prod: OfflinePlan;
  let bright: OfflinePlan;
  before(async () => {
    prod = await planExample("prod");
    bright = await planOf(brightpath());
  });

  it("the same plan against its own deployed state: nothing changes, nothing is guarded", () => {
    for (const plan of [prod, bright]) {
      const changes = diffState(deployedFrom(plan), plan.resources);
      assert.deepEqual(notUnchanged(changes), []);
      assert.equal(changes.length, plan.resources.filter((r) => r.custom).length);
      assert.ok(
        changes.some((c) => c.notCompared?.length),
        "secret inputs are not compared offline",
      );
    }
  });

  it("a rename covered by an alias is the same resource: unchanged, moved from its old URN", () => {
    const record = prod.resources.find((r) => r.name === "launch-ready-domain-apex-web")!;
    const oldUrn = record.opts.aliases![0];
    const state = deployedFrom(prod).map((r) => (r.urn === record.urn ? { ...r, urn: oldUrn } : r));
    const changes = diffState(state, prod.resources);
    assert.deepEqual(notUnchanged(changes), []);
    assert.deepEqual(
      byName(changes, "-apex-web").map((c) => [c.kind, c.movedFrom]),
      [["unchanged", oldUrn]],
    );
    assert.deepEqual(guardFindings(changes, { production: true }), []);
  });

  it("a subdomain removed from the stack file: its record, its no-mail DMARC and its monitor are deleted, and the guard names the protected ones", async () => {
    const config = brightpath();
    config["launch-ready:subdomains"] = config["launch-ready:subdomains"].filter((s: { name: string }) => s.name !== "docs");
    const changes = diffState(deployedFrom(bright), (await planOf(config)).resources);
    const deleted = changes.filter((c) => c.kind === "delete").map((c) => c.name);
    assert.ok(deleted.includes("launch-ready-domain-docs-web"), deleted.join());
    assert.ok(deleted.includes("launch-ready-email-auth-_dmarc.docs-TXT-no-mail"), deleted.join());
    const findings = guardFindings(changes, { production: true });
    assert.deepEqual(findings.map((f) => [f.change, f.key]).sort(), [
      ["delete", "launch-ready-domain-docs-web"],
      ["delete", "launch-ready-email-auth-_dmarc.docs-TXT-no-mail"],
    ]);
    assert.match(findings.find((f) => f.key.endsWith("docs-web"))!.why, /^docs\.brightpath\.io does not resolve/);
    assert.ok(findings.every((f) => f.protectedInState));
    // Allowed by name, after reading why: nothing left to stop the plan.
    assert.deepEqual(guardFindings(changes, { production: true, allowed: findings.map((f) => f.key) }), []);
  });

  it("the apex from A to CNAME: a replace forced by type, deleted first (a gap in DNS answers), guarded because the apex record is protected", async () => {
    // Quillnote sends from mail.quillnote.app and receives no mail at the apex, so its apex may become a CNAME.
    const quillnote = (target: unknown) => ({
      ...brightpath(),
      "launch-ready:zone": { name: "quillnote.app", id: "d".repeat(32), accountId: "e".repeat(32), plan: "pro" },
      "launch-ready:site": { name: "@", canonical: "apex", target },
      "launch-ready:subdomains": [],
      "launch-ready:email": {
        senders: [
          {
            name: "resend",
            kind: "resend",
            domain: "mail",
            region: "eu-west-1",
            dkim: [{ selector: "resend", type: "TXT", value: "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDqnote" }],
          },
        ],
        dmarc: { policy: "quarantine", rua: ["dmarc@quillnote.app"] },
      },
      "launch-ready:alerts": { emails: ["oncall@quillnote.app"] },
    });
    const before = await planOf(quillnote("vercel"));
    const changes = diffState(deployedFrom(before), (await planOf(quillnote({ cname: "quillnote-lb.fly.dev" }))).resources);
    const [apex] = byName(changes, "-domain-apex-web");
    assert.deepEqual([apex.kind, apex.properties, apex.deleteBeforeReplace, apex.dnsGap], ["replace", ["type"], true, true]);
    const findings = guardFindings(changes, { production: true });
    // A CNAME stands alone: the apex's "sends no mail" records go with the A, and the null MX is guarded (production).
    assert.deepEqual(
      findings.map((f) => [f.change, f.key]),
      [
        ["replace", "launch-ready-domain-apex-web"],
        ["delete", "launch-ready-email-auth-apex-TXT-no-mail"],
        ["delete", "launch-ready-email-auth-apex-MX-null"],
      ],
    );
    assert.match(findings[2].why, /^the null MX of quillnote\.app goes: senders no longer learn at once that it takes no mail/);
    assert.match(findings[0].why, /^quillnote\.app does not resolve between the delete and the create \(delete-before-replace\)/);
  });

  it("a subdomain from A to CNAME in staging (nothing protected): a replace with a gap, reported, not guarded", async () => {
    const staging = brightpath("staging");
    staging["launch-ready:site"] = { name: "staging", target: "vercel", redirectTwin: false };
    delete staging["launch-ready:email"];
    staging["launch-ready:zone"].manageZoneSettings = false;
    staging["launch-ready:subdomains"] = [{ name: "files.staging", target: { ipv4: "203.0.113.7" }, proxied: false }];
    const before = await planOf(staging, "staging");
    assert.ok(
      before.resources.every((r) => !r.opts.protect),
      "staging protects nothing by default",
    );
    staging["launch-ready:subdomains"][0].target = { cname: "files.example.net" };
    const changes = diffState(deployedFrom(before), (await planOf(staging, "staging")).resources);
    const replaced = changes.filter((c) => c.kind === "replace");
    assert.deepEqual(
      replaced.map((c) => [c.name, c.properties, c.dnsGap]),
      [["launch-ready-domain-files.staging-web", ["type"], true]],
    );
    assert.deepEqual(guardFindings(changes, { production: false }), []);
  });

  it("a sender's DKIM key rotated: an update of that record's content, not guarded", async () => {
    const config = brightpath();
    config["launch-ready:email"].senders[0].dkim[0].value = "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDnew";
    const changes = diffState(deployedFrom(bright), (await planOf(config)).resources);
    assert.deepEqual(notUnchanged(changes), ["update launch-ready-email-auth-resend._domainkey-TXT-dkim"]);
    assert.deepEqual(byName(changes, "resend._domainkey-TXT-dkim")[0].properties, ["content"]);
    assert.deepEqual(guardFindings(changes, { production: true }), []);
  });

  it("an existing record adopted into the stack: import, not create", async () => {
    const config = brightpath();
    config["launch-ready:zone"].extraRecords = [{ name: "legacy", type: "A", content: "198.51.100.4" }];
    config["launch-ready:zone"].existingRecords = { "legacy A 198.51.100.4": "c".repeat(32) };
    const after = await planOf(config);
    const changes = diffState(deployedFrom(bright), after.resources);
    assert.deepEqual(notUnchanged(changes), ["import launch-ready-domain-legacy-A-198.51.100.4"]);
  });

  it("a production DKIM or MX deleted without protect (the switch off) is still guarded; the same in staging is not", async () => {
    const config = brightpath();
    config["launch-ready:protect"] = { mail: false };
    const before = await planOf(config);
    config["launch-ready:email"].senders.pop();
    config["launch-ready:email"].mx = [];
    const changes = diffState(deployedFrom(before), (await planOf(config)).resources);
    const keys = guardFindings(changes, { production: true }).map((f) => f.key);
    assert.ok(keys.includes("launch-ready-email-auth-fm1._domainkey-CNAME"), keys.join());
    assert.ok(keys.includes("launch-ready-email-auth-apex-MX-in1-smtp.messagingengine.com"), keys.join());
    const mx = guardFindings(changes, { production: true }).find((f) => f.key.includes("-MX-"))!;
    assert.match(mx.why, /^mail to brightpath\.io bounces until an MX is published again/);
    assert.equal(mx.protectedInState, false);
    assert.deepEqual(guardFindings(changes, { production: false }), []);
  });

  it("the protect flags added to an old state: an option change only on each protected resource, no update, no replace", () => {
    for (const plan of [prod, bright]) {
      const changes = diffState(deployedFrom(plan, { withoutProtect: true }), plan.resources);
      assert.deepEqual(notUnchanged(changes), []);
      const flagged = changes.filter((c) => c.options);
      assert.deepEqual(
        flagged.map((c) => c.name),
        plan.resources.filter((r) => r.opts.protect).map((r) => r.name),
      );
      for (const c of flagged) assert.deepEqual(c.options, [{ option: "protect", from: false, to: true }], c.name);
    }
  });

  it("an export with a malformed secret or not in the engine's format is refused, naming the problem and no value", () => {
    const exported = stackExportOf(bright, { secrets: "plaintext" }) as any;
    exported.deployment.resources[1].inputs.apiToken.ciphertext = "v1:both";
    assert.throws(
      () => readStackExport(exported, "state.json"),
      (err: Error) =>
        err instanceof StackExportError &&
        /resources\[1\]\.inputs\.apiToken: a malformed secret/.test(err.message) &&
        !err.message.includes(STATE_SECRETS.providerToken),
    );
    assert.throws(
      () => readStackExport({ version: 2, deployment: {} }, "state.json"),
      /state\.json is not what `pulumi stack export` writes:\n {2}- version: must be 3 or 4/,
    );
  });
});

describe("protected resources in the plan and the handover", function () {
  this.timeout(60_000);
  it("the example's prod plan marks each protected resource [protected], and only those", async () => {
    const plan = await planExample("prod");
    const lines = renderPlan(plan).split("\n");
    for (const r of plan.resources.filter((x) => x.custom)) {
      const line = lines.find((l) => l.includes(`"${r.name}": `))!;
      assert.equal(line.endsWith(" [protected]"), r.opts.protect, line);
    }
    const protectedTypes = new Set(plan.resources.filter((r) => r.opts.protect).map((r) => r.type.split(":").pop()));
    assert.deepEqual([...protectedTypes].sort(), ["DnsRecord", "Topic", "TurnstileWidget", "ZoneDnssec"]);
  });

  it("prod says what is protected, how to unprotect one on purpose and that DNSSEC goes registrar first; staging, which protects nothing, says nothing", async () => {
    const prodDoc = renderHandover((await planExample("prod")).domainMap, { project: "launch-ready" });
    assert.match(prodDoc, /\*\*Protected resources\*\*: Pulumi refuses to delete or replace these/);
    assert.match(prodDoc, /`pulumi state unprotect --stack prod '<URN>'`/);
    assert.match(prodDoc, /DNSSEC goes registrar first: remove the DS and wait a day before unprotecting the signing/);
    assert.match(prodDoc, /the Turnstile widget \(the app holds its keys\); the alert topic/);
    const stagingDoc = renderHandover((await planExample("staging")).domainMap, { project: "launch-ready" });
    assert.ok(!stagingDoc.includes("Protected resources"));
  });
});

describe("npm run plan -- --state, end to end", function () {
  this.timeout(240_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-state-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const writeStack = (stack: string, config: Record<string, any>) => fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml.dump({ config }));
  const plan = (...args: string[]) => runMain(planMain, ["--dir", dir, "--no-policy", ...args]);
  const noSecret = (text: string) => {
    for (const secret of [...Object.values(STATE_SECRETS), JSON.stringify(STATE_SECRETS.deployedValue)])
      assert.ok(!text.includes(secret), `printed a secret: ${secret}`);
  };

  it("prints the diff first, stops on a guarded delete with why and the two ways forward, passes with --allow-delete; no secret of either export form is printed", async () => {
    const before = await planOf(brightpath());
    const config = brightpath();
    config["launch-ready:subdomains"].pop(); // docs
    writeStack("prod", config);
    for (const secrets of ["encrypted", "plaintext"] as const) {
      const state = path.join(dir, `${secrets}.json`);
      fs.writeFileSync(state, JSON.stringify(stackExportOf(before, { secrets }), null, 2));
      const guarded = await plan("--stack", "prod", "--state", state);
      assert.equal(guarded.code, 1, guarded.err);
      assert.match(
        guarded.out,
        /^State diff against .*\.json \(\d+ resources deployed\): 0 to create, 0 to import, \d+ to update, 0 to replace, \d+ to delete, \d+ unchanged\./m,
      );
      // The summary leads: its counts and the verdict, then the diff, then the resources.
      assert.match(guarded.out, /^Against the deployed state: 0 to create, 0 to import, \d+ to update, 0 to replace, \d+ to delete, \d+ unchanged\.$/m);
      assert.match(guarded.out, /^Verdict: REFUSED: `pulumi up` would not go ahead \(.*2 guarded delete\/replace\(s\)/m);
      assert.match(
        guarded.out,
        /✗ delete launch-ready-domain-docs-web \(cloudflare:index\/dnsRecord:DnsRecord\)\n {4}why it matters: docs\.brightpath\.io does not resolve/,
      );
      assert.match(guarded.out, /1\. restore the config that declared it/);
      assert.match(
        guarded.out,
        /2\. or, after reading why above, run the plan with --allow-delete launch-ready-domain-docs-web, then `pulumi state unprotect 'urn:pulumi:prod::launch-ready::/,
      );
      assert.ok(guarded.out.indexOf("State diff") < guarded.out.indexOf("Resources declared:"), "the diff comes before the resources");
      noSecret(guarded.out + guarded.err);

      const allowed = await plan(
        "--stack",
        "prod",
        "--state",
        state,
        "--allow-delete",
        "launch-ready-domain-docs-web",
        "--allow-delete",
        "launch-ready-email-auth-_dmarc.docs-TXT-no-mail",
        "--json",
      );
      assert.equal(allowed.code, 0, allowed.err + allowed.out.slice(0, 2000));
      const json = JSON.parse(allowed.out);
      assert.equal(json.stateDiff.guard.passed, true);
      assert.ok(json.stateDiff.changes.some((c: StateChange) => c.kind === "delete" && c.name === "launch-ready-domain-docs-web"));
      noSecret(allowed.out + allowed.err);
    }
  });

  it("refuses a file that is not an export without echoing it, and --allow-delete without --state", async () => {
    writeStack("prod", brightpath());
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, `{"version": 3, "deployment": ${STATE_SECRETS.providerToken}`);
    const run = await plan("--stack", "prod", "--state", bad);
    assert.equal(run.code, 1);
    assert.match(run.err, /--state .*bad\.json: not JSON \(write it with pulumi stack export --stack <stack> >/);
    noSecret(run.out + run.err);
    assert.equal((await plan("--stack", "prod", "--allow-delete", "x")).code, 2);
  });
});
