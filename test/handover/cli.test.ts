import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { HELP, main, parseArgs } from "../../tools/cli/handover";
import { fixtureMap, fixtureMapWithoutConfigKeys, MAP_FILE } from "./helpers";

class Capture extends Writable {
  text = "";
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[]) {
  const out = new Capture();
  const err = new Capture();
  const code = await main(argv, out, err);
  return { code, out: out.text, err: err.text };
}

describe("handover CLI", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("parses the source and options, in both --flag value and --flag=value forms", () => {
    assert.deepStrictEqual(parseArgs(["--map", "m.json", "--out=H.md", "--date", "2026-11-23"]), {
      help: false,
      map: "m.json",
      out: "H.md",
      date: "2026-11-23",
    });
    assert.strictEqual(parseArgs(["--stack", "prod"]).stack, "prod");
  });

  it("refuses a missing, doubled or unknown source with exit code 2 and the help", async () => {
    for (const argv of [
      [],
      ["--stack", "prod", "--map", "m.json"],
      ["--bogus"],
      ["--map"],
      ["--map", "m.json", "--date", "23/11/2026"],
      ["--map", "m.json", "--stack-file", "Pulumi.prod.yaml"],
      ["--map", "m.json", "--dir", "examples/acmechat"],
    ]) {
      const r = await run(argv);
      assert.strictEqual(r.code, 2, argv.join(" "));
      assert.ok(r.err.startsWith("handover: "), r.err);
      assert.ok(r.err.includes("Usage: npm run handover"));
      assert.strictEqual(r.out, "");
    }
  });

  it("prints the help with --help", async () => {
    const r = await run(["--help"]);
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.out, HELP);
    for (const flag of ["--stack", "--dir", "--outputs", "--map", "--out", "--date"]) assert.ok(HELP.includes(flag), flag);
    assert.ok(!HELP.includes("--stack-file"));
  });

  it("writes the document for a domain map to stdout, with the config keys the map names", async () => {
    const r = await run(["--map", MAP_FILE]);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^# Launch handover: acmechat\.dev \(prod\)\n/);
    assert.ok(r.out.includes("| `launch-ready:openaiApiKeyProduction` |"));
    assert.ok(r.out.includes("| `launch-ready:databaseUrlPreview` |"));
    assert.ok(!r.out.includes("CONFIG_KEY"));
  });

  it("reads no stack file: a map without config keys gets the placeholder even though Pulumi.prod.yaml exists", async () => {
    const older = path.join(dir, "older.json");
    fs.writeFileSync(older, JSON.stringify(fixtureMapWithoutConfigKeys()));
    const r = await run(["--map", older]);
    assert.strictEqual(r.code, 0, r.err);
    assert.ok(r.out.includes("| `launch-ready:CONFIG_KEY` |"));
    assert.ok(!r.out.includes("openaiApiKeyProduction"));
  });

  it("reads pulumi stack output --json (key domainMap) and writes --out", async () => {
    const outputs = path.join(dir, "outputs.json");
    fs.writeFileSync(outputs, JSON.stringify({ domainMap: fixtureMap(), canonicalOrigin: "https://acmechat.dev" }));
    const file = path.join(dir, "HANDOVER-prod.md");
    const r = await run(["--outputs", outputs, "--out", file, "--date", "2026-11-23"]);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(r.out, "");
    assert.ok(r.err.includes(`wrote ${file}`));
    const doc = fs.readFileSync(file, "utf8");
    assert.ok(doc.includes("Generated on 2026-11-23."));
    assert.ok(doc.includes("`api.acmechat.dev`"));
    assert.ok(doc.includes("| `launch-ready:stripeWebhookSecretProduction` |"));
  });

  it("fails with exit code 1 and every problem when the file is not a domain map", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ stack: "prod", hosts: "none", zone: { id: "z", plan: "gold" } }));
    const r = await run(["--map", bad]);
    assert.strictEqual(r.code, 1);
    assert.ok(r.err.includes(`${bad} is not a domain map`));
    assert.ok(r.err.includes("hosts must be a list"));
    assert.ok(r.err.includes("zone.name must be a string"));
    assert.ok(r.err.includes('zone.plan must be one of "free", "pro", "business", "enterprise"'));
    assert.ok(r.err.includes("alerts must be an object"));
    assert.strictEqual(r.out, "");
  });

  it("fails clearly for a stack that has no stack file, naming the stack files that exist and npm run init", async () => {
    const founder = fs.mkdtempSync(path.join(dir, "founder-"));
    for (const stack of ["mybot", "mybot-staging"]) fs.writeFileSync(path.join(founder, `Pulumi.${stack}.yaml`), "config: {}\n");
    const r = await run(["--stack", "nosuch", "--dir", founder]);
    assert.strictEqual(r.code, 1);
    assert.ok(
      r.err.includes(
        `no stack file Pulumi.nosuch.yaml in ${founder} (stack files there: mybot, mybot-staging): write one with \`npm run init\`; ` +
          "the AcmeChat example's stacks are planned with --dir examples/acmechat --stack prod (or staging)",
      ),
      r.err,
    );
    assert.strictEqual(r.out, "");
    // At the repository root, whatever stack files the founder keeps there.
    const atRoot = await run(["--stack", "nosuch"]);
    assert.strictEqual(atRoot.code, 1);
    assert.match(
      atRoot.err,
      /no stack file Pulumi\.nosuch\.yaml at the repository root \((stack files there: [\w, .-]+|no stack file there)\): write one with `npm run init`/,
    );
  });

  it("fails clearly on a missing or unparsable file", async () => {
    const missing = await run(["--map", path.join(dir, "nope.json")]);
    assert.strictEqual(missing.code, 1);
    assert.match(missing.err, /--map .*nope\.json: cannot read \(ENOENT\)/);
    const garbled = path.join(dir, "garbled.json");
    fs.writeFileSync(garbled, "{ not json");
    const g = await run(["--map", garbled]);
    assert.strictEqual(g.code, 1);
    assert.match(g.err, /--map .*garbled\.json: cannot read it as JSON/);
  });
});
