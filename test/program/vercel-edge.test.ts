/**
 * Cloudflare in front of Vercel (issue 24), on the planned resources: the HTML-rewriting settings off,
 * Vercel's paths left alone by the cache and redirect rules, on the example and on a founder's stack.
 */
import { strict as assert } from "assert";
import { planStack, type OfflinePlan } from "../../tools/offline/plan";
import { RESOURCE_TYPES as T } from "../../policies/shared/resource-types";
import { matches } from "../helpers/rule-expression";
import { shippedConfig } from "../helpers/stack-config";
import { projectDir, runInit } from "../tools/init/helpers";
import { LEDGERLY } from "../fixtures/founders";
import { conformanceOf, REPO_ROOT } from "../../tools/conformance/run";
import { revealSecret } from "../../lib/planned/secrets";
import { renderHandover } from "../../lib/handover";
import type { PlannedResource } from "../../lib/planned/types";
import { secretScrubber } from "../../tools/policy/scrub";

const FIREWALL = "vercel:index/firewallConfig:FirewallConfig";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const lockOf = (p: OfflinePlan) => p.resources.filter((r) => r.name.startsWith("launch-ready-origin-lock"));
/** A resource's props with its secrets opened (the plan keeps them wrapped). */
const opened = (r: PlannedResource): Record<string, any> => JSON.parse(JSON.stringify(r.props, (_k, v) => revealSecret(v)));
const conformanceFindings = (p: OfflinePlan, resources = p.resources) =>
  conformanceOf({ resources, config: p.config, project: p.project, programDir: REPO_ROOT }).findings;

async function planExampleWith(edit: (c: Record<string, any>) => void = () => undefined): Promise<OfflinePlan> {
  const config = shippedConfig("prod");
  edit(config);
  return planStack("prod", { stackFile: { config } });
}

const settingsOf = (p: OfflinePlan) =>
  Object.fromEntries(p.resources.filter((r) => r.type === T.zoneSetting).map((r) => [r.props.settingId as string, r.props.value]));
const rulesOf = (p: OfflinePlan, phase: string): Array<Record<string, any>> =>
  (p.resources.find((r) => r.type === T.ruleset && r.props.phase === phase)?.props.rules as Array<Record<string, any>>) ?? [];

/** Whether the cache rules, applied in order (later wins), leave a request uncached. */
function cached(p: OfflinePlan, request: Parameters<typeof matches>[1]): boolean {
  let cache = false;
  for (const rule of rulesOf(p, "http_request_cache_settings")) if (matches(rule.expression, request)) cache = rule.actionParameters.cache === true;
  return cache;
}
const redirected = (p: OfflinePlan, request: Parameters<typeof matches>[1]) =>
  rulesOf(p, "http_request_dynamic_redirect").some((r) => matches(r.expression, request));

describe("Cloudflare in front of Vercel, planned", function () {
  this.timeout(60_000);
  let example: OfflinePlan;
  let ledgerly: OfflinePlan;
  before(async () => {
    example = await planExampleWith();
    const dir = projectDir();
    const run = await runInit([...LEDGERLY, "--dir", dir, "--yes", "--stack", "ledgerly"]);
    assert.equal(run.code, 0, run.err);
    ledgerly = await planStack("ledgerly", { dir });
  });

  it("turns Email Obfuscation, Rocket Loader and Automatic HTTPS Rewrites off on the example and on ledgerly.io", () => {
    for (const p of [example, ledgerly]) {
      const s = settingsOf(p);
      assert.deepEqual([s.email_obfuscation, s.rocket_loader, s.automatic_https_rewrites], ["off", "off", "off"]);
      assert.equal(s.mirage, undefined, "Mirage is a paid-plan setting: not declared");
    }
  });

  it("the example's twin redirect leaves Vercel's paths alone and still redirects the rest", () => {
    const twin = "www.acmechat.dev";
    assert.ok(redirected(example, { host: twin, path: "/pricing" }), "a page on the twin is redirected");
    assert.ok(!redirected(example, { host: twin, path: "/.well-known/acme-challenge/tok3n" }));
    assert.ok(!redirected(example, { host: twin, path: "/.well-known/vercel/microfrontend-routing" }));
    assert.ok(!redirected(example, { host: twin, path: "/pricing", scheme: "http" }), "http goes to https on the twin first (Always Use HTTPS)");
  });

  it("ledgerly.io's apex redirect to www leaves Vercel's paths alone", () => {
    assert.ok(redirected(ledgerly, { host: "ledgerly.io", path: "/" }));
    assert.ok(!redirected(ledgerly, { host: "ledgerly.io", path: "/.well-known/acme-challenge/abc" }));
    assert.ok(!redirected(ledgerly, { host: "ledgerly.io", path: "/.well-known/vercel/x.json" }));
  });

  it("never caches Vercel's paths, even with a static extension, and still caches static assets", () => {
    for (const [p, host] of [
      [example, "acmechat.dev"],
      [ledgerly, "www.ledgerly.io"],
    ] as const) {
      assert.ok(cached(p, { host, path: "/_next/static/chunks/main.js" }), "a static asset is cached");
      assert.ok(!cached(p, { host, path: "/.well-known/vercel/flags.json" }));
      assert.ok(!cached(p, { host, path: "/.well-known/acme-challenge/abc.txt", scheme: "http" }));
    }
  });

  describe("the origin lock", () => {
    it("on in production by default: a generated secret, Cloudflare's header rule on the Vercel hosts, Vercel's firewall rule for production", () => {
      const lock = lockOf(example);
      assert.deepEqual(
        lock
          .filter((r) => r.custom)
          .map((r) => r.type)
          .sort(),
        ["cloudflare:index/ruleset:Ruleset", PASSWORD, FIREWALL].sort(),
      );
      const password = lock.find((r) => r.type === PASSWORD)!;
      assert.deepEqual(password.props, { length: 48, special: false });
      const ruleset = opened(lock.find((r) => r.type === T.ruleset)!);
      assert.deepEqual([ruleset.phase, ruleset.kind, ruleset.rules.length], ["http_request_late_transform", "zone", 1]);
      const [rule] = ruleset.rules;
      assert.equal(rule.action, "rewrite");
      assert.deepEqual(Object.keys(rule.actionParameters.headers), ["x-launch-ready-origin"]);
      assert.equal(rule.actionParameters.headers["x-launch-ready-origin"].operation, "set");
      for (const host of ["acmechat.dev", "app.acmechat.dev", "api.acmechat.dev"]) assert.ok(matches(rule.expression, { host, path: "/api/chat" }), host);
      for (const host of ["docs.acmechat.dev", "status.acmechat.dev", "www.acmechat.dev"])
        assert.ok(!matches(rule.expression, { host, path: "/" }), `${host} is not served by Vercel`);
      const firewall = opened(lock.find((r) => r.type === FIREWALL)!);
      assert.deepEqual([firewall.projectId, firewall.teamId], ["prj_AcmeChatProd7Qx2", "team_AcmeChat4Kd9"]);
      const [deny] = firewall.rules.rules;
      assert.equal(deny.action.action, "deny");
      assert.equal(deny.conditionGroups.length, 1, "one group: every condition must hold");
      const conditions = deny.conditionGroups[0].conditions;
      assert.deepEqual(
        conditions.find((c: any) => c.type === "environment"),
        { type: "environment", op: "eq", value: "production" },
        "previews untouched",
      );
      assert.deepEqual(
        conditions.find((c: any) => c.type === "path"),
        { type: "path", op: "pre", value: "/.well-known/", neg: true },
      );
      const header = conditions.find((c: any) => c.type === "header");
      assert.deepEqual([header.key, header.op, header.neg], ["x-launch-ready-origin", "eq", true]);
      assert.equal(example.domainMap.edge.originLock?.on, true);
    });

    it("the header value and the firewall's expected value are the same secret", async () => {
      const p = await planStack("prod", { stackFile: { config: shippedConfig("prod") }, computed: { [PASSWORD]: { result: "s3cr3t-for-this-test" } } });
      const rule = opened(lockOf(p).find((r) => r.type === T.ruleset)!).rules[0];
      const deny = opened(lockOf(p).find((r) => r.type === FIREWALL)!).rules.rules[0];
      assert.equal(rule.actionParameters.headers["x-launch-ready-origin"].value, "s3cr3t-for-this-test");
      assert.equal(deny.conditionGroups[0].conditions.find((c: any) => c.type === "header").value, "s3cr3t-for-this-test");
    });

    it("on ledgerly.io, locks the Vercel hosts www and app, and conformance accepts every new resource", () => {
      const rule = opened(lockOf(ledgerly).find((r) => r.type === T.ruleset)!).rules[0];
      assert.ok(matches(rule.expression, { host: "www.ledgerly.io", path: "/" }));
      assert.ok(matches(rule.expression, { host: "app.ledgerly.io", path: "/" }));
      assert.ok(!matches(rule.expression, { host: "docs.ledgerly.io", path: "/" }), "GitBook's host is not Vercel's");
      assert.deepEqual(conformanceFindings(ledgerly), []);
      assert.deepEqual(conformanceFindings(example), []);
    });

    it("conformance refuses a firewall operator and a header operation the providers do not have, with their sources", () => {
      const broken = example.resources.map((r) =>
        r.name.startsWith("launch-ready-origin-lock-") && r.custom
          ? { ...r, props: JSON.parse(JSON.stringify(r.props).replace('"op":"pre"', '"op":"prefix"').replace('"operation":"set"', '"operation":"replace"')) }
          : r,
      );
      const findings = conformanceFindings(example, broken).map((f) => `${f.property} ${f.given} | ${f.source}`);
      assert.ok(
        findings.some((f) =>
          /^rules\.rules\[0\]\.conditionGroups\[0\]\.conditions\[1\]\.op \[secret\] \| .*vercel\/resource_firewall_config\.go @v5\.4\.1/.test(f),
        ),
        findings.join("\n"),
      );
      assert.ok(
        findings.some((f) => /^rules\[0\]\.actionParameters\.headers\.x-launch-ready-origin\.operation \[secret\] \| .*ruleset\/schema\.go/.test(f)),
        findings.join("\n"),
      );
    });

    it("policy messages scrub the generated secret but keep the host names and words the same secret rule list holds", async () => {
      const p = await planStack("prod", { stackFile: { config: shippedConfig("prod") }, computed: { [PASSWORD]: { result: "Zq8WkT3vLm9XrP2sN7bYc4Hd" } } });
      const scrub = secretScrubber(p.resources);
      assert.equal(scrub("header Zq8WkT3vLm9XrP2sN7bYc4Hd on app.acmechat.dev"), "header [secret] on app.acmechat.dev");
      assert.equal(scrub("add a limit with paths [/api/chat] for production"), "add a limit with paths [/api/chat] for production");
    });

    it("edge.originLock false: nothing declared, and the plan, domain map and handover name the walk-around", async () => {
      const p = await planExampleWith((c) => (c["launch-ready:edge"].originLock = false));
      assert.deepEqual(lockOf(p), []);
      assert.match(p.domainMap.edge.originLock?.bypass ?? "", /\*\.vercel\.app/);
      assert.match(p.domainMap.notes.map((n) => n.text).join("\n"), /Origin lock off \(edge\.originLock false\)/);
      assert.match(renderHandover(p.domainMap, { project: p.project }), /Origin lock is off \(`edge\.originLock` false\)/);
      const settings = settingsOf(p);
      assert.equal(settings.email_obfuscation, "off", "the HTML settings do not depend on the lock");
    });

    it("one Vercel host: the header rule matches that host alone", async () => {
      const p = await planExampleWith((c) => {
        c["launch-ready:subdomains"] = c["launch-ready:subdomains"].filter((s: { target: unknown }) => s.target !== "vercel");
        c["launch-ready:site"].redirectTwin = false;
      });
      const rule = opened(lockOf(p).find((r) => r.type === T.ruleset)!).rules[0];
      assert.equal(rule.expression, 'http.host eq "acmechat.dev"');
      assert.deepEqual(p.domainMap.edge.originLock?.hosts, ["acmechat.dev"]);
    });

    it("a production stack that does not own the zone's rulesets declares no lock and says why", async () => {
      const p = await planExampleWith((c) => {
        c["launch-ready:zone"].manageZoneSettings = false;
        c["launch-ready:site"].redirectTwin = false;
      });
      assert.deepEqual(lockOf(p), []);
      assert.match(
        p.domainMap.notes.map((n) => n.text).join("\n"),
        /Origin lock: not declared here, since the zone's rulesets belong to the stack that manages acmechat\.dev/,
      );
    });

    it("staging (the zone belongs to prod, off by default there) declares no lock", async () => {
      const staging = await planStack("staging", { stackFile: { config: shippedConfig("staging") } });
      assert.deepEqual(lockOf(staging), []);
      assert.equal(staging.domainMap.edge.originLock?.on, false);
    });
  });
});
