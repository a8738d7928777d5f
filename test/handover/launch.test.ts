import * as assert from "assert";
import { renderHandover } from "../../lib/handover";
import { planTurnstile } from "../../lib/hosting/turnstile";
import { stackConfigSchema } from "../../lib/config/schema";
import { webHosts } from "../../lib/dns/records";
import { fixtureMap, part, row, section } from "./helpers";
import { HANDOVER, rawConfig } from "../helpers/stack-config";

const titles = (doc: string) => [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);

describe("handover: launch features", () => {
  it("explains the CAA, DNSSEC, headers, Turnstile and cost of the shipped prod stack in plain words", () => {
    const doc = renderHandover(fixtureMap(), HANDOVER);
    assert.match(
      section(doc, "Who may issue certificates (CAA)"),
      /Besides Cloudflare's: `letsencrypt\.org` for `acmechat\.dev`, .*; `pki\.goog` for `docs\.acmechat\.dev`\./,
    );
    assert.match(section(doc, "DNSSEC"), /pulumi stack output dnssecDs --stack prod/);
    assert.match(section(doc, "DNSSEC"), /1\. Remove the DS record at the registrar\.\n2\. Wait/);
    assert.ok(section(doc, "Security headers").includes("`X-Frame-Options: SAMEORIGIN`"));
    assert.match(section(doc, "Security headers"), /1\. Start in report-only/);
    assert.match(section(doc, "Turnstile on signup and login"), /secret in `TURNSTILE_SECRET_KEY` \(sensitive, server only\)/);
    assert.deepStrictEqual(row(part(doc, "What this costs each month"), "CloudWatch dashboard"), ["CloudWatch dashboard", "1", "$3.00", "$3.00"]);
    assert.match(part(doc, "What this costs each month"), /\*\*\$58\.45 a month\*\*/);
    assert.deepStrictEqual(row(section(doc, "Environment variables"), "`TURNSTILE_SECRET_KEY`"), [
      "`TURNSTILE_SECRET_KEY`",
      "Production",
      "created by cloudflare.TurnstileWidget, copied by Pulumi, sensitive in Vercel (never in the stack file)",
    ]);
    assert.match(section(doc, "Rotating secrets"), /`TURNSTILE_SECRET_KEY` is not in the stack config: rotate it in the Cloudflare dashboard/);
  });

  it("says what a stack without them means, and leaves out what a map of an earlier release does not know", () => {
    const off = fixtureMap();
    off.edge.caa = { published: false, issuers: [] };
    off.edge.securityHeaders = [];
    off.edge.dnssec = false;
    delete off.turnstile;
    delete off.email.tlsReporting;
    off.monthlyCost!.lines.push({ item: "Cloudflare Enterprise plan", quantity: 1, unitUsd: null, monthlyUsd: null, source: "x" });
    const doc = renderHandover(off, HANDOVER);
    assert.match(section(doc, "Who may issue certificates (CAA)"), /CAA is off for this stack/);
    assert.match(section(doc, "Security headers"), /adds no security headers/);
    assert.match(row(part(doc, "What this costs each month"), "Cloudflare Enterprise plan").join("|"), /by contract\|by contract/);
    for (const gone of ["DNSSEC", "Turnstile on signup and login"]) assert.ok(!titles(doc).includes(gone), gone);
    assert.ok(!doc.includes("**Mail delivery over TLS**"));

    const shared = fixtureMap();
    shared.zone.managesZoneSettings = false;
    shared.edge.caa = { published: false, issuers: [] };
    shared.edge.securityHeaders = [];
    const sharedDoc = renderHandover(shared, HANDOVER);
    assert.match(section(sharedDoc, "Who may issue certificates (CAA)"), /The stack that manages `acmechat\.dev` publishes the CAA records/);
    assert.ok(!titles(sharedDoc).includes("Security headers"));

    const older = fixtureMap();
    delete older.edge.caa;
    delete older.edge.securityHeaders;
    delete older.monthlyCost;
    const olderDoc = renderHandover(older, HANDOVER);
    for (const gone of ["Who may issue certificates (CAA)", "Security headers"]) assert.ok(!titles(olderDoc).includes(gone), gone);
    assert.ok(!olderDoc.includes("### What this costs each month"));
  });

  it("reports a CAA allowing only Cloudflare, and a report-only CSP already on", () => {
    const map = fixtureMap();
    map.edge.caa = { published: true, issuers: [] };
    map.edge.securityHeaders!.push({ name: "Content-Security-Policy-Report-Only", value: "default-src 'self'" });
    const doc = renderHandover(map, HANDOVER);
    assert.match(section(doc, "Who may issue certificates (CAA)"), /Only Cloudflare's authorities may issue/);
    assert.match(section(doc, "Security headers"), /1\. Report-only is on/);
  });
});

describe("Turnstile plan", () => {
  const parse = (edit: (raw: Record<string, any>) => void) => {
    const raw = rawConfig("prod");
    edit(raw);
    const config = stackConfigSchema.parse(raw);
    return planTurnstile(config, "prod", webHosts(config.zone, config.site, config.subdomains));
  };

  it("needs a host on Vercel and two different variables", () => {
    const found = parse((raw) => {
      raw.site.target = { ipv4: "203.0.113.10" };
      raw.subdomains = [];
      raw.turnstile.siteKeyVar = "TURNSTILE_KEY";
      raw.turnstile.secretVar = "TURNSTILE_KEY";
    });
    assert.deepStrictEqual(
      found.problems.map((p) => `${p.path}: ${p.message}`),
      [
        "enabled: needs a host served by Vercel (the widget's keys go into the Vercel project): no host targets vercel",
        "siteKeyVar: must differ from turnstile.secretVar",
      ],
    );
  });

  it("declares nothing when off", () => {
    assert.deepStrictEqual(
      parse((raw) => (raw.turnstile.enabled = false)),
      { problems: [] },
    );
  });
});
