import * as assert from "assert";
import { REDIRECT_RULE, badStack, envVar, goodStack, record, res, ruleset, T } from "../fixtures/policies/stacks";
import { evaluatePolicies, formatVerdicts, hasMandatoryViolation, validatePolicyConfig } from "../../tools/policy/offline";
import { allPolicies } from "../../policies/rules";
import { isNonProductionHost, isProductionStack, DEFAULT_PRODUCTION_PATTERN, DEFAULT_PRODUCTION_STACKS } from "../../policies/rules/stack";
import { expectNotApplicable, expectPass, expectViolation, patch, without } from "./helpers";

const redirectTo = (target: string, statusCode = 301) =>
  patch(goodStack(), "http_request_dynamic_redirect", (p) => {
    p.rules[0].actionParameters.fromValue.targetUrl.expression = `concat("${target}", http.request.uri.path)`;
    p.rules[0].actionParameters.fromValue.statusCode = statusCode;
  });

describe("policies: stack", () => {
  describe("canonical-redirect", () => {
    it("passes www -> https://apex with 301", async () => {
      await expectPass("canonical-redirect", goodStack());
    });
    it("reports apex and www both served with no redirect", async () => {
      await expectViolation(
        "canonical-redirect",
        without(goodStack(), (r) => r.name === "http_request_dynamic_redirect"),
        /both example.com and www.example.com are served but neither redirects/,
      );
    });
    it("reports an http:// target, a temporary status and a target that is not the canonical host", async () => {
      await expectViolation("canonical-redirect", redirectTo("http://example.com"), /redirects to http:\/\/example.com: redirect to https:\/\//);
      await expectViolation("canonical-redirect", redirectTo("https://example.com", 302), /uses status 302: a canonical redirect is permanent/);
      await expectViolation("canonical-redirect", redirectTo("https://www.example.com"), /redirects to www.example.com, which itself redirects/);
      await expectViolation("canonical-redirect", goodStack(), /not the canonical host app.example.com/, { canonicalHost: "app.example.com" });
    });
    it("judges the chain as verify does: a rule that also answers http:// skips https on the twin", async () => {
      // Single Redirects run before Always Use HTTPS: without `and ssl`, http://www goes straight to the apex.
      const both = goodStack().map((r) =>
        r.name === "http_request_dynamic_redirect"
          ? {
              ...r,
              props: { ...r.props, rules: (r.props.rules as Record<string, unknown>[]).map((x) => ({ ...x, expression: '(http.host eq "www.example.com")' })) },
            }
          : r,
      );
      await expectViolation(
        "canonical-redirect",
        both,
        /http:\/\/www.example.com: skips https on www.example.com.*Single Redirects run before Always Use HTTPS/,
      );
      // With Always Use HTTPS off the https-only rule leaves http://www unanswered.
      const noAuh = goodStack().map((r) =>
        r.type === T.zoneSetting && r.props.settingId === "always_use_https" ? { ...r, props: { ...r.props, value: "off" } } : r,
      );
      await expectViolation("canonical-redirect", noAuh, /http:\/\/www.example.com: stops at|http:\/\/www.example.com: does not redirect/);
    });
  });

  describe("no-staging-hosts-in-production", () => {
    it("passes a production stack on a .dev domain (the TLD is not a signal)", async () => {
      await expectPass("no-staging-hosts-in-production", [
        record("acmechat.dev", "A", "76.76.21.21", { proxied: true }),
        record("www.acmechat.dev", "CNAME", "acmechat.dev", { proxied: true }),
      ]);
    });
    it("reports staging records, Vercel domains and production env vars pointing at staging", async () => {
      const stack = [
        ...goodStack(),
        record("staging.example.com", "CNAME", "cname.vercel-dns.com", { proxied: true }),
        res(T.vercelDomain, "d", { projectId: "p", domain: "preview.example.com" }),
        envVar("NEXT_PUBLIC_API_URL", "https://api-staging.example.com/v1", ["production"], false),
      ];
      const v = await expectViolation(
        "no-staging-hosts-in-production",
        stack,
        /stack "prod" is production but declares record staging.example.com: move it to the staging stack/,
      );
      const msgs = v.violations.map((x) => x.message).join("\n");
      assert.match(msgs, /Vercel domain preview.example.com/);
      assert.match(msgs, /production env var NEXT_PUBLIC_API_URL points at a non-production host/);
    });
    it("does not apply to a staging stack; production stack names are configurable", async () => {
      await expectNotApplicable(
        "no-staging-hosts-in-production",
        [record("staging.example.com", "CNAME", "x.vercel-dns.com", {}, { stack: "staging" })],
        /not a production stack/,
      );
      await expectViolation(
        "no-staging-hosts-in-production",
        [record("staging.example.com", "CNAME", "x.vercel-dns.com", {}, { stack: "live" })],
        /stack "live" is production/,
        { productionStacks: ["live"] },
      );
    });
    it("recognises production stack names", () => {
      const cfg = { productionStacks: DEFAULT_PRODUCTION_STACKS, productionStackPattern: DEFAULT_PRODUCTION_PATTERN };
      assert.deepStrictEqual(
        ["prod", "production", "acme-prod", "prod-eu", "preprod", "staging", "dev"].map((s) => isProductionStack(s, cfg)),
        [true, true, true, true, false, false, false],
      );
      // Only the labels below the zone count: the zone's own name (acme-staging.com, acmechat.dev) is not one the stack chose.
      assert.deepStrictEqual(
        ["acmechat.dev", "staging.acmechat.dev", "app-dev.example.com", "developer.example.com", "api.acme-staging.com", "acme-staging.com"].map((h) =>
          isNonProductionHost(h),
        ),
        [false, true, true, false, false, false],
      );
      // A third party's name is never judged for labels, whatever it contains; the same labels in the stack's zone are.
      assert.strictEqual(isNonProductionHost("fm1.opsgpt.dev.dkim.fmhosted.com", ["opsgpt.dev"]), false);
      assert.strictEqual(isNonProductionHost("preview.opsgpt.dev", ["opsgpt.dev"]), true);
      assert.strictEqual(isNonProductionHost("fm1._domainkey.staging.opsgpt.dev", ["opsgpt.dev"]), true);
    });
    it("judges only names in the stack's own zone: a Fastmail DKIM target on opsgpt.dev passes, a CNAME to staging.opsgpt.dev does not", async () => {
      // opsgpt.dev on Fastmail: DKIM is a CNAME into Fastmail's zone, whose name repeats the customer's domain (and its "dev").
      const fastmail = [1, 2, 3].map((n) => record(`fm${n}._domainkey.opsgpt.dev`, "CNAME", `fm${n}.opsgpt.dev.dkim.fmhosted.com`));
      const opsgpt = [
        record("opsgpt.dev", "A", "76.76.21.21", { proxied: true }),
        record("www.opsgpt.dev", "CNAME", "cname.vercel-dns.com", { proxied: true }),
        record("opsgpt.dev", "MX", "in1-smtp.messagingengine.com", { priority: 10 }),
        ...fastmail,
        envVar("NEXT_PUBLIC_API_URL", "https://api.dev.thirdparty.io/v1", ["production"], false),
      ];
      await expectPass("no-staging-hosts-in-production", opsgpt);
      const v = await expectViolation(
        "no-staging-hosts-in-production",
        [
          ...opsgpt,
          record("api.opsgpt.dev", "CNAME", "staging.opsgpt.dev", { proxied: true }),
          record("opsgpt.dev", "MX", "mx.test.opsgpt.dev", { priority: 20, suffix: "test" }),
          record("fm1._domainkey.dev.opsgpt.dev", "CNAME", "fm1.dev.opsgpt.dev.dkim.fmhosted.com"),
          res(T.healthCheck, "staging-check", { type: "HTTPS", fqdn: "staging.opsgpt.dev", port: 443, resourcePath: "/" }),
          envVar("API_URL", "https://api-staging.opsgpt.dev", ["production"], false),
        ],
        /declares CNAME target staging.opsgpt.dev: move it to the staging stack/,
      );
      assert.deepStrictEqual(v.violations.map((x) => x.message.replace(/^stack "prod" is production but declares /, "")).sort(), [
        "CNAME target staging.opsgpt.dev: move it to the staging stack.",
        "MX target mx.test.opsgpt.dev: move it to the staging stack.",
        "health check on staging.opsgpt.dev: move it to the staging stack.",
        "production env var API_URL points at a non-production host: move it to the staging stack.",
        "record fm1._domainkey.dev.opsgpt.dev: move it to the staging stack.",
      ]);
    });
    it("qualifies zone-relative record names with the stack's zone before judging them", async () => {
      const zone = res(T.zone, "zone", { name: "opsgpt.dev", account: { id: "acc" }, type: "full" });
      const relative = (name: string, type: string, content: string) => ({
        ...record(name, type, content),
        dependencies: [zone.urn],
        propertyDependencies: { zoneId: [zone.urn] },
      });
      await expectPass("no-staging-hosts-in-production", [zone, relative("fm1._domainkey", "CNAME", "fm1.opsgpt.dev.dkim.fmhosted.com")]);
      await expectViolation(
        "no-staging-hosts-in-production",
        [zone, relative("www", "CNAME", "preview.opsgpt.dev"), relative("qa", "A", "203.0.113.7")],
        /declares record qa.opsgpt.dev: move it/,
      );
    });
    it("a bad productionStackPattern fails loudly, never turning the policy into not applicable", async () => {
      assert.throws(
        () => validatePolicyConfig({ "no-staging-hosts-in-production": { productionStackPattern: "(prod" } }, allPolicies),
        /no-staging-hosts-in-production\.productionStackPattern: must match format "regex"/,
      );
      assert.throws(
        () => isProductionStack("live", { productionStacks: [], productionStackPattern: "(prod" }),
        /productionStackPattern "\(prod" is not a valid regular expression/,
      );
      await assert.rejects(
        evaluatePolicies(goodStack(), { config: { "no-staging-hosts-in-production": { productionStackPattern: "[" } } }),
        /must match format "regex"/,
      );
    });
  });

  describe("shared-zone-ownership (advisory)", () => {
    it("passes silently for a stack that owns its zone", async () => {
      await expectPass("shared-zone-ownership", goodStack());
    });
    it("notes zone config and apex DMARC left to another stack", async () => {
      const staging = [record("staging.example.com", "CNAME", "cname.vercel-dns.com", { proxied: true }, { stack: "staging" })];
      const v = await expectViolation("shared-zone-ownership", staging, /zone-wide edge config .* is managed by another stack/);
      assert.strictEqual(v.enforcementLevel, "advisory");
      assert.ok(v.violations.some((x) => /DMARC at the apex example.com is managed by another stack/.test(x.message)));
    });
  });
});

describe("policies: whole stacks", () => {
  it("the good stack passes every policy, advisories included", async () => {
    const verdicts = await evaluatePolicies(goodStack());
    const failing = verdicts.filter((v) => v.status === "violation");
    assert.deepStrictEqual(
      failing.map((v) => `${v.policyName}: ${v.violations.map((x) => x.message).join("; ")}`),
      [],
    );
    assert.strictEqual(hasMandatoryViolation(verdicts), false);
  });

  it("a staging stack under the production zone passes with advisories only", async () => {
    const staging = goodStack("staging")
      .filter((r) => r.type !== T.zoneSetting && r.type !== T.ruleset && r.type !== T.botManagement && r.type !== T.notificationPolicy)
      .filter((r) => !(r.type === T.dnsRecord && ["example.com", "_dmarc.example.com", "www.example.com"].includes(r.props.name as string)));
    const verdicts = await evaluatePolicies(staging);
    assert.strictEqual(hasMandatoryViolation(verdicts), false, formatVerdicts(verdicts, { showPassing: false }));
    assert.deepStrictEqual(
      verdicts.filter((v) => v.status === "violation").map((v) => v.policyName),
      ["shared-zone-ownership"],
    );
  });

  it("the bad stack reports each violation of issue 3 as mandatory", async () => {
    const verdicts = await evaluatePolicies(badStack());
    assert.strictEqual(hasMandatoryViolation(verdicts), true);
    const found = (policy: string, re: RegExp) => {
      const v = verdicts.find((x) => x.policyName === policy)!;
      assert.strictEqual(v.enforcementLevel, "mandatory", policy);
      assert.ok(
        v.violations.some((x) => re.test(x.message)),
        `${policy}: ${re} not in ${v.violations.map((x) => x.message).join("; ")}`,
      );
    };
    found("cloudflare-ssl-encrypts-origin", /SSL mode is "flexible"/); // weak SSL
    found("cloudflare-min-tls-version", /min_tls_version is 1.0/);
    found("cloudflare-hsts", /max-age is 86400/);
    found("cloudflare-always-use-https", /"off"/);
    found("spf-record-valid", /"\+all" lets anyone send/); // +all SPF
    found("spf-one-record-per-name", /2 SPF records/);
    found("dmarc-record-valid", /"v=DMARC1" must be the first tag/);
    found("cache-no-sensitive-paths", /caches \/api/); // cached /api
    found("vercel-env-no-client-exposed-secrets", /NEXT_PUBLIC_OPENAI_API_KEY is shipped to the browser/); // secret in NEXT_PUBLIC_
    found("web-hosts-monitored", /app.example.com is a proxied web hostname with no uptime monitor/); // no monitor
    found("health-check-https", /uses HTTP/);
    found("health-check-alarmed", /no CloudWatch alarm/);
    found("dns-no-unproxied-origin", /origin.example.com is not proxied/);
    found("dns-no-wildcard-origin", /\*.example.com/);
    found("canonical-redirect", /neither redirects/);
    found("ratelimit-for-sensitive-routes", /\/api\/chat/);
    found("no-staging-hosts-in-production", /staging.example.com/);
    const table = formatVerdicts(verdicts, { showPassing: false });
    assert.match(table, /MANDATORY\s+cache-no-sensitive-paths\s+http_request_cache_settings\s+rule "Cache API" caches \/api/);
    assert.ok(!table.includes("sk-proj-Leak"), "a secret value leaked into the report");
  });

  it("hand-written DMARC with a REDIRECT_RULE-style canonical redirect is judged by type, not by who wrote it", async () => {
    const handWritten = [
      record("example.org", "A", "203.0.113.1", { proxied: true }),
      record("www.example.org", "A", "203.0.113.1", { proxied: true }),
      ruleset("http_request_dynamic_redirect", [
        {
          ...REDIRECT_RULE,
          expression: '(http.host eq "example.org" and ssl)',
          actionParameters: { fromValue: { statusCode: 301, targetUrl: { value: "https://www.example.org" } } },
        },
      ]),
    ];
    await expectPass("canonical-redirect", handWritten);
  });
});
