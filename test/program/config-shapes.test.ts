/**
 * Config that fits what founders have (issue 22 item 3): any one alert channel is enough, none is
 * a clear error naming the three ways; every required key and list item shape is in its error
 * message and in README's config reference. On stacks that are not the AcmeChat example.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { ConfigError, validateStackConfig } from "../../lib/config/validate";
import { SHAPES, stackConfigSchema } from "../../lib/config/schema";
import { planStack } from "../../tools/offline/plan";
import { REPO_ROOT } from "../../tools/conformance/run";
import { evaluatePolicies } from "../../tools/policy/offline";
import { RESOURCE_TYPES as T } from "../../policies/shared/resource-types";
import { allSecretsSet } from "../helpers/stack-config";

/** quillnote.io on a Pro zone, www canonical, a docs host elsewhere, Postmark mail, no alerts yet. */
function quillnote(): Record<string, any> {
  return {
    environment: "production",
    zone: { name: "quillnote.io", id: "e".repeat(32), accountId: "f".repeat(32), plan: "pro" },
    site: { name: "@", canonical: "www", target: "vercel" },
    subdomains: [{ name: "api", target: "vercel", api: true, healthPath: "/health" }],
    email: {
      senders: [
        { name: "postmark", kind: "postmark", dkim: [{ selector: "20250101pm", type: "TXT", value: "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC" }] },
      ],
      dmarc: { rua: ["dmarc@quillnote.io"] },
    },
    hosting: { projectId: "prj_Quill1" },
    alerts: {},
  };
}

function problems(edit: (raw: Record<string, any>) => void): string[] {
  const raw = quillnote();
  edit(raw);
  try {
    validateStackConfig(raw, "prod", allSecretsSet, "quillnote");
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.key}: ${i.message}`);
  }
}

const NO_CHANNEL =
  "names no channel, so a monitor would alert nobody: give it at least one of emails: [address], slack: { workspaceId, channelId } or webhooks: [https URL | { secret: configKeyName } | { name, url }]";

describe("alerts: any one channel is enough", function () {
  this.timeout(60_000);

  it("no channel at all, or no alerts key, is one clear error naming alerts and the three ways", () => {
    assert.deepEqual(
      problems(() => {}),
      [`quillnote:alerts: ${NO_CHANNEL}`],
    );
    assert.deepEqual(
      problems((raw) => (raw.alerts = { emails: [], webhooks: [] })),
      [`quillnote:alerts: ${NO_CHANNEL}`],
    );
    assert.deepEqual(
      problems((raw) => delete raw.alerts),
      [
        "quillnote:alerts: is required: `alerts` needs at least one channel: emails: [address], slack: { workspaceId, channelId } or webhooks: [https URL | { secret: configKeyName } | { name, url }]",
      ],
    );
  });

  it("email alone, Slack alone or a webhook alone is accepted", () => {
    assert.deepEqual(
      problems((raw) => (raw.alerts = { emails: ["oncall@quillnote.io"] })),
      [],
    );
    assert.deepEqual(
      problems((raw) => (raw.alerts = { slack: { workspaceId: "T0QUILL1", channelId: "C0QUILL1" } })),
      [],
    );
    assert.deepEqual(
      problems((raw) => (raw.alerts = { webhooks: ["https://events.example-pager.net/quillnote"] })),
      [],
    );
  });

  it("a webhook-only stack plans with no mandatory violation: its https subscription is the topic's subscriber; no certificate notification, said in the plan", async () => {
    const raw = quillnote();
    raw.alerts = { webhooks: [{ name: "pager", url: { secret: "pagerAlertUrl" } }] };
    const config = Object.fromEntries([["aws:region", "us-east-1"], ...Object.entries(raw).map(([k, v]) => [`launch-ready:${k}`, v])]);
    const p = await planStack("prod", { stackFile: { config }, program: path.join(REPO_ROOT, "index.ts") });
    const subscriptions = p.resources.filter((r) => r.type === T.snsSubscription);
    assert.deepEqual(
      subscriptions.map((s) => s.props.protocol),
      ["https"],
    );
    assert.equal(p.resources.filter((r) => r.type === "cloudflare:index/notificationPolicy:NotificationPolicy").length, 0);
    assert.ok(
      p.domainMap.notes.map((n) => n.text).some((n) => n.startsWith("Certificate alerts: Cloudflare sends certificate events (a failed renewal) by email")),
    );
    assert.ok(
      !p.resources.some((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord" && (r.props.data as { tag?: string } | undefined)?.tag === "iodef"),
      "no iodef without an address",
    );
    const verdicts = await evaluatePolicies(p.resources, { stackTags: new Map() });
    assert.deepEqual(
      verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory").map((v) => v.policyName),
      [],
    );
    assert.equal(verdicts.find((v) => v.policyName === "ssl-expiry-notifications")?.status, "violation", "the advisory says certificate events reach nobody");
  });
});

describe("required keys and list items: the shape is in the message", () => {
  it("a sender, its DKIM keys and its records", () => {
    assert.deepEqual(
      problems((raw) => {
        raw.alerts = { emails: ["oncall@quillnote.io"] };
        raw.email.senders.push({ kind: "resend" });
        raw.email.senders.push({ name: "ses", dkim: { selector: "ses1", type: "CNAME", value: "ses1.dkim.amazonses.com" } });
        raw.email.senders.push({
          name: "mailgun",
          kind: "mailgun",
          dkim: [{ selector: "mg" }],
          records: [{ name: "mg", content: "v=spf1 include:mailgun.org ~all" }],
        });
      }),
      [
        "quillnote:email.senders[1].name: is required: a sender needs `name` and `kind` (google-workspace, microsoft-365, amazon-ses, resend, postmark, sendgrid, mailgun, brevo, zoho-mail, mailchimp-transactional, loops, customer-io, fastmail, custom); `dkim` is a list of `{ selector, type, value }`, `records` a list of `{ name, type, content }`",
        "quillnote:email.senders[2].kind: is required: a sender needs `name` and `kind` (google-workspace, microsoft-365, amazon-ses, resend, postmark, sendgrid, mailgun, brevo, zoho-mail, mailchimp-transactional, loops, customer-io, fastmail, custom); `dkim` is a list of `{ selector, type, value }`, `records` a list of `{ name, type, content }`",
        "quillnote:email.senders[2].dkim: must be a list, not a mapping (key: value): `dkim` is a list of `{ selector, type, value }` (type CNAME or TXT), as the provider gives them",
        "quillnote:email.senders[3].dkim[0].type: is required: a DKIM key needs `selector`, `type` (CNAME or TXT) and `value`",
        "quillnote:email.senders[3].dkim[0].value: is required: a DKIM key needs `selector`, `type` (CNAME or TXT) and `value`",
        "quillnote:email.senders[3].records[0].type: is required: a sender's record needs `name`, `type` (TXT, MX or CNAME) and `content` (`priority` for MX)",
      ],
    );
  });

  it("mx, DMARC, subdomains, rate limits, uptime endpoints, the zone and hosting", () => {
    assert.deepEqual(
      problems((raw) => {
        raw.alerts = { emails: ["oncall@quillnote.io"] };
        raw.email.mx = [{ priority: 1 }];
        raw.email.dmarc = {};
        raw.subdomains.push({ name: "app" });
        raw.edge = { rateLimits: [{ name: "login", requests: 5, periodSeconds: 60 }] };
        raw.uptime = { endpoints: [{ name: "health" }] };
        delete raw.zone.accountId;
        raw.hosting = {};
      }),
      [
        "quillnote:zone.accountId: is required: `zone` needs `name`, `id` and `accountId` (`plan` defaults to free)",
        'quillnote:subdomains[1].target: is required: a subdomain needs `name` and `target` ("vercel", `{ cname: host }`, `{ ipv4: address }` or `{ ipv6: address }`)',
        "quillnote:edge.rateLimits[0].paths: is required: a rate limit needs `name`, `paths` (a list of paths), `requests` and `periodSeconds` (`action` defaults to block)",
        "quillnote:email.dmarc.rua: is required: `dmarc` needs `rua`, a list of report addresses (`policy` defaults to none)",
        "quillnote:email.mx[0].host: is required: an MX needs `priority` and `host`, e.g. `{ priority: 1, host: smtp.google.com }`",
        "quillnote:hosting.projectId: is required: `hosting` needs `projectId` (the Vercel project, prj_...); `teamId` and `env` optional",
        "quillnote:uptime.endpoints[0].path: is required: an endpoint needs `name` and `path` (`host`, `expect`, `latencyTargetMs` optional)",
      ],
    );
  });
});

/** The schema at a SHAPES path ("email.senders[].dkim[]", "edge.extraRules.*[]"), or undefined when the path is not the schema's. */
function schemaAt(path: string): z.ZodType | undefined {
  const unwrap = (s: any): any => {
    const def = s?._zod?.def;
    if (def && ["default", "optional", "nullable", "prefault"].includes(def.type)) return unwrap(def.innerType);
    if (def?.type === "pipe") return unwrap(def.in);
    return s;
  };
  let node: any = unwrap(stackConfigSchema);
  for (const part of path.split(/\.|(?=\[\])/)) {
    const def = node?._zod?.def;
    if (part === "[]") node = def?.type === "array" ? unwrap(def.element) : undefined;
    else if (part === "*") node = def?.type === "record" ? unwrap(def.valueType) : undefined;
    else if (def?.type === "object") node = def.shape[part] ? unwrap(def.shape[part]) : undefined;
    else if (def?.type === "union")
      node = def.options.map(unwrap).find((o: any) => o?._zod?.def?.type === "object" && part in o._zod.def.shape)?._zod.def.shape[part];
    else node = undefined;
    if (!node) return undefined;
  }
  return node;
}

describe("the shapes the messages give", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

  it("each names a path of the schema, and every key it says is required is required there", () => {
    for (const [at, shape] of Object.entries(SHAPES)) {
      const schema = schemaAt(at);
      assert.ok(schema, `${at} is a path of the stack config schema`);
      const item: any = (schema as any)._zod.def.type === "array" ? schemaAt(`${at}[]`) : schema;
      const needs = /needs (.*?)(?:\(|;|$)/.exec(shape)?.[1] ?? "";
      for (const [, key] of needs.matchAll(/`(\w+)`/g)) {
        if (item?._zod?.def?.type !== "object") continue;
        const field = item._zod.def.shape[key];
        assert.ok(field, `${at}: ${key} is a key there`);
        assert.equal(field.safeParse(undefined).success, false, `${at}: ${key} is required there`);
      }
    }
  });

  it("README's config reference carries every one of them", () => {
    for (const shape of Object.values(SHAPES)) assert.ok(readme.includes(shape), `README says: ${shape}`);
  });
});
