/**
 * The project name the user picks is the config namespace everywhere (issue 22 item 2): a project
 * named mybot, in a directory of its own, planned offline. Every key, message and suggested command
 * of the plan, the config errors and the handover names `mybot:`; none names `launch-ready:`, and no
 * suggested secret command carries a value.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { planStack } from "../../tools/offline/plan";
import { renderPlan } from "../../tools/offline/render";
import { conformanceOf, REPO_ROOT } from "../../tools/conformance/run";
import { evaluatePolicies, formatVerdicts } from "../../tools/policy/offline";
import { formatConformance } from "../../lib/conformance";
import { renderHandover } from "../../lib/handover";
import { OWN_KEYS } from "../../lib/config/validate";

/** mybot.ai: apex canonical, app. and api. on Vercel, Google Workspace mail, Resend for transactional mail, Slack alerts only. */
function mybot(): Record<string, unknown> {
  return {
    "aws:region": "us-east-1",
    "mybot:environment": "production",
    "mybot:zone": { name: "mybot.ai", id: "c".repeat(32), accountId: "d".repeat(32), plan: "free" },
    "mybot:site": { name: "@", canonical: "apex", target: "vercel", healthPath: "/" },
    "mybot:subdomains": [
      { name: "app", target: "vercel", healthPath: "/login" },
      { name: "api", target: "vercel", api: true, healthPath: "/api/health" },
    ],
    "mybot:edge": { rateLimits: [{ name: "login", paths: ["/login", "/api/auth/"], requests: 5, periodSeconds: 60 }] },
    "mybot:email": {
      senders: [
        {
          name: "google",
          kind: "google-workspace",
          dkim: [{ selector: "google", type: "TXT", value: "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" }],
        },
        {
          name: "resend",
          kind: "resend",
          region: "eu-west-1",
          dkim: [{ selector: "resend", type: "TXT", value: "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC" }],
        },
      ],
      dmarc: { policy: "none", rua: ["dmarc@mybot.ai"] },
      mx: [{ priority: 1, host: "smtp.google.com" }],
    },
    "mybot:hosting": {
      projectId: "prj_MyBot4Ux9",
      env: {
        production: { OPENAI_API_KEY: { secret: "openaiApiKeyProduction" }, NEXT_PUBLIC_APP_URL: "https://app.mybot.ai" },
        preview: { OPENAI_API_KEY: { secret: "openaiApiKeyPreview" } },
        development: {},
      },
    },
    "mybot:alerts": { slack: { workspaceId: "T0MYBOT01", channelId: "C0ALERTS1" } },
  };
}

/** The program's own keys (and secret names) written under another namespace: `<ns>:<key>` for each. */
const programKeyUnder = (ns: string, secrets: string[]) => new RegExp(`${ns}:(${[...OWN_KEYS, ...secrets].join("|")})\\b`);

describe("a project not named launch-ready: mybot", function () {
  this.timeout(120_000);
  let dir: string;
  const plan = (config: Record<string, unknown>) => {
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), yaml.dump({ config }));
    return planStack("prod", { program: path.join(REPO_ROOT, "index.ts"), dir });
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-mybot-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mybot\nruntime: nodejs\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("plans clean, and the plan, the policy verdicts and the handover name mybot: keys and value-less secret commands only", async () => {
    const p = await plan(mybot());
    assert.equal(p.project, "mybot");
    assert.deepEqual(p.unsetSecrets, ["mybot:openaiApiKeyProduction", "mybot:openaiApiKeyPreview"]);
    const conformance = conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT });
    assert.deepEqual(conformance.findings, []);
    const verdicts = await evaluatePolicies(p.resources, { stackTags: new Map() });
    assert.deepEqual(
      verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory").map((v) => v.policyName),
      [],
      "Slack alone is an alert channel: health-check-alarmed counts the Chatbot channel on the topic",
    );
    const text = [renderPlan(p), formatConformance(conformance), formatVerdicts(verdicts), renderHandover(p.domainMap, { project: p.project })].join("\n");
    for (const key of ["openaiApiKeyProduction", "openaiApiKeyPreview"]) {
      assert.ok(text.includes(`pulumi config set --secret mybot:${key} --stack prod (it prompts for the value)`), `the plan asks for mybot:${key}`);
      assert.ok(text.includes(`| \`mybot:${key}\` |`), `the handover's rotation table names mybot:${key}`);
    }
    assert.ok(text.includes("`pulumi config set --path 'mybot:email.dmarc.policy' quarantine --stack prod`"));
    const secrets = ["openaiApiKeyProduction", "openaiApiKeyPreview"];
    assert.doesNotMatch(text, programKeyUnder("launch-ready", secrets));
    assert.doesNotMatch(text, /config set --secret \S+ (?!--stack)\S/, "no secret command carries a value");
    assert.doesNotMatch(text, /<value>/);
  });

  it("config errors name mybot: keys and mybot: commands", async () => {
    const shape = mybot();
    shape["mybot:subdomain"] = [];
    (shape["mybot:email"] as any).senders.push({ kind: "postmark" });
    await assert.rejects(plan(shape), (err: Error) => {
      assert.equal(
        err.message,
        [
          'the config of stack "prod" has 2 problems; nothing was created or changed:',
          "  - mybot:subdomain: is not a key of this program, so its value would be ignored: did you mean mybot:subdomains? Move the value there and remove this key (pulumi config rm mybot:subdomain --stack prod)",
          "  - mybot:email.senders[2].name: is required: a sender needs `name` and `kind` (google-workspace, microsoft-365, amazon-ses, resend, postmark, sendgrid, mailgun, brevo, zoho-mail, mailchimp-transactional, loops, customer-io, fastmail, custom); `dkim` is a list of `{ selector, type, value }`, `records` a list of `{ name, type, content }`",
        ].join("\n"),
      );
      return true;
    });
    const secrets = mybot();
    const env = (secrets["mybot:hosting"] as any).env;
    env.production.RESEND_API_KEY = "re_123456789abcdefghijkl";
    env.production.DATABASE_URL = { secret: "databaseUrlProduction" };
    secrets["mybot:databaseUrlProduction"] = "postgres://app@db.example.net/app";
    await assert.rejects(plan(secrets), (err: Error) => {
      assert.equal(
        err.message,
        [
          'the config of stack "prod" has 2 problems; nothing was created or changed:',
          "  - mybot:hosting.env.production.RESEND_API_KEY: its value looks like a Resend API key, but it is written in plain text in the stack file. Store it as a secret: pulumi config set --secret mybot:resendApiKeyProduction --stack prod (it prompts for the value), then write { secret: resendApiKeyProduction }",
          "  - mybot:databaseUrlProduction: is stored in plain text in Pulumi.prod.yaml; re-set it encrypted: pulumi config set --secret mybot:databaseUrlProduction --stack prod (it prompts for the value), and rotate it: it was readable",
        ].join("\n"),
      );
      return true;
    });
  });

  it("keys written under another project's name are refused with the rename", async () => {
    const config = Object.fromEntries(Object.entries(mybot()).map(([k, v]) => [k.replace(/^mybot:/, "launch-ready:"), v]));
    await assert.rejects(plan(config), (err: Error) => {
      const lines = err.message.split("\n");
      assert.equal(lines[0], 'the config of stack "prod" has 8 problems; nothing was created or changed:');
      assert.equal(
        lines[2],
        '  - launch-ready:zone: is under "launch-ready", but this project is named "mybot" (Pulumi.yaml name), so the program reads mybot:zone: rename the key to mybot:zone in the stack file (or name the project launch-ready)',
      );
      return true;
    });
  });
});
