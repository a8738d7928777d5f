/**
 * Issue 22, item 4: founders' journeys from `npm run init` flags to a stack file that plans clean
 * (the real program under the offline plan: exit 0, conformance passed, no mandatory policy
 * violation), for three fictional products that share nothing with the AcmeChat example, and a
 * staging stack made from one of them.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { planStack, type OfflinePlan } from "../../../tools/offline/plan";
import { conformanceOf, REPO_ROOT } from "../../../tools/conformance/run";
import { evaluatePolicies } from "../../../tools/policy/offline";
import { RESOURCE_TYPES as T } from "../../../policies/shared/resource-types";
import { projectDir, runInit, secretCommandsIn, type Run } from "./helpers";

import { hex, LEDGERLY, MYBOT, TUTORBEE } from "../../fixtures/founders";

/** The offline plan of the written stack file, asserted clean as `npm run plan` judges it. */
async function planClean(dir: string, stack: string): Promise<OfflinePlan> {
  const plan = await planStack(stack, { dir });
  assert.deepEqual(
    conformanceOf({ resources: plan.resources, config: plan.config, project: plan.project, programDir: REPO_ROOT }).findings,
    [],
    "conformance passed",
  );
  const verdicts = await evaluatePolicies(plan.resources, { stackTags: new Map() });
  const mandatory = verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory");
  assert.deepEqual(
    mandatory.map((v) => `${v.policyName}: ${v.violations?.[0]?.message}`),
    [],
    "no mandatory policy violation",
  );
  return plan;
}

const records = (plan: OfflinePlan) => plan.resources.filter((r) => r.type === T.dnsRecord).map((r) => `${r.props.name} ${r.props.type} ${r.props.content}`);

/** Every secret init asks the founder to set under the project's namespace is one the plan found unset, and the other way round. */
function assertSecretsMatchPlan(run: Run, plan: OfflinePlan, stack: string): void {
  const commands = secretCommandsIn(run.out);
  for (const c of commands) assert.match(c, new RegExp(`^pulumi config set --secret [\\w-]+:[\\w-]+ --stack ${stack}$`), "no value on the command line");
  assert.deepEqual(commands.slice(0, 2), [
    `pulumi config set --secret cloudflare:apiToken --stack ${stack}`,
    `pulumi config set --secret vercel:apiToken --stack ${stack}`,
  ]);
  const projectKeys = commands.slice(2).map((c) => c.split(" ")[4]);
  assert.deepEqual([...projectKeys].sort(), [...plan.unsetSecrets].sort());
}

describe("npm run init: three founders' products, from flags to a clean plan", function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("mybot.ai: apex canonical, app and api on Vercel, Google Workspace and Resend, email and Slack alerts, Free", async () => {
    const dir = projectDir();
    dirs.push(dir);
    const run = await runInit([...MYBOT, "--dir", dir, "--yes"]);
    assert.equal(run.code, 0, run.err);
    const plan = await planClean(dir, "prod");
    assert.equal(plan.domainMap.canonicalOrigin, "https://mybot.ai");
    const rs = records(plan);
    for (const want of ["mybot.ai MX smtp.google.com", "send.mybot.ai MX feedback-smtp.us-east-1.amazonses.com"])
      assert.ok(
        rs.some((r) => r.startsWith(want)),
        `${want} in ${rs.join("\n")}`,
      );
    assert.ok(plan.resources.some((r) => r.type === T.vercelDomain && r.props.domain === "api.mybot.ai"));
    assert.ok(
      plan.resources.some((r) => r.type === T.slackChannel),
      "Slack alerts through AWS Chatbot",
    );
    assertSecretsMatchPlan(run, plan, "prod");
    assert.deepEqual(plan.unsetSecrets, ["launch-ready:openaiApiKeyProduction"]);
  });

  it("a second production stack beside the first is its own: the first is offered as --from to a staging stack only", async () => {
    const dir = projectDir();
    dirs.push(dir);
    assert.equal((await runInit([...MYBOT, "--dir", dir, "--yes"])).code, 0);
    const second = await runInit([...LEDGERLY, "--dir", dir, "--yes", "--environment", "production", "--stack", "ledgerly"]);
    assert.equal(second.code, 0, second.err);
    const config = parse(fs.readFileSync(path.join(dir, "Pulumi.ledgerly.yaml"), "utf8")).config;
    assert.deepEqual([config["launch-ready:environment"], config["launch-ready:zone"].name], ["production", "ledgerly.io"]);
  });

  it("ledgerly.io: www canonical, a CNAME and an IPv4 host, Microsoft 365 and Postmark, email and a secret webhook, Pro", async () => {
    const dir = projectDir();
    dirs.push(dir);
    const run = await runInit([...LEDGERLY, "--dir", dir, "--yes", "--stack", "production"]);
    assert.equal(run.code, 0, run.err);
    const plan = await planClean(dir, "production");
    assert.equal(plan.domainMap.canonicalOrigin, "https://www.ledgerly.io");
    const rs = records(plan);
    for (const want of [
      "ledgerly.io MX ledgerly-io.mail.protection.outlook.com",
      "docs.ledgerly.io CNAME hosting.gitbook.io",
      "legacy.ledgerly.io A 203.0.113.10",
      "pm-bounces.ledgerly.io CNAME pm.mtasv.net",
    ])
      assert.ok(
        rs.some((r) => r.startsWith(want)),
        `${want} in ${rs.join("\n")}`,
      );
    assert.ok(rs.some((r) => r.startsWith("selector1._domainkey.ledgerly.io CNAME selector1-ledgerly-io")));
    assertSecretsMatchPlan(run, plan, "production");
    assert.deepEqual([...plan.unsetSecrets].sort(), [
      "launch-ready:databaseUrlProduction",
      "launch-ready:pagerdutyAlertUrl",
      "launch-ready:stripeSecretKeyProduction",
    ]);
  });

  it("tutorbee.app: the apex on an IPv4 address, the API on Vercel, Fastmail and Amazon SES, email and a webhook, Business", async () => {
    const dir = projectDir();
    dirs.push(dir);
    const run = await runInit([...TUTORBEE, "--dir", dir, "--yes"]);
    assert.equal(run.code, 0, run.err);
    const plan = await planClean(dir, "prod");
    const rs = records(plan);
    for (const want of [
      "tutorbee.app A 198.51.100.20",
      "tutorbee.app MX in1-smtp.messagingengine.com",
      "tutorbee.app MX in2-smtp.messagingengine.com",
      "fm1._domainkey.tutorbee.app CNAME fm1.tutorbee.app.dkim.fmhosted.com",
      "fm3._domainkey.tutorbee.app CNAME fm3.tutorbee.app.dkim.fmhosted.com",
      "mail.tutorbee.app MX feedback-smtp.eu-west-1.amazonses.com",
    ])
      assert.ok(
        rs.some((r) => r.startsWith(want)),
        `${want} in ${rs.join("\n")}`,
      );
    assert.ok(
      rs.some((r) => r.startsWith("tutorbee.app TXT") && r.includes("include:spf.messagingengine.com")),
      "Fastmail's SPF include at the apex",
    );
    assert.ok(plan.resources.some((r) => r.type === T.snsSubscription && r.props.endpoint === "https://alerts.tutorbee.app/hooks/uptime"));
    assertSecretsMatchPlan(run, plan, "prod");
    assert.deepEqual(plan.unsetSecrets, []);
  });

  it("pollcast.fm: SendGrid as its dashboard sets it up (Automated Security), from --sender-mail-from and --sender-mail-from-target", async () => {
    const dir = projectDir();
    dirs.push(dir);
    const flags = [
      ...["--domain", "pollcast.fm", "--zone-plan", "free", "--zone-id", hex("1"), "--account-id", hex("2"), "--vercel-project", "prj_Pollcast"],
      ...["--sender", "sendgrid", "--sender-mail-from", "em4821", "--sender-mail-from-target", "u3310492.wl.sendgrid.net"],
      ...["s1", "s2"].flatMap((sel) => ["--sender-dkim", `${sel}:CNAME:${sel}.domainkey.u3310492.wl.sendgrid.net`]),
      ...["--alert-email", "ops@pollcast.fm"],
    ];
    const run = await runInit([...flags, "--dir", dir, "--yes"]);
    assert.equal(run.code, 0, run.err);
    const rs = records(await planClean(dir, "prod"));
    for (const want of ["em4821.pollcast.fm CNAME u3310492.wl.sendgrid.net", "s1._domainkey.pollcast.fm CNAME s1.domainkey.u3310492.wl.sendgrid.net"])
      assert.ok(
        rs.some((r) => r.startsWith(want)),
        `${want} in ${rs.join("\n")}`,
      );
    assert.ok(!rs.some((r) => r.includes("include:sendgrid.net")), "the em4821 CNAME carries SPF: no include anywhere");
  });

  it("a staging stack made from mybot.ai's production stack keeps every host apart and plans clean", async () => {
    const dir = projectDir();
    dirs.push(dir);
    assert.equal((await runInit([...MYBOT, "--dir", dir, "--yes"])).code, 0);
    const run = await runInit(["--dir", dir, "--yes", "--environment", "staging", "--vercel-project", "prj_MyBotStaging2", "--env-secret", "OPENAI_API_KEY"]);
    assert.equal(run.code, 0, run.err);
    const staging = await planClean(dir, "staging");
    const prod = await planStack("prod", { dir });
    const hostsOf = (p: OfflinePlan) => p.domainMap.hosts.map((h) => h.hostname);
    assert.deepEqual(hostsOf(staging).sort(), ["staging-api.mybot.ai", "staging-app.mybot.ai", "staging.mybot.ai"]);
    assert.deepEqual(
      hostsOf(staging).filter((h) => hostsOf(prod).includes(h)),
      [],
      "no production host in staging",
    );
    const config = parse(fs.readFileSync(path.join(dir, "Pulumi.staging.yaml"), "utf8")).config;
    assert.equal(config["launch-ready:zone"].manageZoneSettings, false, "the production stack owns the zone's settings and rulesets");
    assert.equal(config["launch-ready:zone"].id, hex("a"), "the zone comes from Pulumi.prod.yaml");
    assert.deepEqual(config["launch-ready:alerts"].slack, { workspaceId: "T01MYBOT", channelId: "C02ALERTS" }, "and so do the alerts");
    assert.equal(config["launch-ready:email"].dmarc.policy, "reject", "staging sends no mail");
    assert.deepEqual(staging.unsetSecrets, ["launch-ready:openaiApiKeyStaging"], "a secret of its own, never production's");
    assert.match(run.out, /pulumi config set --secret launch-ready:openaiApiKeyStaging --stack staging\n/);
  });

  it("refuses a staging stack on the production stack's Vercel project, or with a production host, writing nothing", async () => {
    const dir = projectDir();
    dirs.push(dir);
    assert.equal((await runInit([...MYBOT, "--dir", dir, "--yes"])).code, 0);
    const run = await runInit(["--dir", dir, "--yes", "--environment", "staging", "--vercel-project", "prj_MyBot1", "--subdomain", "app=vercel"]);
    assert.equal(run.code, 1);
    assert.match(run.err, /launch-ready:hosting\.projectId: is the production stack's Vercel project: a staging stack needs a Vercel project of its own/);
    assert.match(run.err, /launch-ready:subdomains\[0\]\.name: app\.mybot\.ai does not look like a staging host.*\(the answer to --subdomain\)/);
    assert.equal(fs.existsSync(path.join(dir, "Pulumi.staging.yaml")), false);
  });
});
