/**
 * Issue "No secret leaks and no config mistake passes quietly": each class of realistic
 * mistake, with the exact message (config key, problem, fix). Messages never repeat a secret.
 */
import { strict as assert } from "assert";
import { ConfigError, ConfigLookup, validateStackConfig } from "../../lib/config/validate";
import { planStack } from "../../tools/offline/plan";
import { allSecretsSet, configProblems, PROJECT_NAME, makeWwwCanonical, rawConfig, shippedConfig } from "../helpers/stack-config";

const problems = (edit: (raw: Record<string, any>) => void, lookup: ConfigLookup = allSecretsSet) => configProblems(edit, "prod", lookup);

const STORE_SECRET =
  "not a config key name: write the name of a secret config key here, never the secret. Store the value with pulumi config set --secret <name> (a name such as stripeSecretKeyProduction; it prompts for the value), write { secret: <name> }, and rotate the credential: it was written in plain text";
const STORE_URL =
  "in plain text it would sit in the stack file, the state and the plan. Store it as a secret: pulumi config set --secret <name> (a name such as pagerdutyAlertUrl; it prompts for the URL), then write { name: <short name>, url: { secret: <name> } }; an alert webhook already deployed keeps its subscription when named by its URL's host";

describe("config mistakes: secrets", () => {
  it("a credential typed where a config key name belongs is refused, and never repeated", () => {
    const stripe = "sk_live_51HqLyjWDarjtT1zdp7dcXYZ";
    const github = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    const random = "a8F3kQ9zX2mP7vL4wq";
    const found = problems((raw) => {
      raw.hosting.env.production.STRIPE_SECRET_KEY = { secret: stripe };
      raw.hosting.env.preview.GITHUB_TOKEN = { secret: github };
      raw.hosting.env.preview.SESSION_SECRET = { secret: random };
      raw.hosting.env.development.SIGNING_KEY = { secret: "hosting" };
    });
    assert.deepEqual(found, [
      `launch-ready:hosting.env.production.STRIPE_SECRET_KEY.secret: looks like a Stripe secret key, ${STORE_SECRET}`,
      `launch-ready:hosting.env.preview.GITHUB_TOKEN.secret: looks like a GitHub token, ${STORE_SECRET}`,
      `launch-ready:hosting.env.preview.SESSION_SECRET.secret: looks like a random token, ${STORE_SECRET}`,
      "launch-ready:hosting.env.development.SIGNING_KEY.secret: names the program's own config key hosting: give the secret a name of its own, such as hostingSecret",
    ]);
    for (const value of [stripe, github, random]) assert.ok(!found.join("\n").includes(value));
  });

  it("config key names made of words (with digits, _ or -) are accepted", () => {
    assert.deepEqual(
      problems((raw) => {
        raw.hosting.env.production.A_KEY = { secret: "stripe_key_2024" };
        raw.hosting.env.production.B_KEY = { secret: "openai-api-key-v2" };
      }),
      [],
    );
  });

  it("alert webhook URLs carrying their token are refused in plain text, never repeated; a secret reference is accepted", () => {
    const urls = [
      "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx",
      "https://discord.com/api/webhooks/1234567890/AbCdEfGhIjKlMnOpQrStUvWxYz",
      "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue",
      "https://api.opsgenie.com/v1/json/amazonsns?apiKey=eb243592-faa2-4ba2-a551q-1afdf565c889",
      "https://alerts.example.net/hooks/Zx81Kq03Lm92Pw47Rt65",
    ];
    const found = problems(
      (raw) =>
        (raw.alerts.webhooks = [
          ...urls,
          "https://alerts.example.net/oncall",
          { secret: "slackAlertUrl" },
          { name: "pagerduty", url: { secret: "pagerdutyAlertUrl" } },
        ]),
    );
    assert.deepEqual(found, [
      `launch-ready:alerts.webhooks[0]: is a Slack webhook URL (its path is the token): ${STORE_URL}`,
      `launch-ready:alerts.webhooks[1]: is a Discord webhook URL (its path is the token): ${STORE_URL}`,
      `launch-ready:alerts.webhooks[2]: is a PagerDuty integration URL (its path holds the integration key): ${STORE_URL}`,
      `launch-ready:alerts.webhooks[3]: is a URL with a credential in its query (apiKey=...): ${STORE_URL}`,
      `launch-ready:alerts.webhooks[4]: is a URL whose path holds a token: ${STORE_URL}`,
    ]);
    for (const url of urls) assert.ok(!found.join("\n").includes(url.slice(8)));
  });

  it("a secret webhook URL must be set, and set as a secret", () => {
    const lookup: ConfigLookup = { has: (k) => k !== "slackAlertUrl", isSecret: (k) => k !== "pagerdutyAlertUrl" && allSecretsSet.isSecret(k) };
    const found = problems((raw) => (raw.alerts.webhooks = [{ secret: "slackAlertUrl" }, { name: "pagerduty", url: { secret: "pagerdutyAlertUrl" } }]), lookup);
    assert.deepEqual(found, [
      'launch-ready:slackAlertUrl: is not set; the alert webhook "slackAlertUrl" needs it: pulumi config set --secret launch-ready:slackAlertUrl --stack prod (it prompts for the value)',
      "launch-ready:pagerdutyAlertUrl: is stored in plain text in Pulumi.prod.yaml; re-set it encrypted: pulumi config set --secret launch-ready:pagerdutyAlertUrl --stack prod (it prompts for the value), and rotate it: it was readable",
    ]);
  });

  it("a program key holding an encrypted value (--secret --path) is refused: the engine marks only whole keys", () => {
    const lookup: ConfigLookup = { has: () => true, isSecret: (k) => k === "hosting" || allSecretsSet.isSecret(k) };
    assert.deepEqual(
      problems(() => undefined, lookup),
      [
        "launch-ready:hosting: holds an encrypted value (pulumi config set --secret, or --secret --path inside it): Pulumi then marks all of it secret without saying which value, so this program cannot keep that value out of the state. Keep each secret in a key of its own (pulumi config set --secret launch-ready:<name> --stack prod, which prompts for the value), reference it as { secret: <name> } (env values and alert webhook URLs take one), and set launch-ready:hosting again without --secret",
      ],
    );
  });

  it("offline, a nested secure: value is recognised as the engine passes it (whole key secret) and refused the same way", async () => {
    const config = shippedConfig("prod");
    const ciphertext = "v1:Vt4PqL0bV4kq1n0o:3Yx8Jw0kPq7R2s9T4u6V8w0X2y4Z6a8B";
    config["launch-ready:hosting"].env.production.RESEND_API_KEY = { secure: ciphertext };
    await assert.rejects(planStack("prod", { stackFile: { config } }), (err: Error) => {
      assert.match(err.message, /- launch-ready:hosting: holds an encrypted value \(pulumi config set --secret, or --secret --path inside it\)/);
      assert.ok(!err.message.includes(ciphertext));
      return true;
    });
  });
});

describe("config mistakes: keys, types, names", () => {
  it("an unknown launch-ready: key is refused with the closest key; an unused secret only gets a note", async () => {
    const config = shippedConfig("prod");
    config["launch-ready:subdomain"] = [{ name: "blog", target: "vercel" }];
    config["launch-ready:colour"] = "blue";
    await assert.rejects(planStack("prod", { stackFile: { config } }), (err: Error) => {
      const lines = err.message.split("\n").slice(1);
      assert.deepEqual(lines, [
        "  - launch-ready:subdomain: is not a key of this program, so its value would be ignored: did you mean launch-ready:subdomains? Move the value there and remove this key (pulumi config rm launch-ready:subdomain --stack prod)",
        `  - launch-ready:colour: is not a key of this program, so its value would be ignored: this program reads environment, zone, site, subdomains, edge, email, hosting, uptime, alerts, turnstile, protect, owners (and the flat keys pulumi new sets: domain, zoneId, accountId, zonePlan, vercelProjectId, vercelTeamId, alertEmail, dmarcReportEmail); remove it (pulumi config rm launch-ready:colour --stack prod)`,
      ]);
      return true;
    });
    const kept = shippedConfig("prod");
    kept["launch-ready:oldStripeKey"] = { secure: "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBB" };
    const p = await planStack("prod", { stackFile: { config: kept } });
    assert.deepEqual(
      p.domainMap.notes.filter((n) => n.topic === "secrets"),
      [
        {
          topic: "secrets",
          text: "Secret config keys no { secret: ... } reference reads (kept, unused): launch-ready:oldStripeKey. Remove them with pulumi config rm once nothing needs them.",
        },
      ],
    );
  });

  it("a misspelt secret reference points at the secret the stack holds", () => {
    const lookup: ConfigLookup = {
      has: (k) => k !== "openaiApiKeyProduction",
      isSecret: allSecretsSet.isSecret,
      keys: () => ["zone", "openaiApiKeyProdution"],
    };
    assert.deepEqual(
      problems(() => undefined, lookup),
      [
        'launch-ready:openaiApiKeyProduction: is not set; OPENAI_API_KEY (production) needs it (the stack holds "openaiApiKeyProdution": a typo?): pulumi config set --secret launch-ready:openaiApiKeyProduction --stack prod (it prompts for the value)',
      ],
    );
  });

  it("a wrong type says what was expected and what was given; a missing key says it is required", () => {
    const found = problems((raw) => {
      raw.uptime.failureThreshold = "3";
      raw.subdomains = { name: "app" };
      raw.edge.hsts = true;
      raw.alerts.emails = null;
      delete raw.hosting.projectId;
    });
    assert.deepEqual(found, [
      "launch-ready:subdomains: must be a list, not a mapping (key: value): `subdomains` is a list of `{ name, target }`",
      "launch-ready:edge.hsts: must be a mapping (key: value), not a boolean (true or false)",
      "launch-ready:hosting.projectId: is required: `hosting` needs `projectId` (the Vercel project, prj_...); `teamId` and `env` optional",
      "launch-ready:uptime.failureThreshold: must be a number, not a string",
      "launch-ready:alerts.emails: must be a list, not null (an empty value)",
    ]);
  });

  it("a full name where a zone-relative name belongs gets the relative name, once", () => {
    const found = problems((raw) => {
      raw.subdomains[0].name = "app.acmechat.dev";
      raw.email.senders[0].domain = "acmechat.dev";
    });
    assert.deepEqual(found, [
      'launch-ready:subdomains[0].name: "app.acmechat.dev" is a full name: names here are relative to the zone acmechat.dev, so write "app"',
      'launch-ready:email.senders[0].domain: "acmechat.dev" is a full name: names here are relative to the zone acmechat.dev, so write "@"',
    ]);
  });

  it("a duplicate host is reported once, under the subdomain that repeats it", () => {
    assert.deepEqual(
      problems((raw) => raw.subdomains.push({ name: "app", target: "vercel" })),
      ["launch-ready:subdomains[4].name: app.acmechat.dev is already declared by subdomains[0]: keep one"],
    );
  });

  it("addresses are checked by zod's validators: IPs, CIDRs, emails", () => {
    const found = problems((raw) => {
      raw.edge.waf.adminAllowedIps = ["....", "203.0.113.0/24", "2001:db8::/32", "198.51.100.7"];
      raw.subdomains[2].target = { ipv6: ":::::" };
      raw.subdomains[3].target = { ipv4: "256.1.1.1" };
      raw.alerts.emails = ["oncall@acmechat"];
    });
    assert.deepEqual(found, [
      "launch-ready:subdomains[2].target.ipv6: must be an IPv6 address such as 2001:db8::10",
      "launch-ready:subdomains[3].target.ipv4: must be an IPv4 address such as 203.0.113.10",
      "launch-ready:edge.waf.adminAllowedIps[0]: must be an IP address or CIDR such as 203.0.113.10 or 203.0.113.0/24",
      "launch-ready:alerts.emails[0]: must be an email address such as oncall@example.com",
    ]);
  });
});

describe("config mistakes: the canonical host", () => {
  it("www canonical without its twin would leave the apex unanswered", () => {
    assert.deepEqual(
      problems((raw) => {
        raw.site.canonical = "www";
        raw.site.redirectTwin = false;
      }),
      [
        "launch-ready:site.redirectTwin: is false while www is canonical, so acmechat.dev itself would have no record and visitors typing it get nothing. Set site.redirectTwin to true (the apex then 301-redirects to https://www.acmechat.dev), or make the apex canonical (site.canonical: apex)",
      ],
    );
  });

  it("after switching to www, URL env vars, CORS origins and monitors still on the apex are refused with the fix", () => {
    const found = problems((raw) => {
      raw.site.canonical = "www";
      raw.uptime.endpoints[0].host = "@";
    });
    const fix = "it only redirects to https://www.acmechat.dev: use https://www.acmechat.dev";
    assert.deepEqual(found, [
      `launch-ready:site.apiCorsOrigins[0]: "https://acmechat.dev" is the twin's origin, and ${fix} (no page is ever served from the twin)`,
      `launch-ready:hosting.env.production.NEXT_PUBLIC_SITE_URL: points at acmechat.dev, and ${fix} (auth callbacks and API calls through a 301 lose their POST body)`,
      `launch-ready:hosting.env.production.NEXTAUTH_URL: points at acmechat.dev, and ${fix} (auth callbacks and API calls through a 301 lose their POST body)`,
      'launch-ready:uptime.endpoints[0].host: "@" is the twin that only redirects to www.acmechat.dev: Route 53 counts its 301 as healthy, so this monitor would never see the app down. Use "www" or leave host unset (the canonical host)',
    ]);
  });

  it("endpoint monitors follow the canonical host when their host is unset", async () => {
    const config = shippedConfig("prod");
    makeWwwCanonical(config);
    const p = await planStack("prod", { stackFile: { config } });
    assert.deepEqual(
      p.domainMap.monitors.filter((m) => ["auth-callback", "chat", "webhooks"].includes(m.name)).map((m) => m.url),
      ["https://www.acmechat.dev/api/auth/providers", "https://www.acmechat.dev/api/chat/health", "https://www.acmechat.dev/api/webhooks/health"],
    );
  });
});

describe("config mistakes: monitors and email senders", () => {
  it("an endpoint on a host the site does not serve, and a monitor name used twice, are refused", () => {
    const found = problems((raw) => {
      raw.uptime.endpoints[0].host = "blog";
      raw.uptime.endpoints[2].name = "chat";
    });
    assert.deepEqual(found, [
      'launch-ready:uptime.endpoints[0].host: "blog" is not one of the site\'s hosts (@, www, app, api, docs, status): add it to subdomains or fix the name',
      'launch-ready:uptime.endpoints[2].name: monitor name "chat" is used twice',
    ]);
  });

  it("an alert webhook that is not a URL is refused", () => {
    assert.deepEqual(
      problems((raw) => (raw.alerts.webhooks = [{ name: "pager", url: "https://:443" }])),
      ["launch-ready:alerts.webhooks[0]: is not a valid https:// URL"],
    );
  });

  it("sender records: a hand-written SPF is refused, an MX needs a priority, a DKIM selector may not repeat", () => {
    const found = problems((raw) => {
      raw.email.senders[1].records.push({ name: "mail", type: "TXT", content: "v=spf1 include:amazonses.com ~all" });
      raw.email.senders[1].records.push({ name: "bounce", type: "MX", content: "feedback-smtp.us-east-1.amazonses.com" });
      raw.email.senders[1].dkim.push({ ...raw.email.senders[1].dkim[0] });
    });
    assert.deepEqual(found, [
      "launch-ready:email.senders[1].dkim: DKIM selector 4fj2kq7xw3nbd5rt6yhc8mze9pva1ugs._domainkey is declared twice: each sender needs its own selector",
      'launch-ready:email.senders[1].records: "v=spf1 include:amazonses.com ~all" is an SPF record: SPF is built from the senders (one record per name); remove it and list the sender instead',
      "launch-ready:email.senders[1].records: MX record for bounce needs a priority",
    ]);
  });

  it("a sender's verification TXT and DKIM TXT key become records; reports sent outside the zone get a note", async () => {
    const config = shippedConfig("prod");
    const email = config["launch-ready:email"];
    email.senders.push({
      name: "postmark",
      kind: "postmark",
      domain: "mail",
      dkim: [{ selector: "20241101pm", type: "TXT", value: "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC" }],
      records: [
        { name: "pm-bounces", type: "CNAME", content: "pm.mtasv.net" },
        { name: "mail", type: "TXT", content: "postmark-verification=abc123" },
      ],
    });
    email.dmarc.rua.push("reports@dmarc.example.net");
    const p = await planStack("prod", { stackFile: { config } });
    const byName = (n: string) => p.domainMap.records.filter((r) => r.name === n).map((r) => `${r.type} ${r.content} ${r.purpose}`);
    assert.deepEqual(byName("20241101pm._domainkey.mail.acmechat.dev"), ['TXT "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC" dkim']);
    assert.deepEqual(byName("pm-bounces.acmechat.dev"), ["CNAME pm.mtasv.net verification"]);
    assert.ok(byName("mail.acmechat.dev").includes('TXT "postmark-verification=abc123" verification'), byName("mail.acmechat.dev").join("\n"));
    assert.ok(
      p.domainMap.notes
        .map((n) => n.text)
        .includes(
          'DMARC reports go to dmarc.example.net: it must publish acmechat.dev._report._dmarc.dmarc.example.net TXT "v=DMARC1" or receivers drop them.',
        ),
      p.domainMap.notes.map((n) => n.text).join("\n"),
    );
  });
});

describe("config mistakes: site and cache", () => {
  it("www canonical on a non-apex site, and static assets under a private path, are refused with the fix", () => {
    const staging = (() => {
      try {
        validateStackConfig({ ...rawConfig("staging"), site: { ...rawConfig("staging").site, canonical: "www" } }, "staging", allSecretsSet, PROJECT_NAME);
        return [];
      } catch (err) {
        return (err as ConfigError).issues.map((i) => `${i.key}: ${i.message}`);
      }
    })();
    assert.ok(
      staging.includes(
        'launch-ready:site.canonical: "www" only exists for the apex site; www.staging.acmechat.dev would be two labels deep and outside Cloudflare\'s Universal SSL certificate. Use "apex"',
      ),
      staging.join("\n"),
    );
    assert.deepEqual(
      problems((raw) => raw.edge.cache.staticPaths.push("/api/static/")),
      [
        'launch-ready:edge.cache.staticPaths: "/api/static/" lies under the private path "/api/": private paths are never cached; move the assets or narrow the private path',
      ],
    );
  });

  it("an edge TTL on static assets gets a plan note saying what it changes", async () => {
    const config = shippedConfig("prod");
    config["launch-ready:edge"].cache.edgeTtlSeconds = 86400;
    const p = await planStack("prod", { stackFile: { config } });
    assert.ok(
      p.domainMap.notes
        .map((n) => n.text)
        .some((n) => n.startsWith("edge.cache.edgeTtlSeconds is set (86400s): static assets ignore the origin's Cache-Control")),
    );
  });
});
