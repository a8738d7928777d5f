import * as assert from "assert";
import { BYPASS_RULE, CACHE_STATIC_RULE, goodStack, res, ruleset, T, ZONE_ID } from "../fixtures/policies/stacks";
import { expressionLiteralPolarity } from "../../policies/rules/expressions";
import { expectNotApplicable, expectPass, expectViolation, patch, without } from "./helpers";

const cacheRule = (expression: string, actionParameters: Record<string, unknown>, description = "rule under test") => ({
  ref: "r",
  description,
  expression,
  action: "set_cache_settings",
  actionParameters,
  enabled: true,
});

describe("policies: edge rules", () => {
  describe("cache-no-sensitive-paths", () => {
    it("passes static caching that excludes /api, followed by a bypass rule", async () => {
      await expectPass("cache-no-sensitive-paths", [ruleset("http_request_cache_settings", [CACHE_STATIC_RULE, BYPASS_RULE])]);
    });
    it("reports a rule that caches /api", async () => {
      const rs = ruleset("http_request_cache_settings", [cacheRule('(starts_with(http.request.uri.path, "/api/"))', { cache: true })]);
      await expectViolation("cache-no-sensitive-paths", [rs], /rule "rule under test" caches \/api: set cache: false/);
    });
    it("reports caching of login and webhook paths listed in a set", async () => {
      const rs = ruleset("http_request_cache_settings", [cacheRule('(http.request.uri.path in {"/login" "/webhooks/stripe"})', { cache: true })]);
      await expectViolation("cache-no-sensitive-paths", [rs], /caches \/login, \/webhooks/);
    });
    it("reports a rule that ignores the origin's Cache-Control on /admin", async () => {
      const rs = ruleset("http_request_cache_settings", [cacheRule('(starts_with(http.request.uri.path, "/admin"))', { originCacheControl: false })]);
      await expectViolation("cache-no-sensitive-paths", [rs], /overrides the origin's Cache-Control \(originCacheControl: false\) on \/admin/);
    });
    it("reports a bypass rule that matches header names case-sensitively, and passes the lower() form", async () => {
      const caseSensitive = cacheRule('(any(http.request.headers.names[*] eq "authorization"))', { cache: false }, "bypass credentials");
      await expectViolation(
        "cache-no-sensitive-paths",
        [ruleset("http_request_cache_settings", [CACHE_STATIC_RULE, caseSensitive])],
        /rule "bypass credentials" compares header names case-sensitively/,
      );
      const lowered = cacheRule('(any(lower(http.request.headers.names[*])[*] eq "authorization"))', { cache: false }, "bypass credentials");
      await expectPass("cache-no-sensitive-paths", [ruleset("http_request_cache_settings", [CACHE_STATIC_RULE, BYPASS_RULE, lowered])]);
    });
    it("reports a cache-everything rule with no later bypass, and passes it with one", async () => {
      const everything = cacheRule('(http.host eq "example.com")', { cache: true, edgeTtl: { mode: "override_origin", default: 3600 } });
      await expectViolation(
        "cache-no-sensitive-paths",
        [ruleset("http_request_cache_settings", [everything])],
        /caches every path .* including \/api and \/auth/,
      );
      await expectPass("cache-no-sensitive-paths", [ruleset("http_request_cache_settings", [everything, BYPASS_RULE])]);
    });
    it("does not mistake a host name or a negated path for a cached path", async () => {
      const rs = ruleset("http_request_cache_settings", [
        cacheRule('(http.host eq "api.example.com" and starts_with(http.request.uri.path, "/static/"))', { cache: true }),
        cacheRule('(starts_with(http.request.uri.path, "/assets/") and http.request.uri.path ne "/api/x")', { cache: true }),
      ]);
      await expectPass("cache-no-sensitive-paths", [rs]);
    });
    it("judges a hand-written page rule with cache_everything on /api", async () => {
      const pr = res("cloudflare:index/pageRule:PageRule", "api-cache", {
        zoneId: ZONE_ID,
        target: "example.com/api/*",
        actions: { cacheLevel: "cache_everything" },
      });
      await expectViolation("cache-no-sensitive-paths", [pr], /page rule example.com\/api\/\* sets cache_everything on \/api/);
    });
    it("reads negation scopes in expressions", () => {
      const lits = expressionLiteralPolarity(
        '(starts_with(http.request.uri.path, "/a/") and not (starts_with(http.request.uri.path, "/api/") or http.request.uri.path in {"/login"})) or not starts_with(http.request.uri.path, "/b")',
      );
      assert.deepStrictEqual(lits, [
        { text: "/a/", negated: false },
        { text: "/api/", negated: true },
        { text: "/login", negated: true },
        { text: "/b", negated: true },
      ]);
    });
  });

  describe("ratelimit-ruleset-effective", () => {
    it("passes the good stack's rate-limit ruleset", async () => {
      await expectPass("ratelimit-ruleset-effective", goodStack());
    });
    it("reports an empty ratelimit phase", async () => {
      await expectViolation("ratelimit-ruleset-effective", [ruleset("http_ratelimit", [])], /http_ratelimit ruleset has no enabled rules/);
    });
    it("reports a log-only rule and a rule without a positive limit", async () => {
      const rs = ruleset("http_ratelimit", [
        {
          ref: "a",
          description: "log only",
          expression: "true",
          action: "log",
          ratelimit: { characteristics: ["ip.src", "cf.colo.id"], period: 10, requestsPerPeriod: 10 },
        },
        { ref: "b", description: "zero", expression: "true", action: "block", ratelimit: { characteristics: [], period: 10, requestsPerPeriod: 0 } },
      ]);
      const v = await expectViolation("ratelimit-ruleset-effective", [rs], /rule "log only" has action "log", which does not limit traffic/);
      const msgs = v.violations.map((x) => x.message).join("\n");
      assert.match(msgs, /rule "zero" has requestsPerPeriod 0: it must be positive/);
      assert.match(msgs, /rule "zero" has no characteristics/);
    });
  });

  describe("ratelimit-for-sensitive-routes", () => {
    it("passes when every login/chat/webhook route is rate limited", async () => {
      await expectPass("ratelimit-for-sensitive-routes", goodStack());
    });
    it("reports chat/login routes with no ratelimit ruleset", async () => {
      const stack = without(goodStack(), (r) => r.name === "http_ratelimit");
      await expectViolation("ratelimit-for-sensitive-routes", stack, /declares sensitive routes .*\/webhooks\/.* but no enabled http_ratelimit rule/);
    });
    it("reports a route the rate-limit rules do not name (route given in policy config)", async () => {
      await expectViolation(
        "ratelimit-for-sensitive-routes",
        goodStack(),
        /route \/api\/signup \(from policy config\) is not covered by any rate-limit rule: add a limit with paths \[\/api\/signup\] to Launch Ready config edge\.rateLimits \(a hand-written stack: a rate-limit rule whose expression names "\/signup"\)/,
        {
          routes: ["/api/signup"],
        },
      );
    });
    it("judges the routes a stack declares, never a never-cache list (Launch Ready's default one lists /signup for every app)", async () => {
      // The cache bypass carries Launch Ready's default private paths, /signup among them; the app has no signup route.
      const bypassSignup = patch(goodStack(), "http_request_cache_settings", (p) => {
        p.rules[1].expression =
          '(starts_with(http.request.uri.path, "/api/") or http.request.uri.path eq "/signup" or starts_with(http.request.uri.path, "/webhooks/"))';
      });
      await expectPass("ratelimit-for-sensitive-routes", bypassSignup);
      // A hand-written stack whose cache rules do name its routes can say so.
      await expectViolation("ratelimit-for-sensitive-routes", bypassSignup, /route \/signup \(from rule "Never cache API, auth, admin, webhooks"/, {
        precautionaryPhases: [],
      });
    });
    it("names the config key that adds a limit, with the route's prefix, when a declared route has none", async () => {
      const stack = patch(goodStack(), "app", (p) => (p.resourcePath = "/api/chat/health"));
      const uncovered = patch(stack, "http_ratelimit", (p) => (p.rules[0].expression = '(http.request.uri.path in {"/login"})'));
      await expectViolation(
        "ratelimit-for-sensitive-routes",
        uncovered,
        /route \/api\/chat\/health \(from health check app\) is not covered by any rate-limit rule: add a limit with paths \[\/api\/chat\] to Launch Ready config edge\.rateLimits/,
      );
      await expectViolation(
        "ratelimit-for-sensitive-routes",
        without(stack, (r) => r.name === "http_ratelimit"),
        /but no enabled http_ratelimit rule: add one limit per route in Launch Ready config edge\.rateLimits \(e.g. \{ name: login/,
      );
    });
    it("reads routes from health checks' paths", async () => {
      const stack = patch(
        without(goodStack(), (r) => r.name === "http_ratelimit"),
        "app",
        (p) => (p.resourcePath = "/chat"),
      );
      await expectViolation("ratelimit-for-sensitive-routes", stack, /\/chat \(health check app\)/);
    });
    it("does not judge a stack without zone-level config (rules live in the zone owner's stack)", async () => {
      const stack = goodStack("staging").filter((r) => r.type !== T.zoneSetting && r.type !== T.ruleset && r.type !== T.botManagement);
      await expectNotApplicable("ratelimit-for-sensitive-routes", stack, /no zone-level/);
    });
  });

  describe("ddos-protection-not-disabled", () => {
    const ddos = (overrides: Record<string, unknown>) =>
      ruleset("http_ddos_l7", [
        {
          ref: "d",
          description: "DDoS override",
          expression: "true",
          action: "execute",
          actionParameters: { id: "4d21379b4f9f4bb088e0729962c8b3cf", overrides },
          enabled: true,
        },
      ]);
    it("passes a lowered sensitivity", async () => {
      await expectPass("ddos-protection-not-disabled", [ddos({ sensitivityLevel: "low" })]);
    });
    it("reports enabled: false and sensitivity eoff", async () => {
      await expectViolation("ddos-protection-not-disabled", [ddos({ enabled: false })], /disables DDoS protection \(overrides.enabled = false\)/);
      await expectViolation(
        "ddos-protection-not-disabled",
        [ddos({ rules: [{ id: "abc", sensitivityLevel: "eoff" }] })],
        /overrides.rules\[abc\].sensitivityLevel = "eoff"/,
      );
    });
  });

  describe("waf-managed-rules-not-disabled", () => {
    const managed = (extra: Record<string, unknown>) =>
      ruleset("http_request_firewall_managed", [
        {
          ref: "m",
          description: "Cloudflare Managed Ruleset",
          expression: "true",
          action: "execute",
          actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee", ...extra },
          enabled: true,
        },
      ]);
    it("passes the managed ruleset and a narrow skip", async () => {
      await expectPass("waf-managed-rules-not-disabled", [managed({})]);
      await expectPass("waf-managed-rules-not-disabled", [
        ruleset("http_request_firewall_custom", [
          {
            ref: "s",
            description: "skip for stripe",
            expression: '(http.request.uri.path eq "/webhooks/stripe")',
            action: "skip",
            actionParameters: { phases: ["http_request_firewall_managed"] },
            enabled: true,
          },
        ]),
      ]);
    });
    it("reports a managed ruleset set to log only and a skip for all traffic", async () => {
      await expectViolation("waf-managed-rules-not-disabled", [managed({ overrides: { action: "log" } })], /switched off by overrides.action = "log"/);
      await expectViolation(
        "waf-managed-rules-not-disabled",
        [
          ruleset("http_request_firewall_custom", [
            {
              ref: "s",
              description: "skip all",
              expression: "true",
              action: "skip",
              actionParameters: { phases: ["http_request_firewall_managed"] },
              enabled: true,
            },
          ]),
        ],
        /rule "skip all" skips http_request_firewall_managed for all traffic/,
      );
    });
  });

  describe("waf-managed-ruleset-deployed (advisory)", () => {
    it("passes when the managed ruleset is executed", async () => {
      await expectPass("waf-managed-ruleset-deployed", goodStack());
    });
    it("recommends it when missing", async () => {
      const v = await expectViolation(
        "waf-managed-ruleset-deployed",
        without(goodStack(), (r) => r.name === "http_request_firewall_managed"),
        /no managed WAF ruleset is deployed/,
      );
      assert.strictEqual(v.enforcementLevel, "advisory");
    });
  });

  describe("bot-fight-mode (advisory)", () => {
    it("passes fight mode on", async () => {
      await expectPass("bot-fight-mode", [res(T.botManagement, "bots", { zoneId: ZONE_ID, fightMode: true, enableJs: true })]);
    });
    it("recommends turning it on", async () => {
      await expectViolation("bot-fight-mode", [res(T.botManagement, "bots", { zoneId: ZONE_ID, fightMode: false, enableJs: true })], /Bot Fight Mode is off/);
    });
    it("reports a managed zone serving web traffic with no bot protection resource at all", async () => {
      const v = await expectViolation(
        "bot-fight-mode",
        without(goodStack(), (r) => r.type === T.botManagement),
        /^zone 023e105f4ecef8ad9ca31a8372d0c353 serves web traffic through Cloudflare with no bot protection declared/,
      );
      assert.equal(v.violations.length, 1, "one report per zone");
    });
    it("leaves a stack that only adds records to another stack's zone alone", async () => {
      await expectNotApplicable(
        "bot-fight-mode",
        goodStack().filter((r) => r.type === T.dnsRecord),
      );
    });
  });

  describe("ssl-expiry-notifications (advisory)", () => {
    it("passes with a certificate notification policy", async () => {
      await expectPass("ssl-expiry-notifications", goodStack());
    });
    it("recommends one when missing", async () => {
      await expectViolation(
        "ssl-expiry-notifications",
        without(goodStack(), (r) => r.type === T.notificationPolicy),
        /no enabled certificate notification policy/,
      );
    });
    it("wants it filtered to the stack's zone, not every zone of the account", async () => {
      const unfiltered = goodStack().map((r) => (r.type === T.notificationPolicy ? { ...r, props: { ...r.props, filters: undefined } } : r));
      await expectViolation("ssl-expiry-notifications", unfiltered, /not filtered to this stack's zone \(.*\): set filters.zones/);
      const otherZone = goodStack().map((r) =>
        r.type === T.notificationPolicy ? { ...r, props: { ...r.props, filters: { zones: ["ffffffffffffffffffffffffffffffff"] } } } : r,
      );
      await expectViolation("ssl-expiry-notifications", otherZone, /not filtered to this stack's zone/);
    });
  });
});
