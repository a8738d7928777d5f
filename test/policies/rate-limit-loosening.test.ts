/**
 * Issue 21, finding 6: where the zone's plan has fewer rate-limit rules than configured limits,
 * login and signup keep their configured rate and action, and a route loosened more than 2x is
 * an advisory violation (ratelimit-not-loosened) naming the route, both rates and the upgrade.
 */
import { strict as assert } from "assert";
import type { RateLimitConfig } from "../../lib/config/schema";
import { rateLimitRules } from "../../lib/edge/rules";
import type { Tier } from "../../lib/edge/tiers";
import type { OfflinePlan } from "../../tools/offline/plan";
import { planExample } from "../helpers/stack-config";
import { evaluatePolicies, hasMandatoryViolation } from "../../tools/policy/offline";
import { parseConfiguredRates } from "../../policies/shared/rate-limits";
import { ruleset } from "../fixtures/policies/stacks";
import { expectNotApplicable, expectPass, expectViolation } from "./helpers";

const POLICY = "ratelimit-not-loosened";

/** Another product than the example: an API-first assistant with its own route names. */
const OPSGPT: RateLimitConfig[] = [
  { name: "signin", paths: ["/v1/session"], requests: 10, periodSeconds: 60, action: "managed_challenge" },
  { name: "register", paths: ["/v1/accounts"], requests: 4, periodSeconds: 60, action: "block" },
  { name: "completions", paths: ["/v1/completions"], requests: 30, periodSeconds: 60, action: "block" },
  { name: "hooks", paths: ["/v1/hooks/"], requests: 300, periodSeconds: 60, action: "block" },
  { name: "uploads", paths: ["/v1/files"], requests: 12, periodSeconds: 60, action: "block" },
  { name: "search", paths: ["/v1/search"], requests: 60, periodSeconds: 60, action: "block" },
];

const stackOn = (limits: RateLimitConfig[], plan: Tier) => [
  ruleset(
    "http_ratelimit",
    rateLimitRules(limits, plan).rules.map((r) => ({ ...r.rule }) as Record<string, unknown>),
  ),
];
const perMinute = (r: { requests: number; periodSeconds: number }) => (r.requests * 60) / r.periodSeconds;
const ruleOf = (limits: RateLimitConfig[], plan: Tier, name: string) => rateLimitRules(limits, plan).rules.find((r) => r.name.split("+").includes(name))!;

describe("rate limits on every plan (issue 21, finding 6)", () => {
  describe("the example stack (acmechat.dev, Free)", () => {
    let prod: OfflinePlan;
    before(async () => {
      prod = await planExample("prod");
    });
    const rules = () => prod.resources.find((r) => r.type === "cloudflare:index/ruleset:Ruleset" && r.props.phase === "http_ratelimit")!.props.rules as any[];

    it("keeps login at its configured rate and challenge on the one Free rule (it was 16/10s, 96/min, block)", () => {
      assert.equal(rules().length, 1);
      const [rule] = rules();
      assert.deepEqual([rule.ratelimit.requestsPerPeriod, rule.ratelimit.period], [1, 10], "5/60s and 3/60s both become 1/10s on Free");
      assert.equal(rule.action, "managed_challenge", "login asked for a challenge");
      // The one rule is login's and signup's; chat and webhooks are not squeezed into it (a challenge on a chat fetch() or a
      // webhook sender cannot be solved): the rule's description names them as not limited, with the plan that limits them.
      for (const path of ["/api/auth/signin", "/signup"]) assert.ok(rule.expression.includes(path), path);
      for (const path of ["/api/chat", "/api/webhooks/"]) assert.ok(!rule.expression.includes(path), path);
      assert.deepEqual(
        parseConfiguredRates(rule.description).map(
          (r) => `${r.name} ${r.requests}/${r.periodSeconds}s${r.unlimitedPaths ? ` unlimited ${r.unlimitedPaths}` : ""} ${r.keptOn ?? ""}`,
        ),
        ["login 5/60s ", "signup 3/60s ", "chat 20/60s unlimited /api/chat Business", "webhooks 100/60s unlimited /api/webhooks/ Pro"],
      );
    });

    it("reports chat and webhooks as not limited (advisory) with the upgrade, and the mandatory bar still holds", async () => {
      const v = await expectViolation(
        POLICY,
        prod.resources,
        /route chat \(\/api\/chat\) is configured at 20 requests \/ 60s per IP but has no rate limit: .*the Business plan gives it a rule of its own\./,
      );
      const messages = v.violations.map((x) => x.message);
      assert.equal(messages.length, 2, messages.join("\n"));
      assert.match(
        messages[1],
        /route webhooks \(\/api\/webhooks\/\) is configured at 100 requests \/ 60s per IP but has no rate limit: .*the Pro plan gives it a rule of its own\./,
      );
      assert.equal(hasMandatoryViolation(await evaluatePolicies(prod.resources)), false);
    });
  });

  describe("the allocation", () => {
    it("Free, another product: the credential routes keep the rule; the rest are not limited, and the note says so", () => {
      const { rules, notes } = rateLimitRules(OPSGPT, "free");
      assert.equal(rules.length, 1);
      // register 4/60s is the strictest credential route: 4*10/60 rounds down to 0, and a rule needs at least 1.
      assert.deepEqual([rules[0].requests, rules[0].periodSeconds, rules[0].action], [1, 10, "managed_challenge"]);
      assert.match(
        notes.join("\n"),
        /register, signin keep their rate, sharing one counter at the strictest of them \(1 requests \/ 10s\), and one action: managed_challenge \(register's block becomes managed_challenge\); uploads, completions, search, hooks have no rule left and are not rate limited/,
      );
    });

    it("Pro, another product: signin and register share a counter at the strictest; the others share at the loosest; no credential route loosened", () => {
      const { rules, notes } = rateLimitRules(OPSGPT, "pro");
      assert.deepEqual(
        rules.map((r) => [r.name, r.requests, r.periodSeconds, r.action]),
        [
          ["register+signin", 4, 60, "managed_challenge"],
          ["uploads+completions+search+hooks", 300, 60, "block"],
        ],
      );
      assert.match(notes.join("\n"), /uploads, completions, search, hooks share one counter at the loosest of their rates \(300 requests \/ 60s\)/);
      for (const name of ["signin", "register"]) assert.ok(perMinute(ruleOf(OPSGPT, "pro", name)) <= perMinute(OPSGPT.find((l) => l.name === name)!));
    });

    it("Business, another product: five rules for six limits; each other limit keeps its own where it can", () => {
      const { rules } = rateLimitRules(OPSGPT, "business");
      assert.deepEqual(
        rules.map((r) => r.name),
        ["register+signin", "uploads", "completions", "search", "hooks"],
      );
      assert.ok(rules.every((r) => r.action === (r.name === "register+signin" ? "managed_challenge" : "block")));
    });

    it("one rule has one action: login configured to block and signup to challenge share a challenge, and the note says so", () => {
      const limits: RateLimitConfig[] = [
        { name: "login", paths: ["/login"], requests: 5, periodSeconds: 60, action: "block" },
        { name: "signup", paths: ["/signup"], requests: 3, periodSeconds: 60, action: "managed_challenge" },
      ];
      const { rules, notes } = rateLimitRules(limits, "free");
      assert.deepEqual(
        rules.map((r) => [r.name, r.action]),
        [["login+signup", "managed_challenge"]],
      );
      assert.match(notes.join("\n"), /and one action: managed_challenge \(login's block becomes managed_challenge\)/);
    });

    it("names a route the plan cannot limit by its paths, whatever characters a URL path allows", () => {
      const limits: RateLimitConfig[] = [
        { name: "login", paths: ["/login"], requests: 5, periodSeconds: 60, action: "managed_challenge" },
        { name: "chat", paths: ["/api/(chat),", "/v1;stream"], requests: 20, periodSeconds: 60, action: "block" },
      ];
      const [rule] = rateLimitRules(limits, "free").rules;
      assert.deepEqual(
        parseConfiguredRates(rule.rule.description).map((r) => [r.name, r.unlimitedPaths ?? null, r.keptOn ?? null]),
        [
          ["login", null, null],
          ["chat", ["/api/(chat),", "/v1;stream"], "Pro"],
        ],
      );
    });

    it("a credential route that can have its own rule keeps it: Business with the example's four limits", () => {
      const limits = OPSGPT.slice(0, 4);
      assert.deepEqual(
        rateLimitRules(limits, "business").rules.map((r) => [r.name, r.rule.description]),
        [
          ["register", "Rate limit register: 4 requests / 60s per IP"],
          ["signin", "Rate limit signin: 10 requests / 60s per IP"],
          ["completions", "Rate limit completions: 30 requests / 60s per IP"],
          ["hooks", "Rate limit hooks: 300 requests / 60s per IP"],
        ],
        "no shared rule, no annotation",
      );
    });
  });

  describe(POLICY, () => {
    it("reports each route loosened more than 2x on Pro, with both rates and the plan that fixes it", async () => {
      const v = await expectViolation(
        POLICY,
        stackOn(OPSGPT, "pro"),
        /route completions \(rule ratelimit_uploads_completions_search_hooks\) is configured at 30 requests \/ 60s per IP but limited at 300 \/ 60s, i\.e\. 300 \/ 60s \(10\.0x looser\): the Business plan gives it back its own rate/,
      );
      const routes = v.violations.map((x) => /^route (\S+)/.exec(x.message)![1]).sort();
      // search (60/min) is 5x looser too; hooks is the rate the rule counts at; signin and register are never looser.
      assert.deepEqual(routes, ["completions", "search", "uploads"]);
    });

    it("passes on Business, where only signin shares a counter, at the stricter rate of register", async () => {
      await expectPass(POLICY, stackOn(OPSGPT, "business"));
    });

    it("a Free stack whose login is stricter than Free's 10 s period can express is reported, naming Pro", async () => {
      const strict: RateLimitConfig[] = [{ name: "login", paths: ["/login"], requests: 2, periodSeconds: 60, action: "managed_challenge" }];
      await expectViolation(
        POLICY,
        stackOn(strict, "free"),
        /route login .* configured at 2 requests \/ 60s per IP but limited at 1 \/ 10s, i\.e\. 6 \/ 60s \(3\.0x looser\): the Pro plan/,
      );
      // On Pro it has its own rule at 2/60s: nothing to note, nothing to judge.
      await expectNotApplicable(POLICY, stackOn(strict, "pro"), /no rate-limit rule carries configured rates/);
    });

    it("does not judge a rule without configured rates (a hand-written stack), nor another phase", async () => {
      const plain = ruleset("http_ratelimit", [
        {
          ref: "a",
          description: "login",
          expression: '(http.request.uri.path eq "/login")',
          action: "block",
          enabled: true,
          ratelimit: { characteristics: ["ip.src", "cf.colo.id"], period: 10, requestsPerPeriod: 100 },
        },
      ]);
      await expectNotApplicable(POLICY, [plain], /no rate-limit rule carries configured rates/);
      await expectNotApplicable(POLICY, [ruleset("http_request_cache_settings", [])], /not a rate-limit ruleset/);
    });
  });
});
