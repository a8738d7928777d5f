/**
 * The components as a package for someone's own Pulumi program: `npm pack` of this
 * repository, installed into a scratch program (its dependencies linked, as `npm install`
 * would place them), importing "launch-ready" and declaring two sites, planned offline.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planStack } from "../../tools/offline/plan";
import { conformanceOf } from "../../tools/conformance/run";
import { shippedConfig } from "../helpers/stack-config";

const ROOT = path.resolve(__dirname, "..", "..");

/** The prod stack's config as one object per site, the second moved to another zone. */
function siteConfigs(): Array<Record<string, unknown>> {
  const acme: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(shippedConfig("prod"))) if (k.startsWith("launch-ready:")) acme[k.slice("launch-ready:".length)] = v;
  const bot = JSON.parse(
    JSON.stringify(acme)
      .replace(/acmechat\.dev/g, "acmebot.dev")
      .replace(/prj_AcmeChatProd7Qx2/g, "prj_AcmeBotProd9Zz1"),
  );
  bot.zone.id = "1e4f6a9b2c3d4e5f60718293a4b5c6d7";
  return [acme, bot];
}

describe("the components as a package, in someone else's program", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-package-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("npm pack builds the public entry; a scratch program imports it and plans two sites without a URN collision", async () => {
    const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    const app = path.join(dir, "app");
    const modules = path.join(app, "node_modules");
    fs.mkdirSync(path.join(modules, "launch-ready"), { recursive: true });
    execFileSync("tar", ["xzf", path.join(dir, tgz), "-C", path.join(modules, "launch-ready"), "--strip-components=1"]);
    const packed = execFileSync("find", [".", "-type", "f"], { cwd: path.join(modules, "launch-ready"), encoding: "utf8" });
    assert.match(packed, /\.\/dist\/components\/index\.js/);
    assert.match(packed, /\.\/dist\/components\/index\.d\.ts/);
    assert.doesNotMatch(packed, /\.\/test\/|\.\/Pulumi\.prod\.yaml/, "only the built package ships");
    for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
      if (entry.startsWith(".")) continue;
      fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry), "dir");
    }
    // The public entry is the site and the planners; the site's parts stay internal (README, "In your own Pulumi program").
    const entry = require(require.resolve("launch-ready", { paths: [app] })) as Record<string, unknown>;
    assert.deepEqual(Object.keys(entry).sort(), ["ConfigError", "LaunchReadySite", "sitePlan", "sitePlanFromStackConfig"]);
    const typings = fs.readFileSync(path.join(modules, "launch-ready", "dist", "components", "stack-config.d.ts"), "utf8");
    assert.match(typings, /sitePlan\(config: StackConfigInput/, "sitePlan's config is typed, not Record<string, unknown>");
    const [acme, bot] = siteConfigs();
    fs.writeFileSync(path.join(app, "Pulumi.yaml"), "name: two-sites\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(app, "index.ts"),
      [
        'import { LaunchReadySite, sitePlan } from "launch-ready";',
        `const acme = new LaunchReadySite("acme", { plan: sitePlan(${JSON.stringify(acme)}) });`,
        `const bot = new LaunchReadySite("bot", { plan: sitePlan(${JSON.stringify(bot)}) });`,
        "export const origins = [acme.domainMap.canonicalOrigin, bot.domainMap.canonicalOrigin];",
        "",
      ].join("\n"),
    );
    // The secrets both sites reference, under the program's own namespace, as `pulumi config set --secret` leaves them.
    const secrets = Object.fromEntries(
      [...JSON.stringify([acme, bot]).matchAll(/"secret":"([A-Za-z0-9_-]+)"/g)].map((m) => [
        `two-sites:${m[1]}`,
        { secure: "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBB" },
      ]),
    );
    const p = await planStack("prod", { program: path.join(app, "index.ts"), dir: app, stackFile: { config: { "aws:region": "us-east-1", ...secrets } } });
    assert.deepEqual(p.outputs.origins, ["https://acmechat.dev", "https://acmebot.dev"]);
    const custom = p.resources.filter((r) => r.custom);
    assert.equal(
      custom.length,
      232,
      "116 resources per site (no Smart Tiered Cache: both sites are served by Vercel; 3 of them the _vercel TXT of its Vercel domains, 3 the origin lock)",
    );
    assert.equal(new Set(p.resources.map((r) => r.urn)).size, p.resources.length, "no URN is declared twice");
    for (const site of ["acme", "bot"]) assert.equal(custom.filter((r) => r.name.startsWith(`${site}-`)).length, 116, `${site}'s children carry its name`);
    const checked = conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: app });
    assert.deepEqual(
      checked.findings.map((f) => `${f.name} ${f.property}: ${f.message}`),
      [],
    );
  });
});
