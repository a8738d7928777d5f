/**
 * The domain map contract (lib/domain-map.ts): the program emits exactly it, every reader
 * parses with it, maps from earlier releases still parse, and the test fixture is the
 * shipped prod stack's own map.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { domainMapSchema, NOTE_TOPICS, parseDomainMap } from "../../lib/domain-map";
import { EXAMPLE_DIR } from "../../tools/offline/stack-files";
import { planExample } from "../helpers/stack-config";
import { DOMAIN_MAP_FIXTURE, main as fixturesMain } from "../../tools/cli/fixtures";
import { runMain } from "../helpers/cli";
import { main as verifyMain } from "../../tools/verify/cli";
import { loadOutputsFile, loadStackPlan, UsageError } from "../../tools/verify/sources";

describe("the domain map contract", function () {
  this.timeout(60_000);

  for (const stack of ["prod", "staging"] as const) {
    it(`${stack}: the program emits exactly the contract (nothing dropped or defaulted by parsing it)`, async () => {
      const { domainMap } = await planExample(stack);
      assert.deepEqual(domainMapSchema.parse(domainMap), domainMap);
    });
  }

  it("the handover fixture is prod's map as the program emits it (npm run fixtures rewrites it)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-fixture-"));
    try {
      const fresh = path.join(dir, "map.json");
      const run = await runMain((argv, io) => fixturesMain(argv, io, fresh), []);
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /^wrote .*map\.json from the offline plan of the example's prod\n$/);
      const written = fs.readFileSync(fresh, "utf8");
      assert.equal((await runMain(fixturesMain, ["--frobnicate"])).code, 2);
      assert.equal(fs.readFileSync(DOMAIN_MAP_FIXTURE, "utf8"), written, "the fixture drifted from the program: run npm run fixtures");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads host targets as earlier releases wrote them ("cname:host") into the structured form', () => {
    const map = JSON.parse(fs.readFileSync(DOMAIN_MAP_FIXTURE, "utf8"));
    map.hosts = [
      { hostname: "docs.acmechat.dev", role: "subdomain", target: "cname:hosting.gitbook.io", proxied: false },
      { hostname: "acmechat.dev", role: "canonical", target: "ipv4:76.76.21.21", proxied: true },
      { hostname: "app.acmechat.dev", role: "subdomain", target: "vercel", proxied: true },
    ];
    delete map.zone.managesZoneSettings; // added later: defaults to true
    const parsed = parseDomainMap({ domainMap: map }, "outputs.json");
    assert.deepEqual(
      parsed.hosts.map((h) => h.target),
      [{ cname: "hosting.gitbook.io" }, { ipv4: "76.76.21.21" }, "vercel"],
    );
    assert.equal(parsed.zone.managesZoneSettings, true);
  });

  it("reads notes as earlier releases kept them (untagged, in edge.notes) into the one list, under edge", () => {
    const map = JSON.parse(fs.readFileSync(DOMAIN_MAP_FIXTURE, "utf8"));
    const texts = map.notes.map((n: { text: string }) => n.text);
    delete map.notes;
    map.edge.notes = texts;
    const parsed = parseDomainMap(map, "old.json");
    assert.deepEqual(
      parsed.notes,
      texts.map((text: string) => ({ topic: "edge", text })),
    );
    assert.ok(!("notes" in parsed.edge), "edge keeps no copy");
    assert.ok(texts.length > 3, "the fixture has notes to move");
  });

  it("each note carries the concern it belongs to, in the order the plan wrote them", async () => {
    const { domainMap } = await planExample("prod");
    const topicOf = (start: string) => domainMap.notes.find((n) => n.text.startsWith(start))?.topic;
    assert.equal(topicOf("DNSSEC: Cloudflare signs"), "dns");
    assert.equal(topicOf("DDoS protection"), "edge");
    assert.equal(topicOf("Vercel domains:"), "hosting");
    assert.equal(topicOf("Free plan:"), "edge");
    // Every note has a known topic, and no text is listed twice.
    assert.deepEqual(
      domainMap.notes.filter((n) => !NOTE_TOPICS.includes(n.topic)),
      [],
    );
    assert.equal(new Set(domainMap.notes.map((n) => n.text)).size, domainMap.notes.length);
  });

  it("verify refuses a malformed map with every problem and no stack trace (bad usage, exit 2)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-map-"));
    try {
      const file = path.join(dir, "map.json");
      fs.writeFileSync(file, JSON.stringify({ stack: "prod", zone: { name: "acmechat.dev" }, hosts: [{ hostname: "x", role: "boss" }] }));
      let out = "";
      let err = "";
      const code = await verifyMain(
        ["--map", file],
        (s: string) => (out += s),
        (s: string) => (err += s),
      );
      assert.equal(code, 2);
      assert.match(err, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a domain map:`));
      assert.match(err, /- zone\.id must be a string/);
      assert.match(err, /- hosts\[0\]\.role must be one of "canonical", "redirect", "subdomain"/);
      assert.doesNotMatch(err + out, /\n\s+at /, "no stack trace");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("verify: where the domain map comes from", () => {
  it("outputs without a domainMap key, a map that is a non-JSON string, and a stack whose plan fails are bad usage with the fix", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-sources-"));
    try {
      const outputs = path.join(dir, "outputs.json");
      fs.writeFileSync(outputs, JSON.stringify({ canonicalUrl: "https://acmechat.dev" }));
      assert.throws(
        () => loadOutputsFile(outputs),
        (e: Error) => e instanceof UsageError && /no "domainMap" key; produce the file with `pulumi stack output --json > outputs\.json`/.test(e.message),
      );
      fs.writeFileSync(outputs, JSON.stringify({ domainMap: "{ not json" }));
      assert.throws(
        () => loadOutputsFile(outputs),
        (e: Error) => e instanceof UsageError && /: the domain map is a string that is not JSON$/.test(e.message),
      );
      // `pulumi stack output --json` prints a secret-free map as an object, but older CLIs gave it as a JSON string.
      fs.writeFileSync(outputs, JSON.stringify({ domainMap: fs.readFileSync(DOMAIN_MAP_FIXTURE, "utf8") }));
      assert.equal(loadOutputsFile(outputs).canonicalHost, "acmechat.dev");
      await assert.rejects(
        loadStackPlan("nope", EXAMPLE_DIR),
        (e: Error) =>
          e instanceof UsageError &&
          /^--stack nope: the offline plan failed: no stack file Pulumi\.nope\.yaml in examples\/acmechat \(stack files there: prod, staging\): write one with `npm run init`$/.test(
            e.message,
          ),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
