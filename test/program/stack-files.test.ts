/**
 * A founder's stack file read as the Pulumi CLI reads it, end to end (issue 22, item 7): anchors,
 * aliases and merge keys plan as their expansion does, keys without a namespace get the project's,
 * and a broken file stops `npm run plan` with one config-style message (file:line:col), exit 1, no stack trace.
 * The product is not the example: tidepool.studio on a Free zone, apex canonical, Fastmail mail.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackFileError } from "../../lib/config/stack-yaml";
import { conformanceOf } from "../../tools/conformance/run";
import { planStack, ROOT } from "../../tools/offline/plan";
import { aliasBomb } from "../helpers/alias-bomb";
import { main as planMain } from "../../tools/cli/plan";
import { runMain } from "../helpers/cli";

const TIDEPOOL = `# tidepool.studio: anchors keep what repeats in one place.
config:
  aws:region: eu-west-1
  launch-ready:environment: production
  launch-ready:zone:
    name: tidepool.studio
    id: 7a1b2c3d4e5f60718293a4b5c6d7e8f9
    accountId: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
    plan: free
  launch-ready:site:
    name: "@"
    canonical: apex
    target: vercel
    healthPath: /
  launch-ready:subdomains:
    - &vercelApp
      name: app
      target: vercel
      healthPath: /login
    - <<: *vercelApp
      name: api
      api: true
      healthPath: /api/health
  launch-ready:email:
    senders:
      - name: fastmail
        kind: custom
        spfInclude: spf.messagingengine.com
        dkim:
          - { selector: fm1, type: CNAME, value: fm1.tidepool.studio.dkim.fmhosted.com }
          - { selector: fm2, type: CNAME, value: fm2.tidepool.studio.dkim.fmhosted.com }
    dmarc:
      policy: none
      rua: [&ops ops@tidepool.studio]
    mx:
      - { priority: 10, host: in1-smtp.messagingengine.com }
      - { priority: 20, host: in2-smtp.messagingengine.com }
  launch-ready:hosting:
    projectId: prj_Tidepool1
    env:
      production:
        NEXT_PUBLIC_SITE_URL: &origin https://tidepool.studio
      preview:
        NEXT_PUBLIC_SITE_URL: *origin
  alerts:
    emails: [*ops]
`;

describe("stack files: a founder's file through the offline plan", function () {
  this.timeout(180_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-stack-files-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "Pulumi.tidepool.yaml"), TIDEPOOL);
    // --program needs a file; the stack file is refused before the program is loaded.
    fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("plans anchors, aliases and a merge key as their expansion; `alerts` without a namespace is the project's key", async () => {
    const plan = await planStack("tidepool", { dir });
    assert.deepEqual(JSON.parse(plan.config["launch-ready:subdomains"]), [
      { name: "app", target: "vercel", healthPath: "/login" },
      { name: "api", target: "vercel", healthPath: "/api/health", api: true },
    ]);
    assert.deepEqual(JSON.parse(plan.config["launch-ready:alerts"]), { emails: ["ops@tidepool.studio"] });
    assert.ok(!("alerts" in plan.config));
    const hosts = plan.domainMap.hosts.map((h) => h.hostname).sort();
    assert.deepEqual(hosts, ["api.tidepool.studio", "app.tidepool.studio", "tidepool.studio", "www.tidepool.studio"]);
    const apiMonitor = plan.domainMap.monitors.find((m) => m.url.startsWith("https://api.tidepool.studio"));
    assert.equal(apiMonitor?.url, "https://api.tidepool.studio/api/health");
    assert.deepEqual(conformanceOf({ resources: plan.resources, config: plan.config, project: plan.project, programDir: ROOT }).findings, []);
  });

  it("refuses `alerts` beside `launch-ready:alerts`: the CLI makes them one key", async () => {
    fs.writeFileSync(
      path.join(dir, "Pulumi.twice.yaml"),
      TIDEPOOL.replace("  alerts:\n", "  launch-ready:alerts:\n    emails: [a@tidepool.studio]\n  alerts:\n"),
    );
    await assert.rejects(planStack("twice", { dir }), (err: Error) => {
      assert.ok(err instanceof StackFileError);
      assert.match(err.message, /^Pulumi\.twice\.yaml: config: alerts and launch-ready:alerts are the same key/);
      return true;
    });
  });

  const broken: Array<[string, string, RegExp]> = [
    ["syntax", TIDEPOOL.replace("    plan: free\n", "    plan: [free\n"), /^error: .*Pulumi\.syntax\.yaml:10:3: not valid YAML: /],
    [
      "duplicate",
      TIDEPOOL.replace("    plan: free\n", "    plan: free\n    plan: pro\n"),
      /^error: .*Pulumi\.duplicate\.yaml:10:5: the key "plan" is given twice in one mapping \(first at line 9\)/,
    ],
    ["bomb", aliasBomb(9, "launch-ready"), /^error: .*Pulumi\.bomb\.yaml:5:\d+: the alias \*l2 expands the file more than the Pulumi CLI accepts/],
  ];
  for (const [stack, text, message] of broken) {
    it(`npm run plan on a stack file with a ${stack} problem: one config-style message naming file, line and column, exit 1, no stack trace`, async () => {
      fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
      const run = await runMain(planMain, ["--stack", stack, "--program", path.join(dir, "index.ts")]);
      assert.equal(run.code, 1, run.err + run.out);
      assert.match(run.err, message);
      assert.doesNotMatch(run.err, /^\s+at /m, "no stack trace");
      assert.equal(run.err.split("\n").filter((l) => l.startsWith("error:")).length, 1);
    });
  }
});
