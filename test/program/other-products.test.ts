/**
 * Issue 21, finding 7: the program and the pack tried as a new user would, on a product that is
 * not the AcmeChat example: OpsGPT on opsgpt.dev (Pro zone, www canonical), mail on Fastmail (DKIM
 * as CNAMEs into fmhosted.com) and Postmark (its Return-Path at pm-bounces), one login rate limit.
 */
import { strict as assert } from "assert";
import { planStack } from "../../tools/offline/plan";
import { conformanceOf, REPO_ROOT } from "../../tools/conformance/run";
import { evaluatePolicies, PolicyVerdict } from "../../tools/policy/offline";
import { runConformance } from "../../lib/conformance";
import { ConfigError, validateStackConfig } from "../../lib/config/validate";
import { allSecretsSet, PROJECT_NAME } from "../helpers/stack-config";
import { RESOURCE_TYPES as T } from "../../policies/shared/resource-types";
import { res } from "../fixtures/policies/stacks";

function opsgpt(): Record<string, any> {
  return {
    "aws:region": "us-east-1",
    "launch-ready:environment": "production",
    "launch-ready:zone": { name: "opsgpt.dev", id: "1".repeat(32), accountId: "2".repeat(32), plan: "pro" },
    "launch-ready:site": { name: "@", canonical: "www", target: "vercel", healthPath: "/" },
    "launch-ready:edge": { rateLimits: [{ name: "login", paths: ["/auth/login"], requests: 5, periodSeconds: 60 }] },
    "launch-ready:email": {
      senders: [
        {
          name: "fastmail",
          kind: "custom",
          spfInclude: "spf.messagingengine.com",
          dkim: [1, 2, 3].map((n) => ({ selector: `fm${n}`, type: "CNAME", value: `fm${n}.opsgpt.dev.dkim.fmhosted.com` })),
        },
        {
          name: "postmark",
          kind: "postmark",
          dkim: [{ selector: "20240101pm", type: "TXT", value: "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC" }],
          records: [{ name: "pm-bounces", type: "CNAME", content: "pm.mtasv.net" }],
        },
      ],
      dmarc: { policy: "none", rua: ["dmarc@opsgpt.dev"] },
      mx: [
        { priority: 10, host: "in1-smtp.messagingengine.com" },
        { priority: 20, host: "in2-smtp.messagingengine.com" },
      ],
    },
    "launch-ready:hosting": { projectId: "prj_OpsGpt1", env: { production: {}, preview: {}, development: {} } },
    "launch-ready:alerts": { emails: ["oncall@opsgpt.dev"] },
  };
}

/** The config problems of a variant, "key: message" each ([] when valid), as the program refuses it before declaring anything. */
function configIssues(config: Record<string, any>): string[] {
  const raw = Object.fromEntries(Object.entries(config).flatMap(([k, v]) => (k.startsWith("launch-ready:") ? [[k.slice("launch-ready:".length), v]] : [])));
  try {
    validateStackConfig(raw, "prod", allSecretsSet, PROJECT_NAME);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.key}: ${i.message}`);
  }
}

const verdict = (verdicts: PolicyVerdict[], name: string) => verdicts.find((v) => v.policyName === name)!;

describe("another product: opsgpt.dev on Fastmail and Postmark (finding 7)", function () {
  this.timeout(60_000);

  it("passes no-staging-hosts-in-production: the dev inside Fastmail's DKIM target is Fastmail's name, not a staging host", async () => {
    const p = await planStack("prod", { stackFile: { config: opsgpt() } });
    assert.ok(p.resources.some((r) => r.props.content === "fm1.opsgpt.dev.dkim.fmhosted.com"));
    assert.deepEqual(conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT }).findings, []);
    const verdicts = await evaluatePolicies(p.resources, { stackTags: new Map() });
    assert.equal(verdict(verdicts, "no-staging-hosts-in-production").status, "pass", JSON.stringify(verdict(verdicts, "no-staging-hosts-in-production")));
    assert.deepEqual(
      verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory").map((v) => v.policyName),
      [],
    );
  });

  it("judges the routes the founder declared, not the program's default never-cache paths, and names the config key that adds a limit", async () => {
    const config = opsgpt();
    // No edge.cache: the default privatePaths (/signup, /webhooks/...) are in the cache rules, and the app has neither route.
    assert.equal(config["launch-ready:edge"].cache, undefined);
    const plain = await planStack("prod", { stackFile: { config } });
    const rateLimits = verdict(await evaluatePolicies(plain.resources, { stackTags: new Map() }), "ratelimit-for-sensitive-routes");
    assert.notEqual(rateLimits.status, "violation", rateLimits.violations.map((v) => v.message).join("\n"));
    // A route the founder does declare (a monitored chat endpoint) with no limit is still reported, with the key to set.
    config["launch-ready:uptime"] = { endpoints: [{ name: "chat", path: "/api/chat/health", expect: "ok" }] };
    const withChat = await planStack("prod", { stackFile: { config } });
    const v = verdict(await evaluatePolicies(withChat.resources, { stackTags: new Map() }), "ratelimit-for-sensitive-routes");
    assert.deepEqual(
      v.violations.map((x) => x.message),
      [
        'route /api/chat/health (from health check launch-ready-uptime-endpoint-chat) is not covered by any rate-limit rule: add a limit with paths [/api/chat] to Launch Ready config edge.rateLimits (a hand-written stack: a rate-limit rule whose expression names "/chat").',
      ],
    );
  });

  it("puts Postmark's Return-Path where the catalogue says: a CNAME at pm-bounces that carries SPF, no TXT there and no apex include", async () => {
    const config = opsgpt();
    config["launch-ready:email"].senders[1].mailFrom = "pm-bounces";
    assert.deepEqual(configIssues(config), []);
    const p = await planStack("prod", { stackFile: { config } });
    const at = (name: string) => p.resources.filter((r) => r.type === T.dnsRecord && r.props.name === name).map((r) => `${r.props.type} ${r.props.content}`);
    assert.deepEqual(at("pm-bounces.opsgpt.dev"), ["CNAME pm.mtasv.net"]);
    assert.deepEqual(at("_dmarc.pm-bounces.opsgpt.dev"), [], "a return path sends mail: no lock-down DMARC");
    const apexSpf = at("opsgpt.dev").filter((r) => r.includes("v=spf1"));
    assert.deepEqual(apexSpf, ['TXT "v=spf1 include:spf.messagingengine.com ~all"']);
  });

  it("refuses an SPF include for Postmark: its Return-Path CNAME carries SPF", () => {
    const config = opsgpt();
    config["launch-ready:email"].senders[1].spfInclude = "spf.mtasv.net";
    const issues = configIssues(config);
    assert.equal(issues.length, 1, issues.join("\n"));
    assert.match(
      issues[0],
      /^launch-ready:email.senders\[1\].spfInclude: Postmark needs no SPF entry here: its return path pm-bounces.opsgpt.dev is a CNAME to the provider, which carries SPF/,
    );
  });

  it("refuses a record beside a CNAME whatever key asked for it: a sender's verification TXT at a DNS-only subdomain", async () => {
    const config = opsgpt();
    config["launch-ready:subdomains"] = [{ name: "status", target: { cname: "statuspage.betteruptime.com" }, proxied: false, caIssuers: ["letsencrypt.org"] }];
    config["launch-ready:email"].senders[1].records.push({ name: "status", type: "TXT", content: "postmark-verification=abc" });
    const issues = configIssues(config);
    assert.equal(issues.length, 1, issues.join("\n"));
    assert.match(
      issues[0],
      /^launch-ready:email.senders\[1\].records\[1\]: status.opsgpt.dev would hold a CNAME \(subdomains\[0\]\) and a TXT record \(email.senders\[1\].records\[1\]\)/,
    );
    assert.match(issues[0], /Keep one: remove subdomains\[0\], or give email.senders\[1\].records\[1\] a name of its own/);
    // Proxied makes no difference: Cloudflare does not document accepting a record beside a proxied CNAME.
    config["launch-ready:subdomains"][0].proxied = true;
    assert.equal(configIssues(config).length, 1);
  });

  it("conformance refuses a record beside a CNAME in any program, with Cloudflare's rule and its source", () => {
    const zoneId = "3".repeat(32);
    const rec = (name: string, type: string, content: string, proxied = false) =>
      res(T.dnsRecord, `${name}-${type}`, { zoneId, name, type, content, proxied, ttl: 1 });
    const bounce = [rec("pm-bounces.opsgpt.dev", "CNAME", "pm.mtasv.net"), rec("PM-Bounces.opsgpt.dev.", "TXT", '"v=spf1 include:spf.mtasv.net ~all"')];
    const [f, ...more] = runConformance(bounce).findings;
    assert.deepEqual(more, []);
    assert.equal(f.check, "engine");
    assert.equal(f.name, "PM-Bounces.opsgpt.dev.-TXT");
    assert.equal(f.allowed, "no TXT record at a name that holds a CNAME");
    assert.match(f.message, /shares its name with the CNAME "pm-bounces.opsgpt.dev-CNAME".*A CNAME record with that host already exists. \(81054\)/);
    assert.match(f.source, /^https:\/\/developers.cloudflare.com\/dns\/manage-dns-records\/troubleshooting\/records-with-same-name\//);
    // A proxied CNAME is judged the same; the apex CNAME (flattened) may share its name with an MX, never with an address record.
    assert.equal(runConformance([rec("app.opsgpt.dev", "CNAME", "cname.vercel-dns.com", true), rec("app.opsgpt.dev", "TXT", '"x"')]).findings.length, 1);
    assert.deepEqual(runConformance([rec("opsgpt.dev", "CNAME", "apex.example.net"), rec("opsgpt.dev", "MX", "in1-smtp.messagingengine.com")]).findings, []);
    const address = runConformance([rec("@", "CNAME", "apex.example.net", true), rec("@", "A", "203.0.113.9", true)]).findings;
    assert.deepEqual(
      address.map((x) => x.allowed),
      ["no A record at a name that holds a CNAME (at the apex: no A, AAAA or CNAME)"],
    );
    // Another zone's record of the same name is no conflict.
    assert.deepEqual(runConformance([bounce[0], { ...bounce[1], props: { ...bounce[1].props, zoneId: "4".repeat(32) } }]).findings, []);
  });
});
