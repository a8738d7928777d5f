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
});
