/**
 * `npm run init` as a command: the project's namespace from Pulumi.yaml, no overwrite without
 * --force, required flags without prompts, the config check's messages for bad answers, the zone
 * read through Cloudflare's API (loopback stand-in) with adoption offered, and the prompts on a
 * (fake) terminal asking a refused answer again.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError, validateStackConfig } from "../../../lib/config/validate";
import { allSecretsSet, PROJECT_NAME } from "../../helpers/stack-config";
import { readStackFile } from "../../../tools/offline/plan";
import { main as adopt } from "../../../tools/cli/adopt";
import { startCloudflareApi, type ApiServer } from "../adopt/helpers/cloudflare-api";
import { projectDir, runInit, runInteractive, secretCommandsIn } from "./helpers";

const hex = (c: string) => c.repeat(32);
/** A small product: quillpad.io, the minimum the program needs. */
const QUILLPAD = [
  "--domain",
  "quillpad.io",
  "--zone-id",
  hex("1"),
  "--account-id",
  hex("2"),
  "--vercel-project",
  "prj_Quill1",
  "--alert-email",
  "ops@quillpad.io",
];

/** What the config check itself says about the stack config with one value changed ("key: message" each). */
function configCheckSays(edit: (raw: Record<string, any>) => void): string[] {
  const raw: Record<string, any> = {
    environment: "production",
    zone: { name: "quillpad.io", id: hex("1"), accountId: hex("2"), plan: "free" },
    site: { name: "@", canonical: "apex", target: "vercel" },
    email: { dmarc: { policy: "none", rua: ["ops@quillpad.io"] } },
    hosting: { provider: "vercel", projectId: "prj_Quill1" },
    alerts: { emails: ["ops@quillpad.io"] },
  };
  edit(raw);
  try {
    validateStackConfig(raw, "prod", allSecretsSet, PROJECT_NAME);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.issues.map((i) => `${i.key.slice(i.key.indexOf(":") + 1)}: ${i.message}`);
  }
  return [];
}

describe("npm run init: the command", function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const dir = (name?: string) => {
    const d = projectDir(name);
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("writes every key under the namespace Pulumi.yaml names, with a comment for each, and prints secret commands in it", async () => {
    const d = dir("quillpad");
    const run = await runInit([...QUILLPAD, "--dir", d, "--yes", "--env-secret", "ANTHROPIC_API_KEY", "--subdomain", "app=vercel"]);
    assert.equal(run.code, 0, run.err);
    const text = fs.readFileSync(path.join(d, "Pulumi.prod.yaml"), "utf8");
    const keys = Object.keys(parse(text).config);
    assert.deepEqual(keys, ["aws:region", ...["environment", "zone", "site", "subdomains", "email", "hosting", "alerts"].map((k) => `quillpad:${k}`)]);
    assert.doesNotMatch(text + run.out, /launch-ready:/, "no other project's namespace");
    const lines = text.split("\n");
    for (const key of keys) {
      const at = lines.findIndex((l) => l.trim().startsWith(`${key}:`));
      assert.match(lines[at - 1], /^\s*# \S/, `a comment says what ${key} does`);
    }
    for (const nested of ["id:", "plan:", "canonical:", "rua:", "projectId:"]) {
      const at = lines.findIndex((l) => l.trim().startsWith(nested));
      assert.ok((at > 0 && /^\s*#/.test(lines[at - 1])) || nested === "projectId:", `a comment before ${nested}`);
    }
    assert.ok(secretCommandsIn(run.out).includes("pulumi config set --secret quillpad:anthropicApiKeyProduction --stack prod"));
    assert.ok(!/<value>/.test(run.out), "no value placeholder: the CLI prompts");
  });

  it("names the project's namespace in a refused answer's message too", async () => {
    const run = await runInit([...QUILLPAD.map((a) => (a === hex("1") ? "xyz" : a)), "--dir", dir("quillpad"), "--yes"]);
    assert.equal(run.code, 1);
    const [expected] = configCheckSays((raw) => (raw.zone.id = "xyz"));
    assert.ok(run.err.includes(`quillpad:${expected} (the answer to --zone-id)`), run.err);
  });

  it("never overwrites a stack file without --force", async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, "Pulumi.prod.yaml"), "# the founder's own\nconfig: {}\n");
    const refused = await runInit([...QUILLPAD, "--dir", d, "--yes"]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /Pulumi\.prod\.yaml already exists: pass --force to replace it/);
    assert.equal(fs.readFileSync(path.join(d, "Pulumi.prod.yaml"), "utf8"), "# the founder's own\nconfig: {}\n");
    const forced = await runInit([...QUILLPAD, "--dir", d, "--yes", "--force"]);
    assert.equal(forced.code, 0, forced.err);
    assert.equal(readStackFile("prod", d).config?.["launch-ready:zone"] !== undefined, true);
  });

  it("without prompts, names every required flag missing (exit 2) and writes nothing", async () => {
    const d = dir();
    const run = await runInit(["--dir", d, "--domain", "quillpad.io"]);
    assert.equal(run.code, 2);
    assert.match(run.err, /stdin is not a terminal/);
    for (const flag of ["--zone-id", "--account-id", "--vercel-project", "--dmarc-email"]) assert.ok(run.err.includes(flag), `${flag} in ${run.err}`);
    assert.equal(fs.existsSync(path.join(d, "Pulumi.prod.yaml")), false);
  });

  it("gives bad answers the config check's own messages, each with its flag, before writing anything", async () => {
    const d = dir();
    const bad = ["--domain", "quillpad.io", "--zone-id", hex("1"), "--account-id", hex("2"), "--vercel-project", "prj-quill"];
    const run = await runInit([
      ...bad,
      "--alert-email",
      "ops-at-quillpad",
      "--slack-team",
      "T01QUILL",
      "--slack-channel",
      "X99",
      "--dmarc-email",
      "ops@quillpad.io",
      "--dir",
      d,
      "--yes",
    ]);
    assert.equal(run.code, 1);
    const expected = configCheckSays((raw) => {
      raw.hosting.projectId = "prj-quill";
      raw.alerts = { emails: ["ops-at-quillpad"], slack: { workspaceId: "T01QUILL", channelId: "X99" } };
    });
    const flagOf: Record<string, string> = {
      "hosting.projectId": "--vercel-project",
      "alerts.emails[0]": "--alert-email",
      "alerts.slack.channelId": "--slack-channel",
    };
    assert.deepEqual(expected.map((m) => m.split(":")[0]).sort(), Object.keys(flagOf).sort(), expected.join("\n"));
    for (const message of expected)
      assert.ok(run.err.includes(`launch-ready:${message} (the answer to ${flagOf[message.split(":")[0]]})`), `${message} in ${run.err}`);
    assert.equal(fs.existsSync(path.join(d, "Pulumi.prod.yaml")), false);
    const syntax = await runInit([...QUILLPAD, "--subdomain", "app", "--sender-dkim", "nonsense", "--dir", d, "--yes"]);
    assert.equal(syntax.code, 1);
    assert.match(syntax.err, /--subdomain: "app" must be NAME=TARGET, e\.g\. app=vercel/);
    assert.equal(fs.existsSync(path.join(d, "Pulumi.prod.yaml")), false);
  });

  describe("with CLOUDFLARE_API_TOKEN (a loopback stand-in for Cloudflare's API v4)", () => {
    let api: ApiServer;
    const TOKEN = "init-read-token";
    before(async () => {
      api = await startCloudflareApi(
        {
          zoneId: hex("9"),
          name: "quillpad.io",
          plan: "pro",
          accountId: hex("8"),
          status: "pending",
          records: [
            { id: hex("3"), name: "quillpad.io", type: "MX", content: "smtp.google.com", priority: 1 },
            { id: hex("4"), name: "quillpad.io", type: "TXT", content: '"google-site-verification=QpX1"' },
            { id: hex("5"), name: "quillpad.io", type: "NS", content: "ada.ns.cloudflare.com" },
          ],
        },
        { token: TOKEN },
      );
    });
    after(() => api.close());
    const env = () => ({ CLOUDFLARE_API_TOKEN: TOKEN });
    const noZoneFlags = [
      "--domain",
      "quillpad.io",
      "--vercel-project",
      "prj_Quill1",
      "--alert-email",
      "ops@quillpad.io",
      "--inbound",
      "google-workspace",
      "--inbound-dkim",
      "google:TXT:v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC",
    ];

    it("reads the zone's id, account and plan by its name, says it is pending and offers adoption of what it holds", async () => {
      const d = dir();
      const run = await runInit([...noZoneFlags, "--dir", d, "--yes", "--api-url", api.url], env());
      assert.equal(run.code, 0, run.err);
      assert.ok(
        api.requests.some((r) => r.startsWith("GET /client/v4/zones?") && r.includes("name=quillpad.io")),
        api.requests.join("\n"),
      );
      const zone = readStackFile("prod", d).config?.["launch-ready:zone"] as Record<string, string>;
      assert.deepEqual([zone.id, zone.accountId, zone.plan], [hex("9"), hex("8"), "pro"]);
      assert.match(run.out, /It is pending: point the domain's name servers at the registrar to ada\.ns\.cloudflare\.com and bob\.ns\.cloudflare\.com/);
      assert.match(run.out, /It holds 2 DNS record\(s\): 1 the stack declares too .*0 conflict\(s\), 1 the stack leaves alone/);
      const command = `npm run adopt -- --stack prod --dir ${d}`;
      assert.ok(run.out.includes(`Adopt them before the first pulumi up: ${command}`), run.out);
      // The printed command works on the file init wrote.
      const out: string[] = [];
      const sink = { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream;
      const code = await adopt(["--stack", "prod", "--dir", d, "--api-url", api.url, "--dry-run"], sink, sink, env());
      assert.equal(code, 0, out.join(""));
      assert.match(out.join(""), /existingRecords/);
    });

    it("refuses a --zone-id that is not the zone's, and says when the token reads no zone of that name", async () => {
      const wrong = await runInit([...noZoneFlags, "--zone-id", hex("7"), "--account-id", hex("8"), "--dir", dir(), "--yes", "--api-url", api.url], env());
      assert.equal(wrong.code, 1);
      assert.match(wrong.err, new RegExp(`Cloudflare's zone quillpad.io has the id ${hex("9")}, not --zone-id ${hex("7")}`));
      const other = await runInit(
        ["--domain", "elsewhere.dev", "--vercel-project", "prj_Else1", "--alert-email", "a@elsewhere.dev", "--dir", dir(), "--yes", "--api-url", api.url],
        env(),
      );
      assert.match(other.out, /Cloudflare has no zone elsewhere\.dev that this token can read/);
      assert.equal(other.code, 2, `the zone id must then come as a flag: ${other.err}`);
      assert.match(other.err, /--zone-id/);
    });
  });

  it("asks on a terminal, takes defaults on blank lines, and asks a refused answer again with the config check's message", async () => {
    const d = dir();
    const lines = [
      "", // environment [production]
      "", // stack [prod]
      "quillpad.io",
      "www",
      "", // site target [vercel]
      "app=vercel api=vercel",
      "pro",
      "not-a-zone-id", // refused
      hex("1"),
      hex("2"),
      "prj_Quill1",
      "", // no team
      "ANTHROPIC_API_KEY",
      "fastmail",
      "postmark",
      "20251201pm:TXT:k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQ",
      "", // no more DKIM keys
      "ops@quillpad.io",
      "", // no Slack
      "", // no webhook
      "", // DMARC reports [ops@quillpad.io]
    ];
    const run = await runInteractive(["--dir", d], lines);
    assert.equal(run.code, 0, run.err + run.out);
    const [message] = configCheckSays((raw) => (raw.zone.id = "not-a-zone-id"));
    assert.ok(run.out.includes(`  - launch-ready:${message}`), run.out);
    assert.equal(run.out.split("? Zone ID").length - 1, 2, "the zone id is asked twice");
    assert.match(run.out, /\? Canonical host: apex .* \[apex\]: /);
    const config = readStackFile("prod", d).config!;
    assert.equal((config["launch-ready:zone"] as { id: string }).id, hex("1"));
    assert.equal((config["launch-ready:site"] as { canonical: string }).canonical, "www");
    assert.deepEqual((config["launch-ready:email"] as { dmarc: { rua: string[] } }).dmarc.rua, ["ops@quillpad.io"]);
    const prompts = [...run.out.matchAll(/(?:^|: )\? ([^:\n]*)/gm)].map((m) => m[1]);
    assert.equal(prompts.length, lines.length - 1, "one prompt per line typed, but the DKIM list's second line");
    for (const prompt of prompts) assert.doesNotMatch(prompt, /token|password|secret/i, `no secret is ever asked: ${prompt}`);
    assert.ok(secretCommandsIn(run.out).includes("pulumi config set --secret launch-ready:anthropicApiKeyProduction --stack prod"));
  });

  it("on a terminal, stops without writing when the input ends before the last answer", async () => {
    const d = dir();
    const run = await runInteractive(["--dir", d], ["", "", "quillpad.io"]);
    assert.equal(run.code, 1);
    assert.match(run.err, /the input ended before every answer was given: nothing was written/);
    assert.equal(fs.existsSync(path.join(d, "Pulumi.prod.yaml")), false);
  });
});
