import * as assert from "assert";
import { renderHandover } from "../../lib/handover";
import { fixtureMap, fixtureMapWithoutConfigKeys, row, section } from "./helpers";
import { HANDOVER } from "../helpers/stack-config";

/** The config key of each secret-config env var in the fixture, written out here rather than read from the map under test. */
/** The secrets Pulumi.prod.yaml references (the fixture is that stack's domain map: npm run fixtures). */
const FIXTURE_SECRET_KEYS: Record<string, string> = {
  "production/OPENAI_API_KEY": "openaiApiKeyProduction",
  "production/DATABASE_URL": "databaseUrlProduction",
  "production/NEXTAUTH_SECRET": "nextauthSecretProduction",
  "production/STRIPE_SECRET_KEY": "stripeSecretKeyProduction",
  "production/STRIPE_WEBHOOK_SECRET": "stripeWebhookSecretProduction",
  "preview/OPENAI_API_KEY": "openaiApiKeyPreview",
  "preview/DATABASE_URL": "databaseUrlPreview",
  "preview/NEXTAUTH_SECRET": "nextauthSecretPreview",
  "preview/STRIPE_SECRET_KEY": "stripeSecretKeyPreview",
  "development/DATABASE_URL": "databaseUrlDevelopment",
  "development/OPENAI_API_KEY": "openaiApiKeyDevelopment",
};

describe("handover document (acmechat.dev fixture)", () => {
  const map = fixtureMap();
  const doc = renderHandover(map, HANDOVER);

  it("has every section, in order", () => {
    const titles = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepStrictEqual(titles, [
      "At a glance",
      "Where everything lives",
      "Domain map",
      "DNS records",
      "Email",
      "Mail delivery over TLS",
      "Who may issue certificates (CAA)",
      "DNSSEC",
      "Cloudflare in front of Vercel",
      "Security headers",
      "Turnstile on signup and login",
      "Environment variables",
      "Rotating secrets",
      "Monitoring and alerts",
      "Deploy, redeploy and roll back",
      "What this costs each month",
      "Known limits",
    ]);
    assert.match(doc, /^# Launch handover: acmechat\.dev \(prod\)$/m);
  });

  it("lists each host with its role, target and proxy status", () => {
    const s = section(doc, "Domain map");
    for (const host of map.hosts) assert.ok(s.includes(`\`${host.hostname}\``), host.hostname);
    assert.deepStrictEqual(row(s, "`www.acmechat.dev`"), [
      "`www.acmechat.dev`",
      "redirect",
      "Vercel",
      "yes (orange cloud)",
      "301 to https://acmechat.dev, path and query kept",
    ]);
    assert.strictEqual(row(s, "`acmechat.dev`")[1], "main site");
  });

  it("shows a DNS-only host as not proxied", () => {
    const m = fixtureMap();
    m.hosts.push({ hostname: "legacy.acmechat.dev", role: "subdomain", target: { ipv4: "203.0.113.7" }, proxied: false });
    const s = section(renderHandover(m, HANDOVER), "Domain map");
    assert.deepStrictEqual(row(s, "`legacy.acmechat.dev`").slice(2, 4), ["server at `203.0.113.7`", "no (DNS only)"]);
  });

  it("says where DNS, Cloudflare, Vercel and AWS live", () => {
    const s = section(doc, "Where everything lives");
    assert.ok(s.includes("zone ID `0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60`"));
    assert.ok(s.includes("Project `prj_AcmeChatProd7Qx2`"));
    assert.ok(s.includes("`pulumi stack history --stack prod`"));
    assert.ok(section(doc, "At a glance").includes("Free plan"));
  });

  it("shows TXT records without DNS quoting", () => {
    const m = fixtureMap();
    const spf = m.records.find((r) => r.purpose === "spf" && r.name === "mail.acmechat.dev");
    if (!spf) throw new Error("fixture has the mail SPF record");
    spf.content = '"v=spf1 include:amazonses.com ~all"';
    m.email.dmarc.record = `"${m.email.dmarc.record}"`;
    const out = renderHandover(m, HANDOVER);
    assert.ok(section(out, "DNS records").includes("| `mail.acmechat.dev` | TXT | `v=spf1 include:amazonses.com ~all` |"));
    assert.deepStrictEqual(row(section(out, "Email"), "`mail.acmechat.dev`"), ["`mail.acmechat.dev`", "`v=spf1 include:amazonses.com ~all`"]);
    assert.ok(section(out, "Email").includes("| Record | `_dmarc.acmechat.dev` TXT `v=DMARC1; p=none; rua=mailto:dmarc-reports@acmechat.dev` |"));
  });

  it("lists every DNS record, with auto TTL for proxied ones", () => {
    const s = section(doc, "DNS records");
    assert.ok(s.includes(`All ${map.records.length} records`));
    const tableRows = s.split("\n").filter((l) => l.startsWith("| `"));
    assert.strictEqual(tableRows.length, map.records.length);
    assert.deepStrictEqual(row(s, "`api.acmechat.dev`").slice(1), ["CNAME", "`cname.vercel-dns.com`", "yes", "auto", "web"]);
    assert.ok(s.includes("The longest here is 5 minutes"));
  });

  it("lists the email senders with their SPF entry and DKIM records", () => {
    const s = section(doc, "Email");
    assert.deepStrictEqual(row(s, "google"), [
      "google",
      "google-workspace",
      "`acmechat.dev`",
      "`acmechat.dev`",
      "`include:_spf.google.com`",
      "`google._domainkey.acmechat.dev`",
    ]);
    const ses = row(s, "ses");
    assert.deepStrictEqual(ses.slice(2, 4), ["`acmechat.dev`", "`mail.acmechat.dev`"], "sends as the apex, SPF at its MAIL FROM");
    for (const sel of map.email.senders[1].dkimSelectors) assert.ok(ses[5].includes(`\`${sel}._domainkey.acmechat.dev\``), sel);
    assert.deepStrictEqual(row(s, "`mail.acmechat.dev`"), ["`mail.acmechat.dev`", "`v=spf1 include:amazonses.com ~all`"]);
    for (const name of map.email.nonSendingDomains) assert.ok(s.includes(`\`${name}\``), name);
  });

  it("walks each sender through what was published, what is left in its dashboard and how to tell it works", () => {
    const s = section(doc, "Email");
    const ses = s.slice(s.indexOf("**ses** (Amazon SES)"));
    assert.ok(ses.length > 0 && s.includes("### Each sender, step by step"));
    const block = ses.slice(0, ses.indexOf("\n\n", ses.indexOf("How to tell")) + 1 || undefined);
    assert.match(block, /Published: .*`mail\.acmechat\.dev` TXT `v=spf1 include:amazonses\.com ~all`/);
    assert.match(block, /`mail\.acmechat\.dev` MX `feedback-smtp\.us-east-1\.amazonses\.com`/);
    assert.match(block, /Still to do in SES console .*: verify the domain and the custom return path `mail\.acmechat\.dev`/);
    assert.match(block, /`Authentication-Results` should read `dkim=pass header\.d=acmechat\.dev` and `dmarc=pass`/);
    assert.match(
      s,
      /\*\*google\*\* \(Google Workspace\)[\s\S]*Still to do in Google Admin console > Apps > Google Workspace > Gmail > Authenticate email: verify the domain;/,
    );
  });

  it("explains the DMARC ramp from p=none with the exact records and command", () => {
    const s = section(doc, "Email");
    assert.ok(s.includes("### Tightening DMARC (now p=none)"));
    assert.ok(s.includes("The record becomes `v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@acmechat.dev`."));
    assert.ok(s.includes("The record becomes `v=DMARC1; p=reject; rua=mailto:dmarc-reports@acmechat.dev`."));
    assert.ok(s.includes("pulumi config set --path 'launch-ready:email.dmarc.policy' quarantine --stack prod"));
    assert.ok(s.includes("`dmarc-reports@acmechat.dev`"));
  });

  it("says the DMARC policy is already at reject, without a ramp", () => {
    const m = fixtureMap();
    m.email.dmarc = { ...m.email.dmarc, policy: "reject", record: "v=DMARC1; p=reject; rua=mailto:dmarc-reports@acmechat.dev" };
    const s = section(renderHandover(m, HANDOVER), "Email");
    assert.ok(!s.includes("Tightening DMARC"));
    assert.ok(s.includes("already `reject`"));
  });

  it("lists env var names per environment, with where each secret is stored", () => {
    const s = section(doc, "Environment variables");
    for (const [target, title] of [
      ["production", "Production"],
      ["preview", "Preview"],
      ["development", "Development"],
    ] as const) {
      const entries = map.hosting.env[target];
      const part = s.slice(s.indexOf(`### ${title}`));
      assert.ok(s.includes(`### ${title} (${entries.length})`), title);
      for (const e of entries) assert.ok(part.includes(`| \`${e.key}\` |`), `${target} ${e.key}`);
    }
    assert.deepStrictEqual(row(s, "`OPENAI_API_KEY`"), [
      "`OPENAI_API_KEY`",
      "yes",
      "Pulumi secret `launch-ready:openaiApiKeyProduction`, copied to Vercel as a sensitive variable",
    ]);
    assert.strictEqual(row(s, "`NEXT_PUBLIC_SITE_URL`")[2], "plain text in `Pulumi.prod.yaml`");
  });

  it("gives rotation steps naming every secret-config env var and its config key", () => {
    const s = section(doc, "Rotating secrets");
    const secretVars = (["production", "preview", "development"] as const).flatMap((t) =>
      map.hosting.env[t].filter((x) => x.source === "secret-config").map((e) => `${t}/${e.key}`),
    );
    assert.deepStrictEqual(secretVars.sort(), Object.keys(FIXTURE_SECRET_KEYS).sort());
    for (const target of ["production", "preview", "development"] as const) {
      for (const e of map.hosting.env[target].filter((x) => x.source === "secret-config")) {
        const key = FIXTURE_SECRET_KEYS[`${target}/${e.key}`];
        assert.ok(s.includes(`Stored in the stack secret \`launch-ready:${key}\`; feeds \`${e.key}\` (${target}).`), key);
        assert.ok(s.includes(`### ${e.key} (${target})`), `${e.key} (${target})`);
        assert.ok(s.includes(`pulumi config set --secret launch-ready:${key} --stack prod\n`), key);
      }
    }
    assert.ok(s.includes("pulumi up --stack prod"));
    assert.ok(s.includes("vercel redeploy <current production deployment URL>"));
    assert.ok(s.includes("Redeploy the preview deployments you still use"));
    assert.ok(s.includes("pulumi config set --secret cloudflare:apiToken --stack prod"));
  });

  it("uses a pasteable placeholder, and says where to find the key, when the map does not name it (older deploy)", () => {
    const out = renderHandover(fixtureMapWithoutConfigKeys(), HANDOVER);
    const s = section(out, "Rotating secrets");
    assert.ok(s.includes("pulumi config set --secret launch-ready:CONFIG_KEY --stack prod"));
    assert.ok(s.includes("under `hosting.env.production` in `Pulumi.prod.yaml`"));
    assert.ok(s.includes("### OPENAI_API_KEY (production)") && s.includes("### OPENAI_API_KEY (preview)"), "one rotation per unknown key, not merged");
    for (const key of Object.values(FIXTURE_SECRET_KEYS)) assert.ok(!out.includes(key), key);
    assert.ok(!/launch-ready:[^\s`]*</.test(s), "no shell redirection characters in a command");
    assert.strictEqual(
      row(section(out, "Environment variables"), "`OPENAI_API_KEY`")[2],
      "a Pulumi secret (key: see `hosting.env.production` in `Pulumi.prod.yaml`), copied to Vercel as a sensitive variable",
    );
  });

  it("tells developers to pull again when a development secret rotates", () => {
    const m = fixtureMap();
    m.hosting.env.development.push({ key: "OPENAI_API_KEY", sensitive: false, source: "secret-config", configKey: "openaiApiKeyDevelopment" });
    const s = section(renderHandover(m, HANDOVER), "Rotating secrets");
    const dev = s.slice(s.indexOf("### OPENAI_API_KEY (development)"));
    assert.ok(dev.includes("pulumi config set --secret launch-ready:openaiApiKeyDevelopment --stack prod"));
    assert.ok(dev.includes("run `vercel env pull` again"));
  });

  it("lists each monitor and who gets alerts", () => {
    const s = section(doc, "Monitoring and alerts");
    for (const m of map.monitors) assert.ok(s.includes(`\`${m.url}\``), m.url);
    const home = row(s, "homepage");
    assert.strictEqual(home[2], "HTTPS 2xx/3xx and body contains `AcmeChat`");
    assert.strictEqual(home[4], "2000 ms, alert after 15 minutes above it");
    assert.strictEqual(home[5], "99.9% (alert when a day falls below 99.5%)");
    assert.strictEqual(home[6], "every 30 seconds, alert after 3 failures (about 90 seconds)");
    assert.strictEqual(home[7], "us-east-1, eu-west-1, ap-southeast-1");
    assert.ok(s.includes("Email: `oncall@acmechat.dev`"));
    assert.ok(s.includes("Slack: yes"));
    assert.ok(s.includes(`Dashboard, every monitor at a glance (health, availability and latency against their targets): ${map.alerts.dashboardUrl}`));
    assert.ok(s.includes("### When an alarm fires"));
    assert.ok(s.includes("Application error rates (5xx share, exceptions) are not measured by this stack"));
    assert.ok(s.includes("Confirm subscription"));
  });

  it("gives the exact redeploy and rollback commands", () => {
    const s = section(doc, "Deploy, redeploy and roll back");
    for (const cmd of [
      "pulumi stack history --stack prod",
      "git checkout <commit>\npulumi preview --stack prod --policy-pack policies\npulumi up --stack prod",
      "vercel rollback\n",
      "vercel rollback status",
      "vercel promote <deployment URL>",
      "vercel redeploy <current production deployment URL>",
      "npm run verify -- --stack prod",
    ]) {
      assert.ok(s.includes(cmd), cmd);
    }
  });

  it("states the known limits: plan notes, rate limits, caching, HSTS", () => {
    const s = section(doc, "Known limits");
    assert.ok(s.includes("Cloudflare plan: Free."));
    for (const note of map.edge.notes) assert.ok(s.includes(`- ${note}`), note);
    // On Free, the one rate-limit rule the plan allows keeps login's and signup's rate and login's challenge; chat and webhooks
    // have none (a plan note says so, listed above).
    assert.deepStrictEqual(row(s, "login+signup"), [
      "login+signup",
      "`/api/auth/signin`, `/api/auth/callback/credentials`, `/login`, `/api/auth/signup`, `/signup`",
      "1 per 10 seconds",
      "challenged (a check that people pass and bots do not)",
    ]);
    assert.ok(row(s, "Cached at Cloudflare")[1].startsWith("`/_next/static/`, `/_next/image`, `/assets/`, `/fonts/`, `*.css`"));
    assert.strictEqual(row(s, "Never cached")[1], "`/api/`, `/auth/`, `/admin/`, `/login`, `/signup`, `/account/`, `/webhooks/`");
    assert.ok(s.includes("for 1 year, on every subdomain too"));
  });

  it("escapes pipes from the stack in table cells", () => {
    const m = fixtureMap();
    m.edge.rateLimits[0].paths.push("/api/(chat|complete)");
    m.monitors[0].expect = "ok|healthy";
    const out = renderHandover(m, HANDOVER);
    const limits = row(section(out, "Known limits"), "login+signup");
    assert.strictEqual(limits.length, 4);
    assert.ok(limits[1].endsWith("`/api/(chat\\|complete)`"));
    const home = row(section(out, "Monitoring and alerts"), "homepage");
    assert.strictEqual(home.length, 8);
    assert.strictEqual(home[2], "HTTPS 2xx/3xx and body contains `ok\\|healthy`");
  });

  it("is deterministic, and dated only when asked", () => {
    assert.strictEqual(renderHandover(fixtureMap(), HANDOVER), doc);
    assert.ok(!/Generated on/.test(doc));
    // The one date in the document is when the prices were read (data, not the time of writing).
    assert.deepStrictEqual(doc.match(/\b20\d\d-\d\d-\d\d\b/g), [map.monthlyCost!.pricesRead]);
    assert.ok(renderHandover(map, { ...HANDOVER, date: "2026-11-23" }).includes("\nGenerated on 2026-11-23.\n"));
  });
});

describe("handover document with optional parts missing", () => {
  it("says so when there is no email sender", () => {
    const m = fixtureMap();
    m.email.senders = [];
    m.email.sendingDomains = [];
    const s = section(renderHandover(m, HANDOVER), "Email");
    assert.ok(s.includes("No email sender is configured"));
    assert.ok(!s.includes("| Sender |"));
    assert.ok(section(renderHandover(m, HANDOVER), "At a glance").includes("0 senders"));
  });

  it("says Slack is not set up, and lists webhooks when there are some", () => {
    const m = fixtureMap();
    m.alerts = { emails: ["founders@acmechat.dev"], slack: false, webhooks: 2 };
    const s = section(renderHandover(m, HANDOVER), "Monitoring and alerts");
    assert.ok(s.includes("Slack: not set up"));
    assert.ok(s.includes("Webhooks: 2 HTTPS endpoints"));
  });

  it("warns when nobody gets alerts and nothing is monitored", () => {
    const m = fixtureMap();
    m.alerts = { emails: [], slack: false, webhooks: 0 };
    m.monitors = [];
    const s = section(renderHandover(m, HANDOVER), "Monitoring and alerts");
    assert.ok(s.includes("No uptime monitor is configured"));
    assert.ok(s.includes("Email: nobody"));
    assert.ok(!s.includes("Confirm subscription"));
  });

  it("handles a stack with no secrets, no rate limits, no notes and no DMARC reports", () => {
    const m = fixtureMap();
    m.hosting.env = { production: [{ key: "NEXT_PUBLIC_APP_URL", sensitive: false, source: "plain" }], preview: [], development: [] };
    m.edge.rateLimits = [];
    m.edge.notes = [];
    m.email.dmarc = { ...m.email.dmarc, rua: [] };
    const out = renderHandover(m, HANDOVER);
    assert.ok(section(out, "Rotating secrets").includes("This stack gives the app no secrets."));
    assert.ok(section(out, "Environment variables").includes("### Preview\n\nNo variables."));
    assert.ok(section(out, "Known limits").includes("No rate limits are set"));
    assert.ok(section(out, "Known limits").includes("The stack noted no other limits."));
    assert.ok(section(out, "Email").includes("no `rua=` address"));
  });

  it("points to the zone's owner for rate limits and caching when this stack does not manage the zone", () => {
    const m = fixtureMap();
    m.zone.managesZoneSettings = false;
    m.edge.rateLimits = [];
    m.edge.cachedPaths = [];
    m.edge.bypassPaths = [];
    const out = renderHandover(m, HANDOVER);
    const s = section(out, "Known limits");
    assert.ok(s.includes("does not manage the zone's rate limits: the stack that owns `acmechat.dev` sets them"));
    assert.ok(s.includes("does not manage the zone's cache rules"));
    assert.ok(!s.includes("can be hammered"));
    assert.ok(section(out, "Where everything lives").includes("The stack does not manage the zone's settings"));
  });

  it("renders a staging stack with its own names and commands", () => {
    const m = fixtureMap();
    m.stack = "staging";
    m.environment = "staging";
    m.canonicalHost = "staging.acmechat.dev";
    const out = renderHandover(m, HANDOVER);
    assert.match(out, /^# Launch handover: staging\.acmechat\.dev \(staging\)$/m, "titled by the site's own host, not the shared zone");
    assert.ok(out.includes("pulumi stack history --stack staging"));
    assert.ok(!out.includes("--stack prod"));
  });
});
