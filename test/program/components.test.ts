import { strict as assert } from "assert";
import { planStack, OfflinePlan } from "../../tools/offline/plan";
import { conformanceOf, REPO_ROOT } from "../../tools/conformance/run";
import { renderHandover } from "../../lib/handover";
import { isSecretValue, redactSecrets } from "../../lib/planned/secrets";
import type { PlannedResource } from "../../lib/planned/types";
import { HANDOVER, makeWwwCanonical, shippedConfig } from "../helpers/stack-config";
import { RESOURCE_TYPES as Types } from "../../policies/shared/resource-types";

const T = {
  record: Types.dnsRecord,
  setting: Types.zoneSetting,
  ruleset: Types.ruleset,
  envVar: Types.vercelEnv,
  domain: Types.vercelDomain,
  check: Types.healthCheck,
  alarm: Types.metricAlarm,
};

async function plan(stack: "prod" | "staging", edit: (c: Record<string, any>) => void = () => undefined): Promise<OfflinePlan> {
  const config = shippedConfig(stack);
  edit(config);
  return planStack(stack, { stackFile: { config } });
}

const ofType = (p: OfflinePlan, type: string) => p.resources.filter((r) => r.type === type);
const records = (p: OfflinePlan) => ofType(p, T.record).map((r) => r.props as Record<string, any>);
const record = (p: OfflinePlan, name: string, type: string) => records(p).filter((r) => r.name === name && r.type === type);
const parentType = (p: OfflinePlan, r: PlannedResource) => p.resources.find((x) => x.urn === r.parent)?.type;
const ruleset = (p: OfflinePlan, phase: string) =>
  ofType(p, T.ruleset)
    .map((r) => r.props as Record<string, any>)
    .find((r) => r.phase === phase);

describe("the program, offline (prod)", function () {
  let prod: OfflinePlan;
  before(async () => {
    prod = await plan("prod");
  });

  it("declares each concern in its own component, every resource parented", () => {
    const components = prod.resources.filter((r) => !r.custom).map((r) => r.type);
    assert.deepEqual(components.sort(), [
      "launch-ready:edge:EdgeCache",
      "launch-ready:edge:EdgeSecurity",
      "launch-ready:edge:OriginLock",
      "launch-ready:edge:Turnstile",
      "launch-ready:email:EmailAuth",
      "launch-ready:hosting:Hosting",
      "launch-ready:site:Domain",
      "launch-ready:site:LaunchReadySite",
      "launch-ready:uptime:Uptime",
    ]);
    for (const r of prod.resources.filter((x) => x.custom)) assert.ok(r.parent, `${r.name} has no parent`);
    assert.equal(parentType(prod, ofType(prod, T.check)[0]), "launch-ready:uptime:Uptime");
  });

  it("replaces DNS records delete-first, so a retargeted host never collides with itself", () => {
    const dns = ofType(prod, T.record);
    assert.ok(dns.every((r) => r.opts.deleteBeforeReplace));
    assert.ok(
      dns.some((r) => r.name === "launch-ready-domain-www-web"),
      "a web host's record is named without its type",
    );
  });

  it("points the canonical apex at Vercel and proxies web hosts, not the DNS-only providers", () => {
    assert.deepEqual(record(prod, "acmechat.dev", "A"), [
      {
        zoneId: "0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60",
        name: "acmechat.dev",
        type: "A",
        content: "76.76.21.21",
        proxied: true,
        ttl: 1,
        comment: "launch-ready: canonical web host",
      },
    ]);
    assert.equal(record(prod, "www.acmechat.dev", "CNAME")[0].proxied, true);
    assert.equal(record(prod, "api.acmechat.dev", "CNAME")[0].content, "cname.vercel-dns.com");
    assert.deepEqual(
      record(prod, "docs.acmechat.dev", "CNAME").map((r) => [r.content, r.proxied, r.ttl]),
      [["hosting.gitbook.io", false, 300]],
    );
  });

  it("alerts on certificate events of this zone only", () => {
    const alerts = prod.resources.filter((r) => r.type === "cloudflare:index/notificationPolicy:NotificationPolicy");
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0].props.filters, { zones: ["0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60"] });
    assert.equal(alerts[0].props.alertType, "universal_ssl_event_type");
  });

  it("redirects www to the apex in one 301 with path and query", () => {
    const redirect = ruleset(prod, "http_request_dynamic_redirect")!;
    assert.equal(redirect.rules.length, 1);
    assert.equal(
      redirect.rules[0].expression,
      '(http.host eq "www.acmechat.dev" and ssl and not starts_with(http.request.uri.path, "/.well-known/acme-challenge/") and not starts_with(http.request.uri.path, "/.well-known/vercel/"))',
    );
    assert.equal(redirect.rules[0].actionParameters.fromValue.statusCode, 301);
    assert.equal(redirect.rules[0].actionParameters.fromValue.preserveQueryString, true);
  });

  it("sets SSL strict, HTTPS always, HSTS a year with subdomains, TLS 1.2 minimum and 1.3 on", () => {
    const settings = Object.fromEntries(ofType(prod, T.setting).map((s) => [s.props.settingId, s.props.value]));
    assert.equal(settings.ssl, "strict");
    assert.equal(settings.always_use_https, "on");
    assert.equal(settings.min_tls_version, "1.2");
    assert.equal(settings.tls_1_3, "on");
    assert.equal(settings.automatic_https_rewrites, "off");
    assert.equal(settings.email_obfuscation, "off");
    assert.equal(settings.rocket_loader, "off");
    // snake_case inside the untranslated value (pulumi/pulumi-cloudflare#1579)
    assert.deepEqual(settings.security_header, {
      strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, preload: false, nosniff: true },
    });
  });

  it("declares one ruleset per phase, within the Free plan's limits", () => {
    const phases = ofType(prod, T.ruleset).map((r) => r.props.phase as string);
    assert.deepEqual([...phases].sort(), [
      "http_ratelimit",
      "http_request_cache_settings",
      "http_request_dynamic_redirect",
      "http_request_firewall_custom",
      "http_request_late_transform",
      "http_response_compression",
      "http_response_headers_transform",
    ]);
    assert.ok(ruleset(prod, "http_response_headers_transform")!.rules.length <= 10, "within the Free plan's response header rules");
    const compression = ruleset(prod, "http_response_compression")!.rules;
    assert.deepEqual(
      compression[compression.length - 1].actionParameters,
      { algorithms: [{ name: "none" }] },
      "the last rule wins: event streams stay uncompressed",
    );
    assert.match(compression[compression.length - 1].expression, /text\/event-stream/);
    const rl = ruleset(prod, "http_ratelimit")!;
    assert.equal(rl.rules.length, 1);
    assert.deepEqual(rl.rules[0].ratelimit.characteristics, ["ip.src", "cf.colo.id"]);
    assert.equal(rl.rules[0].ratelimit.period, 10);
    assert.ok(ruleset(prod, "http_request_firewall_custom")!.rules.length <= 5);
    assert.match(prod.domainMap.notes.map((n) => n.text).join("\n"), /free plan allows 1 rate-limit rule/);
  });

  it("publishes one SPF per sending name, DKIM per sender, DMARC with reports, and locks down silent names", () => {
    const txt = (name: string) => record(prod, name, "TXT").map((r) => r.content);
    assert.deepEqual(txt("acmechat.dev"), ['"v=spf1 include:_spf.google.com ~all"']);
    assert.deepEqual(txt("mail.acmechat.dev"), ['"v=spf1 include:amazonses.com ~all"']);
    assert.deepEqual(txt("_dmarc.acmechat.dev"), ['"v=DMARC1; p=none; rua=mailto:dmarc-reports@acmechat.dev"']);
    assert.equal(record(prod, "4fj2kq7xw3nbd5rt6yhc8mze9pva1ugs._domainkey.acmechat.dev", "CNAME")[0].proxied, false);
    assert.match(txt("google._domainkey.acmechat.dev")[0], /^"v=DKIM1; k=rsa; p=\S{200,}" "/, "a long DKIM key is split into 255-byte strings");
    assert.deepEqual(txt("_dmarc.app.acmechat.dev"), ['"v=DMARC1; p=reject; rua=mailto:dmarc-reports@acmechat.dev; adkim=s; aspf=s"']);
    // app is a CNAME: no TXT or MX may share its name.
    assert.deepEqual(
      records(prod)
        .filter((r) => r.name === "app.acmechat.dev")
        .map((r) => r.type),
      ["CNAME"],
    );
    const ses = prod.domainMap.email.senders.find((x) => x.name === "ses")!;
    assert.deepEqual([ses.sendingDomain, ses.spfDomain], ["acmechat.dev", "mail.acmechat.dev"], "SES signs for the apex, its SPF lives at its MAIL FROM");
    assert.deepEqual(
      prod.domainMap.email.nonSendingDomains,
      ["app.acmechat.dev", "api.acmechat.dev", "docs.acmechat.dev", "status.acmechat.dev", "www.acmechat.dev"].sort(),
    );
  });

  it("declares Vercel env vars per target, secrets sensitive outside development and never printed", () => {
    const vars = ofType(prod, T.envVar);
    const key = (name: string) => vars.find((v) => v.name === `launch-ready-hosting-${name}`)!;
    assert.equal(key("production-OPENAI_API_KEY").props.sensitive, true);
    assert.ok(isSecretValue(key("production-OPENAI_API_KEY").props.value));
    assert.equal(key("development-OPENAI_API_KEY").props.sensitive, false);
    assert.deepEqual(key("preview-OPENAI_API_KEY").props.targets, ["preview"]);
    assert.ok(
      vars.every((v) => v.opts.deleteBeforeReplace),
      "a replacement deletes first, avoiding ENV_ALREADY_EXISTS",
    );
    assert.deepEqual(
      prod.domainMap.hosting.env.preview.map((e) => e.key),
      ["NEXT_PUBLIC_POSTHOG_KEY", "OPENAI_API_KEY", "DATABASE_URL", "NEXTAUTH_SECRET", "STRIPE_SECRET_KEY"],
    );
    const printed = JSON.stringify(redactSecrets(prod.resources.map((r) => r.props)));
    assert.ok(!printed.includes("offline-placeholder"), "no secret value survives redaction");
  });

  it("monitors every host and critical endpoint over HTTPS, alarmed to a topic", () => {
    const checks = ofType(prod, T.check);
    assert.deepEqual(checks.map((c) => `${c.props.fqdn}${c.props.resourcePath}`).sort(), [
      "acmechat.dev/",
      "acmechat.dev/api/auth/providers",
      "acmechat.dev/api/chat/health",
      "acmechat.dev/api/webhooks/health",
      "api.acmechat.dev/api/health",
      "app.acmechat.dev/login",
      "docs.acmechat.dev/",
      "status.acmechat.dev/",
      "www.acmechat.dev/",
    ]);
    assert.ok(checks.every((c) => c.props.failureThreshold === 3 && (c.props.regions as string[]).length === 3));
    const alarms = ofType(prod, T.alarm);
    // Per check: down (2 bad minutes), availability (a day under 99.5%), latency (15 minutes over the target).
    const byMetric = (metric: string) => alarms.filter((a) => a.props.metricName === metric);
    assert.equal(byMetric("HealthCheckStatus").length, checks.length);
    assert.equal(byMetric("HealthCheckPercentageHealthy").length, checks.length);
    assert.equal(byMetric("TimeToFirstByte").length, checks.length);
    assert.equal(alarms.length, 3 * checks.length);
    for (const a of byMetric("HealthCheckPercentageHealthy")) {
      assert.deepEqual(
        [a.props.period, a.props.statistic, a.props.threshold, a.props.comparisonOperator, a.props.treatMissingData],
        [86400, "Average", 99.5, "LessThanThreshold", "notBreaching"],
      );
      assert.match(String(a.props.alarmDescription), /^https:\/\/\S+ was up less than 99\.5% of the last day \(target 99\.9%\)\. First check: /);
    }
    const apiLatency = byMetric("TimeToFirstByte").find((a) => String(a.props.alarmDescription).startsWith("https://api.acmechat.dev/api/health:"))!;
    assert.deepEqual(
      [apiLatency.props.threshold, apiLatency.props.period, apiLatency.props.evaluationPeriods, apiLatency.props.datapointsToAlarm],
      [500, 300, 3, 3],
    );
    const [dashboard] = ofType(prod, "aws:cloudwatch/dashboard:Dashboard");
    assert.deepEqual([dashboard.props.dashboardName, dashboard.props.region], ["acmechat-dev-prod-launch", "us-east-1"]);
    const widgets = JSON.parse(String(dashboard.props.dashboardBody)).widgets as Array<{
      properties: { title?: string; metrics?: unknown[][]; annotations?: { horizontal: Array<{ value: number }> } };
    }>;
    const graphs = widgets.filter((w) => w.properties.metrics);
    assert.deepEqual(
      graphs.map((w) => w.properties.title),
      ["Health (1 = up)", "Availability (target 99.9%)", "Time to first byte (ms)"],
    );
    for (const g of graphs) assert.equal(g.properties.metrics!.length, checks.length, `${g.properties.title} shows every monitor`);
    assert.deepEqual(
      graphs[1].properties.annotations!.horizontal.map((a) => a.value),
      [99.9, 99.5],
    );
    assert.equal(
      prod.domainMap.alerts.dashboardUrl,
      "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/acmechat-dev-prod-launch",
    );
    assert.equal(prod.outputs.dashboardUrl, prod.domainMap.alerts.dashboardUrl);
    for (const alarm of alarms) {
      assert.equal(alarm.props.region, "us-east-1");
      assert.equal((alarm.props.alarmActions as string[]).length, 1);
      assert.ok(
        alarm.propertyDependencies.dimensions.some((urn) => checks.some((c) => c.urn === urn)),
        `${alarm.name} depends on its check`,
      );
    }
  });
});

describe("the program, offline (variants)", function () {
  it("with www canonical, declares the apex as the redirecting twin", async () => {
    const p = await plan("prod", makeWwwCanonical);
    assert.equal(p.domainMap.canonicalHost, "www.acmechat.dev");
    const redirect = ruleset(p, "http_request_dynamic_redirect")!;
    assert.equal(
      redirect.rules[0].expression,
      '(http.host eq "acmechat.dev" and ssl and not starts_with(http.request.uri.path, "/.well-known/acme-challenge/") and not starts_with(http.request.uri.path, "/.well-known/vercel/"))',
    );
    assert.equal(redirect.rules[0].actionParameters.fromValue.targetUrl.expression, 'concat("https://www.acmechat.dev", http.request.uri.path)');
  });

  it("with no email sender, locks the apex down: SPF -all and a null MX", async () => {
    const p = await plan("prod", (c) => {
      c["launch-ready:email"].senders = [];
      c["launch-ready:email"].mx = [];
    });
    assert.deepEqual(
      record(p, "acmechat.dev", "TXT").map((r) => r.content),
      ['"v=spf1 -all"'],
    );
    assert.deepEqual(
      record(p, "acmechat.dev", "MX").map((r) => [r.content, r.priority]),
      [[".", 0]],
    );
    assert.equal(records(p).filter((r) => /_domainkey/.test(r.name)).length, 0);
  });

  it("with several senders on one name, merges them into one SPF record", async () => {
    // Zoho sends with the apex as envelope sender, like Google; its include is the founder's copy from Zoho's SPF tab.
    const p = await plan("prod", (c) =>
      c["launch-ready:email"].senders.push({
        name: "zoho",
        kind: "zoho-mail",
        spfInclude: "zoho.eu",
        dkim: [{ selector: "zmail", type: "TXT", value: "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC" }],
      }),
    );
    assert.deepEqual(
      record(p, "acmechat.dev", "TXT").map((r) => r.content),
      ['"v=spf1 include:_spf.google.com include:zoho.eu ~all"'],
    );
    assert.equal(record(p, "zmail._domainkey.acmechat.dev", "TXT").length, 1);
  });

  it("adds Postmark without touching the apex SPF: its Return-Path CNAME at pm-bounces carries SPF", async () => {
    const p = await plan("prod", (c) =>
      c["launch-ready:email"].senders.push({
        name: "postmark",
        kind: "postmark",
        dkim: [{ selector: "20241101pm", type: "TXT", value: "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC" }],
      }),
    );
    assert.deepEqual(
      record(p, "acmechat.dev", "TXT").map((r) => r.content),
      ['"v=spf1 include:_spf.google.com ~all"'],
    );
    assert.deepEqual(
      record(p, "pm-bounces.acmechat.dev", "CNAME").map((r) => r.content),
      ["pm.mtasv.net"],
    );
    assert.equal(record(p, "20241101pm._domainkey.acmechat.dev", "TXT").length, 1);
  });

  it("with sslMode full for a first launch, says it is temporary and the pack advises strict", async () => {
    const p = await plan("prod", (c) => (c["launch-ready:edge"].sslMode = "full"));
    assert.equal(ofType(p, T.setting).find((s) => s.props.settingId === "ssl")!.props.value, "full");
    assert.match(p.domainMap.notes.map((n) => n.text).join("\n"), /SSL mode is "full".*remove edge\.sslMode/);
    const { evaluatePolicies } = await import("../../tools/policy/offline");
    const verdicts = await evaluatePolicies(p.resources);
    const strict = verdicts.find((v) => v.policyName === "cloudflare-ssl-strict")!;
    assert.deepEqual([strict.enforcementLevel, strict.status], ["advisory", "violation"]);
    assert.equal(verdicts.find((v) => v.policyName === "cloudflare-ssl-encrypts-origin")!.status, "pass");
  });

  it("on Pro, gives routes their own rate limits and deploys the managed WAF ruleset", async () => {
    const p = await plan("prod", (c) => (c["launch-ready:zone"].plan = "pro"));
    assert.equal(ruleset(p, "http_ratelimit")!.rules.length, 2);
    assert.equal(ruleset(p, "http_request_firewall_managed")!.rules[0].actionParameters.id, "efb7b8c949ac4650a09736fc376e9aee");
  });

  it("imports existing records and rulesets instead of re-creating them", async () => {
    const p = await plan("prod", (c) => {
      c["launch-ready:zone"].existingRecords = { "www web": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
      c["launch-ready:zone"].existingRulesets = { http_request_cache_settings: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" };
    });
    assert.equal(
      p.resources.find((r) => r.name === "launch-ready-domain-www-web")!.opts.importId,
      "0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert.equal(
      p.resources.find((r) => r.name === "launch-ready-edge-cache-http_request_cache_settings")!.opts.importId,
      "zones/0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    );
    // pulumi destroy leaves an adopted record in the zone; a record the stack created goes.
    assert.equal(p.resources.find((r) => r.name === "launch-ready-domain-www-web")!.opts.retainOnDelete, true);
    assert.equal(p.resources.find((r) => r.name === "launch-ready-domain-apex-web")!.opts.retainOnDelete, false);
    // An adopted entrypoint keeps its dashboard name: a name change would replace it, which the engine refuses after an import.
    assert.deepEqual(p.resources.find((r) => r.name === "launch-ready-edge-cache-http_request_cache_settings")!.opts.ignoreChanges, ["name"]);
    assert.deepEqual(p.resources.find((r) => r.name === "launch-ready-edge-security-http_ratelimit")!.opts.ignoreChanges, []);
    const handover = renderHandover(p.domainMap, HANDOVER);
    assert.match(handover, /`www\.acmechat\.dev` \| CNAME .*\| redirect \(adopted\) \|/);
    assert.match(handover, /1 record\(s\) marked "adopted" existed before this stack: .*`pulumi destroy` leaves them in the zone/);
    const checked = conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT });
    assert.deepEqual(
      checked.findings.map((f) => f.message),
      [],
      "the adopted stack passes the conformance checks",
    );
    const withoutIgnore = p.resources.map((r) =>
      r.name === "launch-ready-edge-cache-http_request_cache_settings" ? { ...r, opts: { ...r.opts, ignoreChanges: [] } } : r,
    );
    const refused = conformanceOf({ resources: withoutIgnore, config: p.config, project: p.project, programDir: REPO_ROOT }).findings;
    assert.equal(refused.length, 1);
    assert.match(refused[0].message, /is adopted \(import zones\/.*\) and declares name, which forces a replacement/);
  });

  it("on staging, declares only its own hosts and leaves the zone's settings and rulesets to prod", async () => {
    const p = await plan("staging");
    assert.equal(ofType(p, T.setting).length, 0);
    assert.equal(ofType(p, T.ruleset).length, 0);
    // Vercel's verification TXT lives at _vercel.<apex> for every host (issue 21): staging's own records there name its hosts.
    const vercelTxt = records(p).filter((r) => r.name === "_vercel.acmechat.dev");
    assert.deepEqual(
      vercelTxt.map((r) => r.comment),
      ["launch-ready: Vercel domain verification for staging.acmechat.dev", "launch-ready: Vercel domain verification for staging-api.acmechat.dev"],
    );
    const names = records(p)
      .filter((r) => !vercelTxt.includes(r))
      .map((r) => r.name as string);
    assert.ok(
      names.every((n) => /(^|\.)staging(-api)?\.acmechat\.dev$/.test(n)),
      names.join(", "),
    );
    assert.deepEqual(
      ofType(p, T.domain).map((d) => d.props.domain),
      ["staging.acmechat.dev", "staging-api.acmechat.dev"],
    );
    assert.ok(ofType(p, T.envVar).every((v) => v.props.projectId === "prj_AcmeChatStaging3Lm8"));
  });

  it("refuses a bad config before declaring any resource", async () => {
    const config = shippedConfig("prod");
    config["launch-ready:zone"].id = "nope";
    await assert.rejects(planStack("prod", { stackFile: { config } }), /launch-ready:zone\.id: must be the 32-character hex zone id/);
  });
});

describe("the program, offline (uptime targets: an edge config)", function () {
  this.timeout(60_000);
  it("custom targets reach the alarms; with latency not measured there is no latency alarm and the dashboard says what it shows", async () => {
    const p = await plan("prod", (c) => {
      c["launch-ready:uptime"].availabilityTarget = 99.99;
      c["launch-ready:uptime"].availabilityAlertBelow = 99.9;
      c["launch-ready:uptime"].measureLatency = false;
      c["launch-ready:uptime"].endpoints[1].latencyTargetMs = 8000; // chat: slow model answers
    });
    const alarms = ofType(p, T.alarm);
    assert.equal(alarms.filter((a) => a.props.metricName === "TimeToFirstByte").length, 0);
    const availability = alarms.filter((a) => a.props.metricName === "HealthCheckPercentageHealthy");
    assert.equal(availability.length, 9);
    for (const a of availability) {
      assert.deepEqual([a.props.threshold, a.props.period, a.props.evaluationPeriods, a.props.statistic], [99.9, 86400, 1, "Average"]);
      assert.match(String(a.props.alarmDescription), /was up less than 99\.9% of the last day \(target 99\.99%\)/);
    }
    assert.ok(p.domainMap.notes.some((n) => n.topic === "uptime" && n.text.startsWith("Latency is not watched: uptime.measureLatency is false")));
    assert.equal(p.domainMap.monitors.find((m) => m.name === "chat")!.latencyTargetMs, 8000);
    const body = JSON.parse(String(ofType(p, "aws:cloudwatch/dashboard:Dashboard")[0].props.dashboardBody));
    assert.equal(body.widgets[3].properties.metrics.length, 0, "no latency data to show");
    assert.equal(body.widgets[2].properties.title, "Availability (target 99.99%)");
  });

  it("an alert level above the target is refused with the fix", async () => {
    await assert.rejects(
      plan("prod", (c) => {
        c["launch-ready:uptime"].availabilityTarget = 99;
        c["launch-ready:uptime"].availabilityAlertBelow = 99.5;
      }),
      /launch-ready:uptime\.availabilityAlertBelow: must be at most uptime\.availabilityTarget: the alert fires below the target, not above it/,
    );
  });
});
