/**
 * Issue "Launch features": CAA, DNSSEC, security headers, Turnstile, TLS reporting and the
 * monthly cost, as the program declares them for the shipped stacks and for the edge configs.
 */
import { strict as assert } from "assert";
import { isSecretValue } from "../../lib/planned/secrets";
import { UNKNOWN } from "../../lib/conformance/values-path";
import { planStack, OfflinePlan } from "../../tools/offline/plan";
import { UNKNOWN_OUTPUT } from "../../tools/offline/recorder";
import { conformanceOf, REPO_ROOT } from "../../tools/conformance/run";
import { RESOURCE_TYPES as T } from "../../policies/shared/resource-types";
import { configProblems, shippedConfig } from "../helpers/stack-config";

async function plan(stack: "prod" | "staging", edit: (c: Record<string, any>) => void = () => undefined): Promise<OfflinePlan> {
  const config = shippedConfig(stack);
  edit(config);
  return planStack(stack, { stackFile: { config } });
}

const problems = configProblems;

const ofType = (p: OfflinePlan, type: string) => p.resources.filter((r) => r.type === type);
const caaRecords = (p: OfflinePlan) => ofType(p, T.dnsRecord).filter((r) => r.props.type === "CAA");

describe("launch features, offline", function () {
  this.timeout(60_000);
  let prod: OfflinePlan;
  let staging: OfflinePlan;
  before(async () => {
    [prod, staging] = [await plan("prod"), await plan("staging")];
  });

  describe("CAA", () => {
    it("allows exactly what the hosts need, in `data` (Cloudflare refuses content beside it), with iodef to the alert address", () => {
      const caa = caaRecords(prod).map((r) => [r.props.name, r.props.data, "content" in r.props]);
      assert.deepEqual(caa, [
        ["acmechat.dev", { flags: 0, tag: "issue", value: "letsencrypt.org" }, false],
        ["acmechat.dev", { flags: 0, tag: "issue", value: "pki.goog" }, false],
        ["acmechat.dev", { flags: 0, tag: "iodef", value: "mailto:oncall@acmechat.dev" }, false],
      ]);
      assert.deepEqual(
        prod.domainMap.edge.caa?.issuers,
        [
          { issuer: "letsencrypt.org", hosts: ["acmechat.dev", "app.acmechat.dev", "api.acmechat.dev", "docs.acmechat.dev", "status.acmechat.dev"] },
          { issuer: "pki.goog", hosts: ["docs.acmechat.dev"] },
        ],
        "the redirecting twin never reaches Vercel, so it needs no authority",
      );
      assert.equal(caaRecords(staging).length, 0, "the stack that owns the zone publishes CAA");
    });

    it("refuses a DNS-only host on another provider with no caIssuers, naming the key and the fix", () => {
      const found = problems((raw) => delete raw.subdomains[3].caIssuers);
      assert.deepEqual(found, [
        'launch-ready:subdomains[3].caIssuers: status.acmechat.dev is DNS-only and served by its provider, which issues its own certificate; the zone\'s CAA records would refuse it. List the provider\'s certificate authorities here (ask the provider; e.g. ["letsencrypt.org"] or ["pki.goog"]), or set zone.caa.enabled to false',
      ]);
    });

    it("switched off, publishes nothing and says what that means; a custom iodef is used", async () => {
      const off = await plan("prod", (c) => (c["launch-ready:zone"].caa = { enabled: false }));
      assert.equal(caaRecords(off).length, 0);
      assert.match(off.domainMap.notes.map((n) => n.text).join("\n"), /CAA is off \(zone\.caa\.enabled false\): any certificate authority may issue/);
      const iodef = await plan("prod", (c) => (c["launch-ready:zone"].caa = { iodef: "security@acmechat.dev" }));
      assert.deepEqual(caaRecords(iodef).pop()!.props.data, { flags: 0, tag: "iodef", value: "mailto:security@acmechat.dev" });
    });

    it("with every host proxied to its own origin, forbids every other authority and notes the origin's certificate", async () => {
      const proxiedOnly = await plan("prod", (c) => {
        c["launch-ready:site"].target = { ipv4: "203.0.113.10" };
        c["launch-ready:subdomains"] = [];
        delete c["launch-ready:site"].apiCorsOrigins;
        c["launch-ready:hosting"].env.production = {};
        c["launch-ready:hosting"].env.preview = {};
        c["launch-ready:hosting"].env.development = {};
        c["launch-ready:turnstile"] = { enabled: false };
        c["launch-ready:uptime"].endpoints = [];
      });
      assert.deepEqual(
        caaRecords(proxiedOnly).map((r) => (r.props.data as { value: string }).value),
        [";", "mailto:oncall@acmechat.dev"],
      );
      assert.match(
        proxiedOnly.domainMap.notes.map((n) => n.text).join("\n"),
        /acmechat\.dev is proxied to its own origin: if that origin serves a publicly issued certificate/,
      );
    });
  });

  describe("DNSSEC", () => {
    it("signs the zone that the stack manages, with the DS as a stack output known after pulumi up", () => {
      const [dnssec] = ofType(prod, T.zoneDnssec);
      assert.deepEqual(dnssec.props, { zoneId: "0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60", status: "active" });
      assert.equal(prod.outputs.dnssecDs, UNKNOWN_OUTPUT);
      assert.match(prod.domainMap.notes.map((n) => n.text).join("\n"), /stays pending.*remove the DS there first/);
      assert.equal(ofType(staging, T.zoneDnssec).length, 0);
      assert.equal(staging.outputs.dnssecDs, undefined);
    });

    it("leaves status to the live value after the create, so a refresh before the DS is at the registrar shows no pending -> active", () => {
      const [dnssec] = ofType(prod, T.zoneDnssec);
      assert.deepEqual(dnssec.opts.ignoreChanges, ["status"]);
      assert.match(prod.domainMap.notes.map((n) => n.text).join("\n"), /a refresh shows no change/);
    });

    it("is refused on a stack that does not own the zone, and can be turned off where it does", async () => {
      assert.deepEqual(
        problems((raw) => (raw.zone.dnssec = true), "staging"),
        ["launch-ready:zone.dnssec: belongs to the stack that manages the zone (zone.manageZoneSettings is false here): remove it"],
      );
      const off = await plan("prod", (c) => (c["launch-ready:zone"].dnssec = false));
      assert.equal(ofType(off, T.zoneDnssec).length, 0);
      assert.equal(off.domainMap.edge.dnssec, false);
    });
  });

  describe("what the provider actually does", () => {
    it("declares Cloudflare-managed robots.txt from edge.waf.robotsTxtManaged (default false, what every earlier apply already sent)", async () => {
      assert.equal(ofType(prod, T.botManagement)[0].props.isRobotsTxtManaged, false);
      const on = await plan("prod", (c) => (c["launch-ready:edge"].waf = { ...c["launch-ready:edge"].waf, robotsTxtManaged: true }));
      assert.equal(ofType(on, T.botManagement)[0].props.isRobotsTxtManaged, true);
    });

    it("declares no Smart Tiered Cache for hosts all on Vercel's anycast network, and says why", () => {
      assert.equal(ofType(prod, T.tieredCache).length, 0);
      assert.match(prod.domainMap.notes.map((n) => n.text).join("\n"), /Smart Tiered Cache is not declared: every proxied host is served by Vercel/);
    });

    it("says the webhook skip rule skips Under Attack mode's challenge, not an IP-reputation one", () => {
      const custom = ofType(prod, T.ruleset).find((r) => r.props.phase === "http_request_firewall_custom")!;
      const skip = (custom.props.rules as any[]).find((r) => r.action === "skip");
      assert.deepEqual(skip.actionParameters.products, ["bic", "securityLevel"]);
      assert.match(skip.description, /Browser Integrity Check and Under Attack mode's challenge/);
      assert.doesNotMatch(JSON.stringify(prod.domainMap), /reputation/i);
    });
  });

  describe("security headers", () => {
    const headerRules = (p: OfflinePlan) =>
      (ofType(p, T.ruleset).find((r) => r.props.phase === "http_response_headers_transform")?.props.rules as Array<Record<string, any>>) ?? [];

    it("sets each header only on a response that lacks it, so the app's own value wins", () => {
      assert.deepEqual(
        headerRules(prod).map((r) => [r.expression, r.action, r.actionParameters]),
        [
          [
            'not any(lower(http.response.headers.names[*])[*] == "referrer-policy")',
            "rewrite",
            { headers: { "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" } } },
          ],
          [
            'not any(lower(http.response.headers.names[*])[*] == "x-frame-options")',
            "rewrite",
            { headers: { "X-Frame-Options": { operation: "set", value: "SAMEORIGIN" } } },
          ],
          [
            'not any(lower(http.response.headers.names[*])[*] == "permissions-policy")',
            "rewrite",
            { headers: { "Permissions-Policy": { operation: "set", value: "camera=(), microphone=(), geolocation=()" } } },
          ],
        ],
      );
    });

    it("adds a report-only CSP when asked, and nothing when switched off", async () => {
      const csp = await plan(
        "prod",
        (c) => (c["launch-ready:edge"].securityHeaders = { contentSecurityPolicyReportOnly: "default-src 'self'; report-uri /csp" }),
      );
      assert.deepEqual(headerRules(csp).pop()!.actionParameters, {
        headers: { "Content-Security-Policy-Report-Only": { operation: "set", value: "default-src 'self'; report-uri /csp" } },
      });
      const off = await plan("prod", (c) => (c["launch-ready:edge"].securityHeaders = { enabled: false }));
      assert.deepEqual(headerRules(off), []);
      assert.deepEqual(off.domainMap.edge.securityHeaders, []);
    });
  });

  describe("Turnstile", () => {
    it("declares a widget for the hosts Vercel serves, its secret a Pulumi secret flowing into a sensitive production variable", () => {
      const [widget] = ofType(prod, T.turnstileWidget);
      assert.deepEqual(widget.props, {
        accountId: "7a1b2c3d4e5f60718293a4b5c6d7e8f9",
        name: "acmechat.dev prod signup and login",
        mode: "managed",
        // Sorted, as the API returns them: in any other order every refresh shows a change (terraform-provider-cloudflare#7028).
        domains: ["acmechat.dev", "api.acmechat.dev", "app.acmechat.dev"],
      });
      const vars = ofType(prod, T.vercelEnv).filter((r) => /TURNSTILE/.test(String(r.props.key)));
      assert.deepEqual(
        vars.map((r) => [r.props.key, r.props.targets, r.props.sensitive, isSecretValue(r.props.value) && r.props.value.value === UNKNOWN]),
        [
          ["NEXT_PUBLIC_TURNSTILE_SITE_KEY", ["production"], false, true],
          ["TURNSTILE_SECRET_KEY", ["production"], true, true],
        ],
      );
      for (const v of vars) assert.deepEqual(v.propertyDependencies.value, [widget.urn], `${v.props.key} comes from the widget`);
      assert.deepEqual(
        prod.domainMap.hosting.env.production.filter((e) => e.source === "generated").map((e) => [e.key, e.sensitive, e.generatedBy]),
        [
          ["NEXT_PUBLIC_TURNSTILE_SITE_KEY", false, "cloudflare.TurnstileWidget"],
          ["TURNSTILE_SECRET_KEY", true, "cloudflare.TurnstileWidget"],
        ],
      );
      assert.equal(ofType(staging, T.turnstileWidget).length, 0, "off unless enabled");
    });

    it("refuses a secret variable the browser could read, and a variable the stack file also sets", () => {
      assert.deepEqual(
        problems((raw) => {
          raw.turnstile.secretVar = "NEXT_PUBLIC_TURNSTILE_SECRET";
          raw.hosting.env.production.NEXT_PUBLIC_TURNSTILE_SITE_KEY = "0x4AAAAAAA";
        }),
        [
          'launch-ready:turnstile.secretVar: "NEXT_PUBLIC_TURNSTILE_SECRET" is exposed to the browser by its prefix: the Turnstile secret verifies tokens on the server only. Use a server name such as TURNSTILE_SECRET_KEY',
          'launch-ready:turnstile.siteKeyVar: "NEXT_PUBLIC_TURNSTILE_SITE_KEY" is also set in hosting.env.production: the widget sets it; remove it there',
        ],
      );
    });
  });

  it("asks senders for TLS failure reports at every name that receives mail (the apex, SES's bounce MX)", () => {
    const tls = ofType(prod, T.dnsRecord).filter((r) => String(r.props.name).startsWith("_smtp._tls."));
    assert.deepEqual(
      tls.map((r) => [r.props.name, r.props.type, r.props.content]),
      [
        ["_smtp._tls.mail.acmechat.dev", "TXT", '"v=TLSRPTv1; rua=mailto:dmarc-reports@acmechat.dev"'],
        ["_smtp._tls.acmechat.dev", "TXT", '"v=TLSRPTv1; rua=mailto:dmarc-reports@acmechat.dev"'],
      ],
    );
    assert.equal(ofType(staging, T.dnsRecord).filter((r) => String(r.props.name).startsWith("_smtp._tls.")).length, 0, "staging receives no mail");
  });

  it("costs what the declared resources cost: the cost's alarm count is the plan's", () => {
    const alarms = ofType(prod, T.metricAlarm).length;
    const line = prod.domainMap.monthlyCost!.lines.find((l) => l.item.startsWith("CloudWatch alarms"))!;
    assert.equal(line.quantity, alarms);
    assert.equal(prod.domainMap.monthlyCost!.lines.find((l) => l.item.startsWith("Route 53 health checks"))!.quantity, ofType(prod, T.healthCheck).length);
    // Hand-worked for prod: 9 checks x $0.75, HTTPS 9 x $2, string matching 5 x $2, latency 9 x $2, 27 alarms x $0.10, one dashboard $3, Free plan $0.
    assert.equal(prod.domainMap.monthlyCost!.totalUsd, 58.45);
    assert.equal(prod.outputs.monthlyCostUsd, 58.45);
  });

  it("passes the conformance checks with every launch feature declared", () => {
    const checked = conformanceOf({ resources: prod.resources, config: prod.config, project: prod.project, programDir: REPO_ROOT });
    assert.deepEqual(
      checked.findings.map((f) => `${f.name} ${f.property}: ${f.message}`),
      [],
    );
  });
});
