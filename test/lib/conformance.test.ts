/**
 * The conformance stage, table by table: for every kind of fact, a value that passes and
 * one that fails, with the message naming the property, what is allowed and the source.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { runConformance, ConformanceFinding } from "../../lib/conformance";
import { expressionFields } from "../../lib/conformance/plan-limits";
import { awsFacts, cloudflareFacts, vercelFacts, ValueRule } from "../../lib/provider-facts";
import { RESOURCE_TYPES as T } from "../../policies/shared/resource-types";
import { sdkShapes } from "../../tools/conformance/shapes";
import { res, secret } from "../fixtures/policies/stacks";

const ZONE = "0123456789abcdef0123456789abcdef";
const shapes = sdkShapes(path.resolve(__dirname, "..", ".."));

function findings(resources: ReturnType<typeof res>[], opts: Parameters<typeof runConformance>[1] = {}): ConformanceFinding[] {
  return runConformance(resources, { shapes, ...opts }).findings;
}

function only(list: ConformanceFinding[], check: string, property?: string): ConformanceFinding {
  const hits = list.filter((f) => f.check === check && (property === undefined || f.property === property));
  assert.equal(hits.length, 1, `expected one ${check} finding${property ? ` at ${property}` : ""}, got:\n${JSON.stringify(list, null, 2)}`);
  return hits[0];
}

const ratelimitRule = (ratelimit: Record<string, unknown>, expression = 'starts_with(http.request.uri.path, "/login")') => ({
  action: "block",
  expression,
  ratelimit: { characteristics: ["ip.src", "cf.colo.id"], period: 10, requestsPerPeriod: 5, mitigationTimeout: 10, ...ratelimit },
});
const ruleset = (phase: string, rules: unknown[], name = phase) => res(T.ruleset, name, { zoneId: ZONE, kind: "zone", phase, name, rules });

describe("conformance: shape from the installed SDKs", () => {
  it("passes a well-formed DNS record and refuses a misspelt key with the closest name", () => {
    assert.deepEqual(findings([res(T.dnsRecord, "www", { zoneId: ZONE, name: "www", type: "CNAME", content: "x.example.net", proxied: true, ttl: 1 })]), []);
    const f = only(
      findings([res(T.dnsRecord, "www", { zoneId: ZONE, name: "www", type: "CNAME", content: "x.example.net", proxied: true, ttl: 1, proxyed: true })]),
      "shape",
    );
    assert.equal(f.property, "proxyed");
    assert.match(f.message, /is not a property of DnsRecordArgs; did you mean "proxied"\?/);
    assert.match(f.source, /^@pulumi\/cloudflare@6\.22\.1 dnsRecord\.d\.ts DnsRecordArgs$/);
  });

  it("refuses a missing required property and a wrong type, nested too", () => {
    const missing = only(findings([res(T.dnsRecord, "www", { zoneId: ZONE, name: "www", type: "CNAME", content: "x.example.net" })]), "shape");
    assert.equal(missing.property, "ttl");
    assert.match(missing.message, /is required by DnsRecordArgs and missing/);
    const nested = findings([ruleset("http_ratelimit", [ratelimitRule({ period: "10" })])]);
    const wrongType = only(nested, "shape");
    assert.equal(wrongType.property, "rules[0].ratelimit.period");
    assert.equal(wrongType.allowed, "a number");
  });

  it("checks the type of a secret's value without printing it", () => {
    const f = only(findings([res(T.vercelEnv, "k", { projectId: "prj_a", key: "K", value: secret(42), targets: ["production"], sensitive: true })]), "shape");
    assert.equal(f.property, "value");
    assert.equal(f.given, "[secret]");
  });
});

describe("conformance: allowed values (provider validators and API values)", () => {
  it("zone settings: a known value passes, an unknown one and an unknown id fail", () => {
    assert.deepEqual(findings([res(T.zoneSetting, "ssl", { zoneId: ZONE, settingId: "ssl", value: "strict" })]), []);
    const value = only(findings([res(T.zoneSetting, "ssl", { zoneId: ZONE, settingId: "ssl", value: "strictest" })]), "value");
    assert.equal(value.allowed, 'one of "off", "flexible", "full", "strict", "origin_pull"');
    assert.match(value.source, /cloudflare-go zones\/setting\.go/);
    const id = only(findings([res(T.zoneSetting, "tls", { zoneId: ZONE, settingId: "tls13", value: "on" })]), "value");
    assert.match(id.message, /is not a zone setting id; did you mean "tls_1_3"\?/);
  });

  it("zone settings: HSTS in snake_case passes, camelCase is refused with the fix", () => {
    const hsts = (sts: Record<string, unknown>) =>
      res(T.zoneSetting, "hsts", { zoneId: ZONE, settingId: "security_header", value: { strict_transport_security: sts } });
    assert.deepEqual(findings([hsts({ enabled: true, max_age: 31536000, include_subdomains: true, preload: false, nosniff: true })]), []);
    const f = only(findings([hsts({ enabled: true, maxAge: 31536000 })]), "value");
    assert.match(f.message, /camelCase key never converges \(pulumi\/pulumi-cloudflare#1579\); write "max_age"/);
    assert.equal(f.property, "value.strict_transport_security.maxAge");
    const wrongType = findings([hsts({ enabled: "yes", max_age: -1 })]);
    assert.deepEqual(wrongType.map((x) => `${x.property}: ${x.allowed}`).sort(), [
      "value.strict_transport_security.enabled: expected boolean, received string",
      "value.strict_transport_security.max_age: Too small: expected number to be >=0",
    ]);
    const missing = findings([res(T.zoneSetting, "hsts", { zoneId: ZONE, settingId: "security_header", value: {} })]);
    assert.deepEqual(
      missing.map((x) => x.property),
      ["value.strict_transport_security"],
    );
  });

  it("rulesets: phases, actions, compression algorithms, redirect codes, skip phases", () => {
    const good = [
      ruleset("http_response_compression", [{ action: "compress_response", expression: "true", actionParameters: { algorithms: [{ name: "zstd" }] } }]),
      ruleset("http_request_dynamic_redirect", [
        { action: "redirect", expression: "true", actionParameters: { fromValue: { statusCode: 301, targetUrl: { value: "https://example.com" } } } },
      ]),
      ruleset("http_request_firewall_custom", [{ action: "skip", expression: "true", actionParameters: { phases: ["http_request_sbfm"] } }]),
    ];
    assert.deepEqual(findings(good, { defaultZoneTier: "pro" }), []);
    const bad = findings([
      ruleset(
        "http_response_compression",
        [{ action: "compress_response", expression: "true", actionParameters: { algorithms: [{ name: "lzma" }] } }],
        "compression",
      ),
      ruleset(
        "http_request_dynamic_redirect",
        [{ action: "redirect", expression: "true", actionParameters: { fromValue: { statusCode: 304, targetUrl: { value: "https://example.com" } } } }],
        "redirect",
      ),
      ruleset(
        "http_request_firewall_custom",
        [{ action: "skip", expression: "true", actionParameters: { phases: ["http_request_cache_settings"] } }],
        "custom",
      ),
      ruleset("http_request_firewal_custom", [{ action: "blok", expression: "true" }], "typo"),
    ]);
    assert.deepEqual(
      bad.filter((f) => f.check === "value").map((f) => `${f.name} ${f.property}`),
      [
        "compression rules[0].actionParameters.algorithms[0].name",
        "redirect rules[0].actionParameters.fromValue.statusCode",
        "custom rules[0].actionParameters.phases[0]",
        "typo phase",
        "typo rules[0].action",
      ],
    );
  });

  it("rate limits: a supported period passes, 50 s fails everywhere", () => {
    assert.deepEqual(findings([ruleset("http_ratelimit", [ratelimitRule({ period: 60 })])], { defaultZoneTier: "pro" }), []);
    const f = only(findings([ruleset("http_ratelimit", [ratelimitRule({ period: 50 })])], { defaultZoneTier: "enterprise_arl" }), "value");
    assert.equal(f.property, "rules[0].ratelimit.period");
    assert.match(f.source, /rate-limiting-rules\/#availability/);
  });

  it("DNS: proxied records have ttl 1, TXT records are never proxied", () => {
    assert.deepEqual(findings([res(T.dnsRecord, "txt", { zoneId: ZONE, name: "@", type: "TXT", content: '"v=spf1 -all"', proxied: false, ttl: 3600 })]), []);
    const ttl = only(
      findings([res(T.dnsRecord, "www", { zoneId: ZONE, name: "www", type: "CNAME", content: "x.example.net", proxied: true, ttl: 300 })]),
      "value",
    );
    assert.equal(ttl.property, "ttl");
    assert.equal(ttl.allowed, "one of 1");
    const txt = only(findings([res(T.dnsRecord, "txt", { zoneId: ZONE, name: "@", type: "TXT", content: '"x"', proxied: true, ttl: 1 })]), "value");
    assert.equal(txt.property, "proxied");
  });

  it("Vercel: targets, and no sensitive variable in development", () => {
    const env = (targets: string[], sensitive: boolean) => res(T.vercelEnv, "v", { projectId: "prj_a", key: "K", value: "v", targets, sensitive });
    assert.deepEqual(
      findings([env(["production", "preview"], true), env(["development"], false)]).filter((f) => f.check === "value"),
      [],
    );
    assert.equal(only(findings([env(["development"], true)]), "value").property, "sensitive");
    assert.equal(only(findings([env(["staging"], false)]), "value").property, "targets[0]");
  });

  it("AWS: health-check regions and intervals, alarm periods and statistics", () => {
    const hc = (p: Record<string, unknown>) =>
      res(T.healthCheck, "hc", {
        type: "HTTPS",
        fqdn: "example.com",
        regions: ["us-east-1", "eu-west-1", "sa-east-1"],
        requestInterval: 30,
        failureThreshold: 3,
        ...p,
      });
    assert.deepEqual(findings([hc({})]), []);
    assert.equal(only(findings([hc({ regions: ["us-east-1", "eu-west-1", "eu-central-1"] })]), "value").property, "regions[2]");
    assert.equal(only(findings([hc({ requestInterval: 60 })]), "value").property, "requestInterval");
    const alarm = (p: Record<string, unknown>, name = "a") =>
      res(T.metricAlarm, name, {
        region: "us-east-1",
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 2,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        ...p,
      });
    assert.deepEqual(findings([alarm({}), alarm({ period: 300 }, "b")]), []);
    assert.equal(only(findings([alarm({ period: 45 })]), "value").allowed, "10, 20, 30 or a multiple of 60");
    assert.equal(only(findings([alarm({ statistic: "P95" })]), "value").property, "statistic");
    const percentile = only(findings([alarm({ statistic: undefined, metricName: "TimeToFirstByte", extendedStatistic: "p95" })]), "value");
    assert.equal(percentile.property, "extendedStatistic");
    assert.equal(percentile.message, "AWS/Route53 TimeToFirstByte has no p95 statistic: the alarm would never get data");
  });

  it("every recorded value rule refuses something (no rule is dead data)", () => {
    const rules: Array<[string, ValueRule]> = [];
    for (const facts of [cloudflareFacts, vercelFacts, awsFacts])
      for (const [type, r] of Object.entries(facts.resources)) for (const rule of r.values) rules.push([type, rule]);
    assert.ok(rules.length > 40, `only ${rules.length} rules`);
    for (const [type, rule] of rules) {
      assert.ok(rule.source.length > 10, `${type} ${rule.path} names its source`);
      const constraints = [
        "oneOf",
        "min",
        "max",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "pattern",
        "mustInclude",
        "oneOfOrRange",
        "oneOfOrMultipleOf",
        "requiresAction",
        "sorted",
      ].filter((k) => k in rule);
      assert.ok(constraints.length > 0, `${type} ${rule.path} constrains nothing`);
    }
  });
});

describe("conformance: plan limits per Cloudflare plan", () => {
  it("counting periods: 60 s on Pro passes, 600 s needs Business, 3600 s needs Enterprise, 86400 s is never a counting period", () => {
    const rl = (period: number) => [ruleset("http_ratelimit", [ratelimitRule({ period })])];
    assert.deepEqual(findings(rl(60), { defaultZoneTier: "pro" }), []);
    assert.equal(only(findings(rl(600), { defaultZoneTier: "pro" }), "plan-limit").allowed, "10, 15, 20, 30, 40, 45, 60");
    assert.deepEqual(findings(rl(600), { defaultZoneTier: "business" }), []);
    assert.equal(only(findings(rl(3600), { defaultZoneTier: "business" }), "plan-limit").property, "rules[0].ratelimit.period");
    assert.deepEqual(findings(rl(3600), { defaultZoneTier: "enterprise" }), []);
    const ent = only(findings(rl(86400), { defaultZoneTier: "enterprise_arl" }), "plan-limit");
    assert.match(ent.message, /is not a counting period this plan offers on the Enterprise with Advanced Rate Limiting plan/);
  });

  it("rule counts, mitigation timeouts, characteristics and expression fields", () => {
    const two = [ruleset("http_ratelimit", [ratelimitRule({}), ratelimitRule({})])];
    assert.deepEqual(findings(two, { defaultZoneTier: "pro" }), []);
    assert.equal(only(findings(two, { defaultZoneTier: "free" }), "plan-limit").allowed, "at most 1");
    assert.equal(
      only(findings([ruleset("http_ratelimit", [ratelimitRule({ mitigationTimeout: 600 })])], { defaultZoneTier: "free" }), "plan-limit").property,
      "rules[0].ratelimit.mitigationTimeout",
    );
    const byHeader = [ruleset("http_ratelimit", [ratelimitRule({ characteristics: ['http.request.headers["x-api-key"]', "cf.colo.id"] })])];
    assert.match(only(findings(byHeader, { defaultZoneTier: "enterprise" }), "plan-limit").message, /needs Enterprise with Advanced Rate Limiting/);
    assert.deepEqual(findings(byHeader, { defaultZoneTier: "enterprise_arl" }), []);
    const byHost = [ruleset("http_ratelimit", [ratelimitRule({}, 'http.host eq "api.example.com"')])];
    assert.match(only(findings(byHost, { defaultZoneTier: "free" }), "plan-limit").message, /matches on http\.host/);
    assert.deepEqual(findings(byHost, { defaultZoneTier: "pro" }), []);
  });

  it("the Cloudflare Managed Ruleset needs Pro; regular expressions need Business", () => {
    const managed = [
      ruleset("http_request_firewall_managed", [{ action: "execute", expression: "true", actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" } }]),
    ];
    assert.deepEqual(findings(managed, { defaultZoneTier: "pro" }), []);
    assert.equal(only(findings(managed, { defaultZoneTier: "free" }), "plan-limit").property, "rules[0].actionParameters.id");
    const regex = [ruleset("http_request_firewall_custom", [{ action: "block", expression: 'http.request.uri.path matches "^/wp-"' }])];
    assert.deepEqual(findings(regex, { defaultZoneTier: "business" }), []);
    assert.match(only(findings(regex, { defaultZoneTier: "pro" }), "plan-limit").message, /uses a regular expression/);
  });

  it("bots: a skip of Super Bot Fight Mode passes from Pro, and is refused on Free, whose Bot Fight Mode cannot be skipped", () => {
    const skip = ruleset("http_request_firewall_custom", [
      { action: "skip", expression: 'starts_with(http.request.uri.path, "/api/webhooks/")', actionParameters: { phases: ["http_request_sbfm"] } },
    ]);
    assert.deepEqual(findings([skip], { defaultZoneTier: "pro" }), []);
    const f = only(findings([skip], { defaultZoneTier: "free" }), "plan-limit");
    assert.equal(f.property, "rules[0].actionParameters.phases");
    assert.match(f.message, /Bot Fight Mode cannot be skipped\) on the Free plan/);
  });

  it("bots: Bot Fight Mode on Free, Super Bot Fight Mode from Pro, likely-automated from Business", () => {
    const bots = (p: Record<string, unknown>) => [res(T.botManagement, "bots", { zoneId: ZONE, isRobotsTxtManaged: false, ...p })];
    assert.deepEqual(findings(bots({ fightMode: true, enableJs: true }), { defaultZoneTier: "free" }), []);
    assert.equal(only(findings(bots({ fightMode: true }), { defaultZoneTier: "pro" }), "plan-limit").property, "fightMode");
    assert.equal(
      only(findings(bots({ sbfmDefinitelyAutomated: "managed_challenge" }), { defaultZoneTier: "free" }), "plan-limit").property,
      "sbfmDefinitelyAutomated",
    );
    assert.deepEqual(
      findings(bots({ sbfmDefinitelyAutomated: "managed_challenge", sbfmVerifiedBots: "allow", fightMode: false }), { defaultZoneTier: "pro" }),
      [],
    );
    assert.equal(only(findings(bots({ sbfmLikelyAutomated: "managed_challenge" }), { defaultZoneTier: "pro" }), "plan-limit").property, "sbfmLikelyAutomated");
    assert.deepEqual(findings(bots({ sbfmLikelyAutomated: "managed_challenge" }), { defaultZoneTier: "business" }), []);
  });

  const dnsRecord = (name: string, extra: Record<string, unknown> = {}) =>
    res(T.dnsRecord, name, { zoneId: ZONE, name, type: "TXT", content: '"v=x"', proxied: false, ttl: 1, ...extra });

  it("DNS record comments: 100 characters on Free, 500 on paid plans (API error 9313), whatever declared the record", () => {
    const comment = (n: number) => [dnsRecord("a", { comment: "x".repeat(n) })];
    assert.deepEqual(findings(comment(100), { defaultZoneTier: "free" }), []);
    const free = only(findings(comment(101), { defaultZoneTier: "free" }), "plan-limit");
    assert.equal(free.property, "comment");
    assert.equal(free.given, "101 characters");
    assert.equal(free.allowed, "at most 100 characters");
    assert.match(free.message, /is longer than a DNS record comment may be on the Free plan/);
    assert.match(free.source, /record-attributes.*dns\.record_comments\.character_limit.*9313/);
    assert.deepEqual(findings(comment(500), { defaultZoneTier: "pro" }), []);
    assert.equal(only(findings(comment(501), { defaultZoneTier: "business" }), "plan-limit").allowed, "at most 500 characters");
    // Cloudflare counts characters, not UTF-16 units: 100 emoji fit on Free.
    assert.deepEqual(findings([dnsRecord("e", { comment: "\u{1F512}".repeat(100) })], { defaultZoneTier: "free" }), []);
  });

  it("DNS record tags: none on Free; 20 per record on paid plans, names up to 32 characters and values up to 100", () => {
    const tagged = (tags: string[]) => [dnsRecord("a", { tags })];
    const noTags = only(findings(tagged(["team:web"]), { defaultZoneTier: "free" }), "plan-limit");
    assert.equal(noTags.property, "tags");
    assert.equal(noTags.allowed, "no tags (record tags need a paid plan)");
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}:v`);
    assert.deepEqual(findings(tagged(twenty), { defaultZoneTier: "pro" }), []);
    assert.equal(only(findings(tagged([...twenty, "t20:v"]), { defaultZoneTier: "pro" }), "plan-limit").allowed, "at most 20 tags");
    assert.deepEqual(findings(tagged([`${"n".repeat(32)}:${"v".repeat(100)}`]), { defaultZoneTier: "pro" }), []);
    assert.equal(only(findings(tagged([`${"n".repeat(33)}:v`]), { defaultZoneTier: "pro" }), "plan-limit").property, "tags[0]");
    assert.equal(only(findings(tagged([`n:${"v".repeat(101)}`]), { defaultZoneTier: "pro" }), "plan-limit").property, "tags[0]");
  });

  it("per-record CNAME flattening needs a paid plan", () => {
    const flat = [
      res(T.dnsRecord, "docs", {
        zoneId: ZONE,
        name: "docs",
        type: "CNAME",
        content: "x.example.net",
        proxied: false,
        ttl: 1,
        settings: { flattenCname: true },
      }),
    ];
    assert.deepEqual(findings(flat, { defaultZoneTier: "pro" }), []);
    assert.equal(only(findings(flat, { defaultZoneTier: "free" }), "plan-limit").property, "settings.flattenCname");
  });

  it("records per zone: 200 on a Free zone, 3,500 on Pro, counted per zone", () => {
    const records = (n: number, zoneId = ZONE) =>
      Array.from({ length: n }, (_, i) =>
        res(T.dnsRecord, `r${zoneId.slice(0, 2)}${i}`, { zoneId, name: `r${i}`, type: "TXT", content: '"x"', proxied: false, ttl: 1 }),
      );
    assert.deepEqual(findings(records(200), { defaultZoneTier: "free" }), []);
    const over = only(findings(records(201), { defaultZoneTier: "free" }), "plan-limit");
    assert.equal(over.given, "201 records in the zone");
    assert.match(over.source, /records_quota/);
    assert.deepEqual(findings(records(201), { defaultZoneTier: "pro" }), []);
    const other = "fedcba9876543210fedcba9876543210";
    assert.deepEqual(findings([...records(150), ...records(150, other)], { defaultZoneTier: "free" }), [], "two zones, each under its quota");
  });

  it("says so when a zone's plan is unknown instead of guessing", () => {
    const result = runConformance([ruleset("http_ratelimit", [ratelimitRule({ period: 600 })])], { shapes });
    assert.deepEqual(result.findings, []);
    assert.match(result.skipped.join("\n"), /plan limits of zone 0123456789abcdef0123456789abcdef: its Cloudflare plan is not known \(pass --zone-plan/);
  });

  it("reads the fields of an expression, ignoring string contents", () => {
    assert.deepEqual(expressionFields('(http.request.uri.path eq "/ip.src" and not cf.client.bot) or ip.src in {1.2.3.4}'), [
      "http.request.uri.path",
      "cf.client.bot",
      "ip.src",
    ]);
  });
});

describe("conformance: where a service exists", () => {
  const slack = (region?: string) =>
    res(T.slackChannel, "slack", {
      configurationName: "c",
      iamRoleArn: "arn:aws:iam::1:role/r",
      slackTeamId: "T1",
      slackChannelId: "C1",
      ...(region ? { region } : {}),
    });
  it("AWS Chatbot: us-east-2 passes, us-east-1 (also from the provider default) fails", () => {
    assert.deepEqual(findings([slack("us-east-2")]), []);
    const f = only(findings([slack()], { awsRegion: "us-east-1" }), "region");
    assert.equal(f.given, '"us-east-1"');
    assert.equal(f.allowed, "us-east-2, us-west-2, eu-west-1, ap-southeast-1");
    assert.match(f.source, /docs\.aws\.amazon\.com\/general\/latest\/gr\/chatbot\.html/);
  });
  it("Route 53 health-check alarms only in us-east-1", () => {
    const alarm = (region: string) =>
      res(T.metricAlarm, "a", {
        region,
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 2,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
      });
    assert.deepEqual(findings([alarm("us-east-1")]), []);
    assert.match(only(findings([alarm("eu-west-1")]), "region").message, /AWS\/Route53 HealthCheckStatus has no data in eu-west-1/);
  });
});

describe("conformance: what the engine and the APIs refuse across resources", () => {
  it("a second entrypoint ruleset for one phase of one zone", () => {
    assert.deepEqual(
      findings([ruleset("http_ratelimit", [ratelimitRule({})], "a"), ruleset("http_request_firewall_custom", [{ action: "block", expression: "true" }], "b")], {
        defaultZoneTier: "pro",
      }),
      [],
    );
    const f = only(
      findings([ruleset("http_ratelimit", [ratelimitRule({})], "a"), ruleset("http_ratelimit", [ratelimitRule({})], "b")], { defaultZoneTier: "pro" }),
      "engine",
    );
    assert.equal(f.name, "b");
    assert.match(
      f.message,
      /at most one entrypoint ruleset .* "a" \(urn:pulumi:prod::launch-ready::cloudflare:index\/ruleset:Ruleset::a\) already declares it/,
    );
  });
  it("two zone settings for one id, two Vercel variables for one key and target, a duplicate URN", () => {
    const s = (name: string) => res(T.zoneSetting, name, { zoneId: ZONE, settingId: "ssl", value: "strict" });
    assert.equal(only(findings([s("ssl"), s("ssl-again")]), "engine").property, "settingId");
    const v = (name: string, targets: string[]) => res(T.vercelEnv, name, { projectId: "prj_a", key: "K", value: "v", targets, sensitive: false });
    assert.deepEqual(findings([v("a", ["production"]), v("b", ["preview"])]), []);
    assert.equal(only(findings([v("a", ["production", "preview"]), v("b", ["preview"])]), "engine").given, '"K" for preview');
    assert.equal(
      only(
        findings([s("ssl"), s("ssl")]).filter((f) => f.property === "urn"),
        "engine",
      ).name,
      "ssl",
    );
  });
});

describe("conformance: lists and settings the provider changes after an apply", () => {
  const widget = (domains: string[]) => [res(T.turnstileWidget, "widget", { accountId: "a".repeat(32), name: "w", mode: "managed", domains })];

  it("Turnstile widget domains: sorted as the API returns them, at most 15", () => {
    assert.deepEqual(findings(widget(["example.com", "api.example.com"].sort())), []);
    const unsorted = only(findings(widget(["example.com", "app.example.com", "api.example.com"])), "value");
    assert.equal(unsorted.property, "domains");
    assert.equal(unsorted.allowed, "the list sorted");
    assert.match(unsorted.source, /terraform-provider-cloudflare#7028/);
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${String(i).padStart(2, "0")}.example.com`);
    assert.deepEqual(findings(widget(hosts(15))), []);
    const many = only(findings(widget(hosts(16))), "value");
    assert.equal(many.allowed, "at most 15");
    assert.match(many.source, /hostname-management/);
  });

  it("ZoneDnssec status: declared, it needs ignoreChanges, or every refresh before the DS is published shows pending -> active", () => {
    const dnssec = res(T.zoneDnssec, "dnssec", { zoneId: ZONE, status: "active" });
    const f = only(findings([dnssec]), "engine");
    assert.equal(f.property, "status");
    assert.equal(f.allowed, 'ignoreChanges: ["status"]');
    assert.match(f.source, /zone_dnssec\/schema\.go "status": Optional, not Computed/);
    assert.deepEqual(findings([{ ...dnssec, opts: { ...dnssec.opts, ignoreChanges: ["status"] } }]), []);
  });

  it("BotManagement isRobotsTxtManaged: left out, the provider sends its default false on every apply", () => {
    const bots = (p: Record<string, unknown>) => [res(T.botManagement, "bots", { zoneId: ZONE, fightMode: true, ...p })];
    const f = only(findings(bots({})), "engine");
    assert.equal(f.property, "isRobotsTxtManaged");
    assert.match(f.source, /booldefault\.StaticBool\(false\)/);
    assert.deepEqual(findings(bots({ isRobotsTxtManaged: true })), []);
  });
});
