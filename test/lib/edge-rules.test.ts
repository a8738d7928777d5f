import { strict as assert } from "assert";
import { and, not, pathCondition, quote } from "../../lib/edge/expressions";
import { cacheRules, canonicalRedirectRule, managedRulesetRules, rateLimitRules, ruleCountProblem } from "../../lib/edge/rules";
import { edgeSchema } from "../../lib/config/schema";

describe("rule expressions", () => {
  it("matches a directory prefix, and an exact path with what lies below it", () => {
    assert.equal(pathCondition(["/api/"]), 'starts_with(http.request.uri.path, "/api/")');
    assert.equal(pathCondition(["/login"]), '(http.request.uri.path eq "/login" or starts_with(http.request.uri.path, "/login/"))');
  });

  it("quotes string literals and parenthesises or-terms inside and", () => {
    assert.equal(quote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(and("a or b", "c"), "(a or b) and c");
    assert.equal(and("(a or b)", "c"), "(a or b) and c");
    assert.equal(not("(a) or (b)"), "not ((a) or (b))");
  });
});

describe("edge rules", () => {
  it("redirects the twin host to the canonical origin in one 301, keeping path and query", () => {
    const rule = canonicalRedirectRule("www.example.com", "example.com");
    // https only: Single Redirects run before Always Use HTTPS, and http://www must reach https://www first.
    // Vercel's certificate challenges and /.well-known/vercel/ reach Vercel on the twin too (vercel.com/docs/security/reverse-proxy).
    assert.equal(
      rule.expression,
      '(http.host eq "www.example.com" and ssl and not starts_with(http.request.uri.path, "/.well-known/acme-challenge/") and not starts_with(http.request.uri.path, "/.well-known/vercel/"))',
    );
    assert.deepEqual(rule.actionParameters, {
      fromValue: { statusCode: 301, preserveQueryString: true, targetUrl: { expression: 'concat("https://example.com", http.request.uri.path)' } },
    });
  });

  it("caches static assets and bypasses private paths and Authorization last", () => {
    const rules = cacheRules(edgeSchema.parse({}).cache);
    assert.deepEqual(
      rules.map((r) => r.ref),
      ["cache_static_assets", "bypass_private_paths"],
    );
    // No explicit edge TTL by default: Cloudflare then never caches a response that sets a cookie.
    assert.deepEqual((rules[0].actionParameters as any).edgeTtl, { mode: "respect_origin" });
    assert.deepEqual((rules[0].actionParameters as any).browserTtl, { mode: "respect_origin" });
    assert.match(rules[0].expression, /not \(/);
    assert.deepEqual(rules[1].actionParameters, { cache: false });
    assert.match(rules[1].expression, /starts_with\(http\.request\.uri\.path, "\/api\/"\)/);
    // Header names keep the client's case: "Authorization" must match too.
    assert.ok(rules[1].expression.includes('any(lower(http.request.headers.names[*])[*] eq "authorization")'), rules[1].expression);
    assert.match(rules[1].expression, /starts_with\(http\.request\.uri\.path, "\/\.well-known\/"\)/, "certificate and domain verification are never cached");
  });

  it("an explicit edge TTL overrides the origin, and the plan says what that does to Set-Cookie responses", () => {
    const rules = cacheRules(edgeSchema.parse({ cache: { edgeTtlSeconds: 86400, browserTtlSeconds: 3600 } }).cache);
    assert.deepEqual((rules[0].actionParameters as any).edgeTtl, { mode: "override_origin", default: 86400 });
    assert.deepEqual((rules[0].actionParameters as any).browserTtl, { mode: "override_origin", default: 3600 });
  });

  const routes = [
    { name: "login", paths: ["/login"], requests: 5, periodSeconds: 60, action: "managed_challenge" as const },
    { name: "chat", paths: ["/api/chat"], requests: 20, periodSeconds: 60, action: "block" as const },
    { name: "webhooks", paths: ["/api/webhooks/"], requests: 100, periodSeconds: 60, action: "block" as const },
  ];

  it("fits rate limits to the Free plan: one rule, 10 s, IP and colo, at login's rate and action, and says so", () => {
    const { rules, notes } = rateLimitRules(routes, "free");
    assert.equal(rules.length, 1);
    assert.deepEqual(rules[0].rule.ratelimit, { characteristics: ["ip.src", "cf.colo.id"], period: 10, requestsPerPeriod: 1, mitigationTimeout: 10 });
    assert.equal(rules[0].rule.action, "managed_challenge", "login keeps its challenge");
    assert.match(notes.join("\n"), /5\/60s becomes 1\/10s/);
    assert.match(
      notes.join("\n"),
      /allows 1 rate-limit rule\(s\) for 3 configured limits: login keeps its rate.*chat, webhooks have no rule left and are not rate limited/,
    );
  });

  it("without credential routes, the routes left over still share one counter at the loosest of their rates", () => {
    const { rules, notes } = rateLimitRules(routes.slice(1), "free");
    assert.deepEqual(
      [rules.length, rules[0].rule.ratelimit!.requestsPerPeriod, rules[0].rule.action],
      [1, 16, "block"],
      "a webhook sender cannot solve a challenge",
    );
    assert.match(notes.join("\n"), /chat, webhooks share one counter at the loosest of their rates \(16 requests \/ 10s\), so chat is looser than configured/);
  });

  it("gives each route its own rule where the plan allows it", () => {
    const { rules, notes } = rateLimitRules(routes, "business");
    assert.deepEqual(
      rules.map((r) => [r.name, r.rule.ratelimit!.requestsPerPeriod, r.rule.ratelimit!.period]),
      [
        ["login", 5, 60],
        ["chat", 20, 60],
        ["webhooks", 100, 60],
      ],
    );
    assert.equal(rules[0].rule.action, "managed_challenge");
    assert.deepEqual(notes, []);
  });

  it("deploys the Cloudflare Managed Ruleset on Pro and up only", () => {
    assert.deepEqual(managedRulesetRules("free"), []);
    assert.equal(managedRulesetRules("pro")[0].actionParameters!.id, "efb7b8c949ac4650a09736fc376e9aee");
  });

  it("names the plan limit when a phase has too many rules", () => {
    assert.equal(ruleCountProblem("http_request_firewall_custom", 5, "free"), undefined);
    assert.match(ruleCountProblem("http_request_firewall_custom", 6, "free")!, /allows 5/);
  });
});

describe("bot protection per Cloudflare plan", () => {
  const { botManagementSettings } = require("../../lib/edge/rules") as typeof import("../../lib/edge/rules");
  const { runConformance } = require("../../lib/conformance") as typeof import("../../lib/conformance");
  const { res } = require("../fixtures/policies/stacks") as typeof import("../fixtures/policies/stacks");
  const zoneId = "0123456789abcdef0123456789abcdef";
  it("Free: Bot Fight Mode; Pro: Super Bot Fight Mode without likely-automated; Business and Enterprise: with it", () => {
    assert.deepEqual(botManagementSettings("free", true), { fightMode: true, enableJs: true, isRobotsTxtManaged: false });
    assert.deepEqual(botManagementSettings("pro", true), {
      fightMode: false,
      enableJs: true,
      isRobotsTxtManaged: false,
      sbfmDefinitelyAutomated: "managed_challenge",
      sbfmVerifiedBots: "allow",
      sbfmStaticResourceProtection: false,
    });
    assert.equal(botManagementSettings("business", true).sbfmLikelyAutomated, "managed_challenge");
    assert.equal(botManagementSettings("enterprise", false).sbfmDefinitelyAutomated, "allow");
  });
  it("declares isRobotsTxtManaged on every plan as configured, since the provider sends false whenever it is left out", () => {
    for (const tier of ["free", "pro", "business"] as const) {
      assert.equal(botManagementSettings(tier, true, true).isRobotsTxtManaged, true);
      assert.equal(botManagementSettings(tier, false).isRobotsTxtManaged, false);
    }
  });
  for (const tier of ["free", "pro", "business", "enterprise", "enterprise_arl"] as const) {
    it(`${tier}: the settings pass the plan-limit check`, () => {
      const bots = res("cloudflare:index/botManagement:BotManagement", "bots", { zoneId, ...botManagementSettings(tier, true) });
      assert.deepEqual(runConformance([bots], { defaultZoneTier: tier }).findings, []);
    });
  }
});
