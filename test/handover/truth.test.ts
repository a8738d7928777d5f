/**
 * Issue 27, item 5: a handover that is true. Each statement below is planted (or left out) on
 * founders' stacks that are not the example (test/fixtures/founders.ts, written by `npm run init`
 * and planned by the real program), and the sentence must appear exactly when the stack declares
 * the feature. The expectations are written by hand from the founders' flags.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { renderHandover } from "../../lib/handover";
import { planStack } from "../../tools/offline/plan";
import { LEDGERLY, MYBOT, TUTORBEE } from "../fixtures/founders";
import { projectDir, runInit } from "../tools/init/helpers";
import { HANDOVER } from "../helpers/stack-config";
import { row, section } from "./helpers";

const dirs: string[] = [];

/** A founder's project written by init; `edit` changes its stack file's config before the plan. */
async function founderDoc(flags: readonly string[], stack = "prod", edit?: (config: Record<string, any>) => void): Promise<string> {
  const dir = projectDir();
  dirs.push(dir);
  const run = await runInit([...flags, "--dir", dir, "--yes"]);
  assert.strictEqual(run.code, 0, run.err);
  if (edit) {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = parse(fs.readFileSync(file, "utf8"));
    edit(doc.config);
    fs.writeFileSync(file, stringify(doc));
  }
  return renderHandover((await planStack(stack, { dir })).domainMap, HANDOVER);
}

describe("handover truth (issue 27, item 5): founders' stacks, not the example", function () {
  this.timeout(180000);
  let mybot: string;
  let ledgerly: string;
  let tutorbee: string;
  let staging: string;

  before(async () => {
    // One plan at a time: the program runs under one process-wide mock runtime.
    mybot = await founderDoc(MYBOT);
    ledgerly = await founderDoc(LEDGERLY);
    tutorbee = await founderDoc(TUTORBEE);
    const dir = projectDir();
    dirs.push(dir);
    assert.strictEqual((await runInit([...MYBOT, "--dir", dir, "--yes"])).code, 0);
    const run = await runInit(["--dir", dir, "--yes", "--environment", "staging", "--vercel-project", "prj_MyBotStaging2", "--env-secret", "OPENAI_API_KEY"]);
    assert.strictEqual(run.code, 0, run.err);
    staging = renderHandover((await planStack("staging", { dir })).domainMap, HANDOVER);
  });
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("says `v=spf1 -all` only where the plan declares it: ledgerly's server host, none of mybot's names", () => {
    const email = section(ledgerly, "Email");
    assert.match(
      email,
      /The stack publishes DMARC `p=reject` at each; `v=spf1 -all` at `legacy\.ledgerly\.io`; a null MX \(no mail accepted\) at `legacy\.ledgerly\.io`\./,
    );
    assert.ok(!mybot.includes("v=spf1 -all"), "mybot's locked names get only their DMARC lock");
    assert.match(section(mybot, "Email"), /The stack publishes DMARC `p=reject` at each\./);
  });

  it("says the CORS origins are the default when the founder set none, and the founder's own when set", async () => {
    const cors = (doc: string) => section(doc, "Known limits").split("**API access from browsers (CORS)**: ")[1];
    assert.match(cors(mybot), /^The stack sets no CORS header: the app answers browser calls itself\./);
    assert.match(cors(mybot), /allows `https:\/\/mybot\.ai` \(from the default, the main site's origin: `site\.apiCorsOrigins` is not set\)/);
    const set = await founderDoc(MYBOT, "prod", (c) => (c["launch-ready:site"].apiCorsOrigins = ["https://mybot.ai", "https://app.mybot.ai"]));
    assert.match(cors(set), /allows `https:\/\/mybot\.ai`, `https:\/\/app\.mybot\.ai` \(from `site\.apiCorsOrigins` in `Pulumi\.prod\.yaml`\)/);
    assert.ok(!cors(set).includes("default"));
  });

  it("shows Postmark's return-path CNAME as its SPF path, not as SPF on the apex or a verification record", () => {
    const email = section(ledgerly, "Email");
    assert.strictEqual(row(email, "postmark")[3], "return path `pm-bounces.ledgerly.io` (CNAME to `pm.mtasv.net`, whose SPF the provider keeps)");
    assert.strictEqual(row(email, "microsoft")[3], "`include:spf.protection.outlook.com` in the SPF of `ledgerly.io`");
    const record = row(section(ledgerly, "Appendix: DNS records and cost"), "`pm-bounces.ledgerly.io`");
    assert.deepStrictEqual([record[1], record[5]], ["CNAME", "return path (postmark)"]);
    // Amazon SES publishes its own SPF at its MAIL FROM name: an include there, no CNAME.
    assert.strictEqual(row(section(tutorbee, "Email"), "ses")[3], "`include:amazonses.com` in the SPF of `mail.tutorbee.app`");
  });

  it("counts and rotates a token-bearing alert webhook URL; a plain webhook is named but is no secret", () => {
    // ledgerly: DATABASE_URL and STRIPE_SECRET_KEY (production), and the PagerDuty URL.
    assert.strictEqual(row(section(ledgerly, "At a glance"), "Secrets")[1], "3 secrets in encrypted Pulumi config");
    assert.deepStrictEqual(row(section(ledgerly, "Rotating secrets"), "alert webhook").slice(0, 2), [
      "alert webhook `pagerdutyAlertUrl`",
      "`launch-ready:pagerdutyAlertUrl`",
    ]);
    assert.match(
      section(ledgerly, "Monitoring and alerts"),
      /Webhooks \(e\.g\. PagerDuty\) subscribed to the alert topic: `pagerdutyAlertUrl` \(its URL is the secret `pagerdutyAlertUrl`\)\./,
    );
    assert.strictEqual(row(section(tutorbee, "At a glance"), "Secrets")[1], "0 secrets in encrypted Pulumi config");
    assert.ok(!section(tutorbee, "Rotating secrets").includes("alert webhook"));
    assert.match(section(tutorbee, "Monitoring and alerts"), /subscribed to the alert topic: `alerts\.tutorbee\.app`\./);
  });

  it("names the Slack channel, workspace and Chatbot region where declared, and asks to authorise it; not elsewhere", () => {
    assert.ok(section(mybot, "Monitoring and alerts").includes("Slack: channel `C02ALERTS` in workspace `T01MYBOT`, through AWS Chatbot in us-east-2"));
    assert.ok(
      section(mybot, "Before launch: steps only a person can do").includes(
        "Authorise the Slack workspace `T01MYBOT` once in the AWS Chatbot console (region us-east-2)",
      ),
    );
    for (const doc of [ledgerly, tutorbee]) {
      assert.ok(section(doc, "Monitoring and alerts").includes("Slack: not set up"));
      assert.ok(!doc.includes("AWS Chatbot console"));
    }
  });

  it("brings each manual step only with its feature", () => {
    const steps = (doc: string) => section(doc, "Before launch: steps only a person can do");
    assert.ok(steps(ledgerly).includes("Verify `ledgerly.io` for postmark in Postmark"));
    assert.ok(steps(ledgerly).includes("`alerts@ledgerly.io`: click Confirm subscription"));
    assert.ok(steps(mybot).includes("Add the DS record at the registrar"), "DNSSEC is on for a stack that manages its zone");
    assert.ok(!steps(staging).includes("DS record"), "the staging stack does not sign the zone");
    assert.ok(!steps(staging).includes("nameservers"), "nor own it");
    assert.ok(steps(tutorbee).includes("In Vercel, the project's Domains settings"), "tutorbee's API is on Vercel");
  });

  it("does not say a staging stack's domain sends no mail: the zone's mail is the owning stack's", () => {
    const email = section(staging, "Email");
    assert.ok(
      email.includes("This stack declares no sender of its own. The mail of `mybot.ai` (its MX, SPF and DKIM) belongs to the stack that owns the zone"),
    );
    assert.ok(!/sends no mail|No email sender is configured/.test(email.split("These names send no mail")[0]));
  });

  it("lists adopted records as adopted and says the zone's other records are left alone and not listed", async () => {
    const adopted = await founderDoc(MYBOT, "prod", (c) => (c["launch-ready:zone"].existingRecords = { "app web": "c".repeat(32) }));
    const appendix = section(adopted, "Appendix: DNS records and cost");
    assert.match(row(appendix, "`app.mybot.ai`")[5], /\(adopted\)$/);
    assert.ok(appendix.includes("Records the zone held that this stack does not declare are left as they are and are not listed here"));
    assert.ok(row(section(adopted, "At a glance"), "DNS, TLS")[1].includes("`npm run adopt` checks it against the zone's API"));
    assert.strictEqual(row(section(mybot, "At a glance"), "DNS, TLS")[1], "Cloudflare, Free plan");
    assert.ok(!section(mybot, "Appendix: DNS records and cost").includes("(adopted)"));
    assert.ok(!mybot.includes("Records the zone held"));
  });
});
