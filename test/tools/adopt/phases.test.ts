/**
 * Adoption in two phases, on a founder's own product (mybot.ai on a Pro zone, not the example),
 * against the loopback stand-in for Cloudflare's API v4: phase one declares every imported
 * resource exactly as the stand-in serves it; `--finish` ends it; phase two declares the bar's
 * values with the same URNs and import ids, and nothing forces a replacement.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStackYaml } from "../../../lib/config/stack-yaml";
import { main } from "../../../tools/cli/adopt";
import { planStack } from "../../../tools/offline/plan";
import { renderPlan } from "../../../tools/offline/render";
import { conformanceOf, REPO_ROOT } from "../../../tools/conformance/run";
import { RESOURCE_TYPES as T } from "../../../policies/shared/resource-types";
import { factsFor } from "../../../lib/provider-facts";
import { revealSecret } from "../../../lib/planned/secrets";
import type { PlannedResource } from "../../../lib/planned/types";
import { evaluatePolicies, hasMandatoryViolation } from "../../../tools/policy/offline";
import { startCloudflareApi, type ApiServer, type ApiZone } from "./helpers/cloudflare-api";

const ZONE_ID = "5c9e1f0a2b3d4c5e6f708192a3b4c5d6";
const TOKEN = "read-only-test-token";
const RULESET_ID = "9a8b7c6d5e4f30211203f4e5d6c7b8a9";
const CACHE_RULESET_ID = "1a2b3c4d5e6f708192a3b4c5d6e7f809";
const id = (n: number) => `b0${n.toString(16).padStart(30, "0")}`;

/** mybot.ai as its founder left it: records with TTLs, comments and a tag, a dashboard WAF ruleset with a skip rule. */
function mybotZone(): ApiZone {
  return {
    zoneId: ZONE_ID,
    name: "mybot.ai",
    plan: "pro",
    records: [
      {
        id: id(1),
        name: "www.mybot.ai",
        type: "CNAME",
        content: "cname.vercel-dns.com",
        proxied: false,
        ttl: 3600,
        comment: "set up by hand",
        settings: { flatten_cname: true, ipv4_only: null, ipv6_only: null },
      },
      { id: id(2), name: "mybot.ai", type: "A", content: "76.76.21.21", proxied: true, tags: ["owner:founder"] },
      { id: id(3), name: "mybot.ai", type: "MX", content: "smtp.google.com", priority: 1, ttl: 300 },
      { id: id(4), name: "mybot.ai", type: "TXT", content: '"v=spf1 include:_spf.google.com ~all"', ttl: 300, comment: "google" },
      { id: id(5), name: "_dmarc.mybot.ai", type: "TXT", content: '"v=DMARC1; p=none"' },
      { id: id(6), name: "blog.mybot.ai", type: "CNAME", content: "mybot.ghost.io" },
    ],
    rulesets: {
      http_request_firewall_custom: {
        id: RULESET_ID,
        name: "custom rules by hand",
        rules: [
          {
            ref: "office",
            description: "Office IP skips the rest",
            expression: "(ip.src eq 198.51.100.7)",
            action: "skip",
            action_parameters: { ruleset: "current" },
            logging: { enabled: true },
          },
          { ref: "no-xx", description: "Block a country", expression: '(ip.src.country eq "XX")', action: "block" },
        ],
      },
      // A cache rule made in the dashboard, with the API's list fields the SDK names in the plural and maps keyed by header names.
      http_request_cache_settings: {
        id: CACHE_RULESET_ID,
        name: "default",
        rules: [
          {
            ref: "cache-pages",
            description: "Cache the pricing page",
            expression: '(http.request.uri.path eq "/pricing")',
            action: "set_cache_settings",
            action_parameters: {
              cache: true,
              edge_ttl: { mode: "override_origin", default: 3600, status_code_ttl: [{ status_code: 404, value: 60 }] },
              cache_key: {
                custom_key: {
                  header: { include: ["x-app"], check_presence: ["x_flag"], contains: { x_tenant: ["a", "b"] } },
                  query_string: { include: { list: ["plan"] } },
                },
              },
            },
          },
        ],
      },
    },
    settings: { ssl: "full", always_use_https: "on", min_tls_version: "1.2", tls_1_3: "on" },
  };
}

/**
 * What each live record must be declared as, written out from the zone above with the stand-in's
 * documented defaults (ttl 1, proxied false, comment null, tags []): by record id.
 */
const EXPECTED_PHASE_ONE: Record<string, Record<string, unknown>> = {
  [id(1)]: { type: "CNAME", content: "cname.vercel-dns.com", ttl: 3600, proxied: false, comment: "set up by hand", settings: { flattenCname: true } },
  [id(2)]: { type: "A", content: "76.76.21.21", ttl: 1, proxied: true, tags: ["owner:founder"] },
  [id(3)]: { type: "MX", content: "smtp.google.com", ttl: 300, proxied: false, priority: 1 },
  [id(4)]: { type: "TXT", content: '"v=spf1 include:_spf.google.com ~all"', ttl: 300, proxied: false, comment: "google" },
  [id(5)]: { type: "TXT", content: '"v=DMARC1; p=none"', ttl: 1, proxied: false },
};
const COMPARED = ["type", "content", "data", "ttl", "proxied", "priority", "comment", "tags", "settings"];

describe("adoption in two phases (a founder's own zone, the loopback Cloudflare API)", function () {
  this.timeout(120_000);
  let dir: string;
  let api: ApiServer;
  const sink = (into: string[]) => ({ write: (s: string) => into.push(s) }) as unknown as NodeJS.WritableStream;
  const adopt = async (extra: string[], env: NodeJS.ProcessEnv = { CLOUDFLARE_API_TOKEN: TOKEN }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["--stack", "prod", "--dir", dir, "--api-url", api.url, ...extra], sink(out), sink(err), env);
    return { code, out: out.join(""), err: err.join("") };
  };
  const stackFile = () => fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
  const planNow = async () =>
    planStack("prod", { stackFile: { config: (parseStackYaml(stackFile(), "Pulumi.prod.yaml") as { config: Record<string, unknown> }).config } });
  const imported = (resources: PlannedResource[]) => resources.filter((r) => r.opts.importId);
  const props = (r: PlannedResource, keys: string[]) =>
    Object.fromEntries(keys.filter((k) => revealSecret(r.props[k]) !== undefined).map((k) => [k, revealSecret(r.props[k])]));

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-phases-"));
    fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.copyFileSync(path.join(__dirname, "fixtures", "Pulumi.mybot.yaml"), path.join(dir, "Pulumi.prod.yaml"));
    api = await startCloudflareApi(mybotZone(), { token: TOKEN });
  });
  afterEach(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("phase one declares every imported record and ruleset exactly as the API serves it, field by field", async () => {
    const r = await adopt([]);
    assert.equal(r.code, 0, r.err);
    const p = await planNow();
    const records = imported(p.resources).filter((x) => x.type === T.dnsRecord);
    assert.deepEqual(
      records.map((x) => x.opts.importId).sort(),
      Object.keys(EXPECTED_PHASE_ONE)
        .map((i) => `${ZONE_ID}/${i}`)
        .sort(),
    );
    for (const rec of records) {
      const recordId = rec.opts.importId!.split("/")[1];
      assert.deepEqual(props(rec, COMPARED), EXPECTED_PHASE_ONE[recordId], `${rec.name} is declared as it is live`);
    }
    const ruleset = imported(p.resources).find((x) => x.opts.importId === `zones/${ZONE_ID}/${RULESET_ID}`)!;
    assert.deepEqual(props(ruleset, ["name", "description", "rules"]), {
      name: "custom rules by hand",
      rules: [
        {
          ref: "office",
          description: "Office IP skips the rest",
          expression: "(ip.src eq 198.51.100.7)",
          action: "skip",
          actionParameters: { ruleset: "current" },
          logging: { enabled: true },
          enabled: true,
        },
        { ref: "no-xx", description: "Block a country", expression: '(ip.src.country eq "XX")', action: "block", enabled: true },
      ],
    });
    // The SDK's names, written out from its types (input.d.ts): plural list fields, header-name map keys kept.
    const cache = imported(p.resources).find((x) => x.opts.importId === `zones/${ZONE_ID}/${CACHE_RULESET_ID}`)!;
    assert.deepEqual((revealSecret(cache.props.rules) as Array<Record<string, unknown>>)[0].actionParameters, {
      cache: true,
      edgeTtl: { mode: "override_origin", default: 3600, statusCodeTtls: [{ statusCode: 404, value: 60 }] },
      cacheKey: {
        customKey: {
          header: { includes: ["x-app"], checkPresences: ["x_flag"], contains: { x_tenant: ["a", "b"] } },
          queryString: { include: { lists: ["plan"] } },
        },
      },
    });
    // ... and the conformance stage, which checks every declared property against the SDK's declared shape, finds nothing.
    assert.deepEqual(
      conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT }).findings.map(
        (f) => `${f.name} ${f.property}: ${f.message}`,
      ),
      [],
    );
    const text = renderPlan(p);
    assert.match(text, new RegExp(`import ${ZONE_ID}/${id(1)}, declared as live \\(adoption phase one\\)`));
    assert.match(text, /Adoption phase one: pulumi up imports these 7 resource\(s\) as the zone holds them, without changing them\./);
    assert.match(text, /- www\.mybot\.ai CNAME: proxied through Cloudflare; ttl 3600s -> auto; comment "set up by hand" -> "launch-ready: [^"]+"/);
    assert.match(text, /- mybot\.ai A: comment \(none\) -> "[^"]+"; tags owner:founder -> \(none\)/);
  });

  it("phase one below the bar: the pack reports it; policies/config/adoption-phase-one.json reports without blocking", async () => {
    await api.close();
    const zone = mybotZone();
    // A dashboard rule set that rate-limits nothing: the live entrypoint of a phase the stack manages, as phase one declares it.
    zone.rulesets!.http_ratelimit = { id: "7f7e7d7c7b7a79787776757473727170", name: "default", rules: [] };
    api = await startCloudflareApi(zone, { token: TOKEN });
    assert.equal((await adopt([])).code, 0);
    const p = await planNow();
    const shipped = await evaluatePolicies(p.resources);
    assert.equal(hasMandatoryViolation(shipped), true, "the pack judges the live values phase one declares");
    const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policies", "config", "adoption-phase-one.json"), "utf8"));
    const reporting = await evaluatePolicies(p.resources, { config });
    assert.equal(hasMandatoryViolation(reporting), false);
    const mandatoryNames = shipped.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory").map((v) => v.policyName);
    assert.ok(mandatoryNames.length > 0);
    for (const name of mandatoryNames) {
      const v = reporting.find((x) => x.policyName === name)!;
      assert.deepEqual([v.status, v.enforcementLevel], ["violation", "advisory"], `${name} is still reported, as advisory`);
    }
  });

  it("conformance refuses an imported resource declared other than adopt recorded it live", async () => {
    assert.equal((await adopt([])).code, 0);
    const p = await planNow();
    const www = p.resources.find((x) => x.opts.importId === `${ZONE_ID}/${id(1)}`)!;
    www.props = { ...www.props, ttl: 1, comment: "launch-ready: canonical web host" };
    const findings = conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT }).findings;
    assert.deepEqual(
      findings.map((f) => [f.name, f.property, f.given, f.allowed]),
      [
        [www.name, "ttl", "1", "3600, as npm run adopt recorded it live (phase one)"],
        [www.name, "comment", '"launch-ready: canonical web host"', '"set up by hand", as npm run adopt recorded it live (phase one)'],
      ],
    );
    assert.match(findings[0].message, /before 3\.174\.0 fail an `import` whose declared inputs differ from the live resource/);
    assert.match(findings[0].source, /961156bb35/);
  });

  it("--finish ends phase one: same URNs and import ids, the bar's values, nothing that forces a replacement", async () => {
    assert.equal((await adopt([])).code, 0);
    const one = await planNow();
    const finish = await adopt(["--finish"], {});
    assert.equal(finish.code, 0, finish.err);
    assert.match(finish.out, /run this only after phase one's pulumi up has imported these 7 resource\(s\)/);
    assert.match(finish.out, /_dmarc\.mybot\.ai TXT: content "v=DMARC1; p=none" -> "v=DMARC1; p=none; rua=mailto:dmarc@mybot\.ai"/);
    const config = (parseStackYaml(stackFile(), "Pulumi.prod.yaml") as { config: Record<string, any> }).config["launch-ready:zone"];
    assert.deepEqual(Object.values(config.existingRecords).sort(), Object.keys(EXPECTED_PHASE_ONE).sort(), "each record entry is its id alone");
    assert.deepEqual(config.existingRulesets, { http_request_firewall_custom: RULESET_ID, http_request_cache_settings: CACHE_RULESET_ID });
    const two = await planNow();
    const byUrn = (rs: PlannedResource[]) => new Map(imported(rs).map((x) => [x.urn, x]));
    const before = byUrn(one.resources);
    const after = byUrn(two.resources);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), "the same resources, under the same URNs");
    for (const [urn, b] of before) {
      const a = after.get(urn)!;
      assert.equal(a.opts.importId, b.opts.importId);
      const forcing = (factsFor(a.type)?.replaceOnChanges?.props ?? []).filter((k) => !a.opts.ignoreChanges.includes(k));
      for (const k of forcing) assert.deepEqual(revealSecret(a.props[k]), revealSecret(b.props[k]), `${a.name}: ${k} would force a replacement`);
    }
    // Phase two declares the bar: the DMARC record gets its reporting address, the web host is proxied.
    const dmarc = after.get([...after.keys()].find((u) => u.endsWith("_dmarc-TXT-dmarc"))!)!;
    assert.equal(revealSecret(dmarc.props.content), '"v=DMARC1; p=none; rua=mailto:dmarc@mybot.ai"');
    const www = [...after.values()].find((x) => x.opts.importId === `${ZONE_ID}/${id(1)}`)!;
    assert.deepEqual([revealSecret(www.props.proxied), revealSecret(www.props.ttl)], [true, 1]);
    assert.deepEqual(
      conformanceOf({ resources: two.resources, config: two.config, project: two.project, programDir: REPO_ROOT }).findings.map((f) => f.message),
      [],
    );
    assert.doesNotMatch(renderPlan(two), /Adoption phase one/);
    const again = await adopt(["--finish"], {});
    assert.match(again.out, /^Nothing to finish/);
  });

  it("a second adopt keeps what phase one already imported, and adds the live values of new adoptions only", async () => {
    assert.equal((await adopt([])).code, 0);
    assert.equal((await adopt(["--finish"], {})).code, 0);
    const finished = stackFile();
    assert.equal((await adopt([])).code, 0);
    assert.equal(stackFile(), finished, "every adopted entry is already past phase one");
  });

  it("a zone on another plan than zone.plan, or another zone than zone.name, is a conflict naming the key", async () => {
    await api.close();
    api = await startCloudflareApi({ ...mybotZone(), plan: "free" }, { token: TOKEN });
    const before = stackFile();
    const r = await adopt([]);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /mybot\.ai the zone's API reports the Free Website plan \(plan\.legacy_id "free"\) but zone\.plan says "pro": the plan decides how many rules and which features Cloudflare accepts\.\n {4}Fix: set zone\.plan: free in the stack file, or change the zone's plan in the Cloudflare dashboard first\./,
    );
    assert.equal(stackFile(), before);
    await api.close();
    api = await startCloudflareApi({ ...mybotZone(), name: "mybot.dev" }, { token: TOKEN });
    assert.match((await adopt([])).out, /zone\.id 5c9e1f0a2b3d4c5e6f708192a3b4c5d6 is the zone mybot\.dev, not mybot\.ai/);
  });

  it("a dashboard rule holding a credential is a conflict: nothing is written, and the value is printed nowhere", async () => {
    await api.close();
    const zone = mybotZone();
    const planted = "sk_live_51HqLyjWDarjtT1zdp7dcXq9ZvN3mKpQ8rS2tU4vW6xY0";
    zone.rulesets!.http_request_firewall_custom.rules.push({
      ref: "partner",
      description: "Partner API key",
      expression: `(http.request.headers["x-api-key"][0] eq "${planted}")`,
      action: "skip",
      action_parameters: { ruleset: "current" },
    });
    api = await startCloudflareApi(zone, { token: TOKEN });
    const before = stackFile();
    const r = await adopt([]);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /the http_request_firewall_custom rule "Partner API key" holds what looks like a Stripe secret key: adopt would write it into the stack file, which is committed\.\n {4}Fix: rotate it, then replace the rule/,
    );
    assert.ok(!r.out.includes(planted) && !r.err.includes(planted), "the value is not printed");
    assert.equal(stackFile(), before);
  });

  it("a carried-over skip rule goes before the stack's own rules, where it still skips what followed it", async () => {
    const r = await adopt(["--dry-run"]);
    assert.equal(r.code, 0, r.err);
    const snippet = /To keep them, carry them over[^\n]*\n((?: {4}.*\n)+)/.exec(r.out)![1].replace(/^ {4}/gm, "");
    const extraRules = (parseStackYaml(snippet, "the printed snippet") as Record<string, any>)["launch-ready:edge"].extraRules;
    assert.deepEqual(
      extraRules.http_request_firewall_custom.map((x: Record<string, unknown>) => [x.action, x.position]),
      [
        ["skip", "first"],
        ["block", "first"],
      ],
    );
    assert.match(r.out, /a skip rule skips only the rules after it, so these go first \(position: first\)/);
    // Carried over as printed, the skip rule stands first in the planned entrypoint, the block rule after it, then the stack's own.
    const file = (parseStackYaml(stackFile(), "Pulumi.prod.yaml") as { config: Record<string, any> }).config;
    file["launch-ready:edge"] = { ...file["launch-ready:edge"], extraRules };
    const p = await planStack("prod", { stackFile: { config: file } });
    const custom = p.resources.find((x) => x.type === T.ruleset && revealSecret(x.props.phase) === "http_request_firewall_custom")!;
    const rules = revealSecret(custom.props.rules) as Array<{ action: string; description: string }>;
    assert.deepEqual(
      rules.slice(0, 2).map((x) => [x.action, x.description]),
      [
        ["skip", "Office IP skips the rest"],
        ["block", "Block a country"],
      ],
    );
    assert.ok(rules.length > 2, "the stack's own rules follow");
  });
});
