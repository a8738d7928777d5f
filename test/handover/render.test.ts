import * as assert from "assert";
import { renderHandover } from "../../lib/handover";
import { fixtureMap, fixtureMapWithoutConfigKeys, row, section, splitRow } from "./helpers";
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

  it("has every section, in order: the verdict and the manual steps first, the reference last", () => {
    const titles = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepStrictEqual(titles, [
      "Go / no-go",
      "Before launch: steps only a person can do",
      "At a glance",
      "Domain map",
      "Email",
      "Environment variables",
      "Rotating secrets",
      "Monitoring and alerts",
      "Deploy, redeploy and roll back",
      "Who may issue certificates (CAA)",
      "DNSSEC",
      "Cloudflare in front of Vercel",
      "Security headers",
      "Turnstile on signup and login",
      "Known limits",
      "Appendix: DNS records and cost",
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
    const s = section(doc, "At a glance");
    assert.ok(s.includes("zone ID `0d3f5e8a1b2c4d6e8f0a1b2c3d4e5f60`"));
    assert.ok(s.includes("Project `prj_AcmeChatProd7Qx2`"));
    assert.ok(s.includes("`pulumi stack history --stack prod`"));
    assert.ok(s.includes("Free plan"));
  });

  it("shows TXT records without DNS quoting", () => {
    const m = fixtureMap();
    const spf = m.records.find((r) => r.purpose === "spf" && r.name === "mail.acmechat.dev");
    if (!spf) throw new Error("fixture has the mail SPF record");
    spf.content = '"v=spf1 include:amazonses.com ~all"';
    m.email.dmarc.record = `"${m.email.dmarc.record}"`;
    const out = renderHandover(m, HANDOVER);
    assert.ok(section(out, "Appendix: DNS records and cost").includes("| `mail.acmechat.dev` | TXT | `v=spf1 include:amazonses.com ~all` |"));
    assert.ok(section(out, "Email").includes("**DMARC**: `_dmarc.acmechat.dev` TXT `v=DMARC1; p=none; rua=mailto:dmarc-reports@acmechat.dev`"));
  });

  it("lists every DNS record in the appendix, alike records in one row, with auto TTL for proxied ones", () => {
    const s = section(doc, "Appendix: DNS records and cost");
    assert.ok(s.includes(`all ${map.records.length} records`));
    const names = s
      .split("\n")
      .filter((l) => l.startsWith("| `"))
      .flatMap((l) => splitRow(l)[0].split(", "));
    assert.deepStrictEqual([...new Set(names)].sort(), [...new Set(map.records.map((r) => `\`${r.name}\``))].sort(), "every record's name has a row");
    // One name's several values of a type share a row: the apex's CAA records.
    const caa = s.split("\n").filter((l) => l.startsWith("| `acmechat.dev` | CAA |"));
    assert.equal(caa.length, 1);
    assert.equal(splitRow(caa[0])[2], '`0 iodef "mailto:oncall@acmechat.dev"`; `0 issue "letsencrypt.org"`; `0 issue "pki.goog"`');
    assert.deepStrictEqual(row(s, "`api.acmechat.dev`"), ["`api.acmechat.dev`, `app.acmechat.dev`", "CNAME", "`cname.vercel-dns.com`", "yes", "auto", "web"]);
    assert.strictEqual(row(s, "`_dmarc.api.acmechat.dev`")[0].split(", ").length, 5, "the five DMARC locks share a row");
    assert.ok(s.includes("here at most 5 minutes"));
  });

  it("lists the email senders with how each passes SPF and its DKIM records", () => {
    const s = section(doc, "Email");
    assert.deepStrictEqual(row(s, "google"), [
      "google",
      "Google Workspace",
      "`acmechat.dev`",
      "`include:_spf.google.com` in the SPF of `acmechat.dev`",
      "`google._domainkey.acmechat.dev`",
    ]);
    const ses = row(s, "ses");
    assert.deepStrictEqual(
      ses.slice(2, 4),
      ["`acmechat.dev`", "`include:amazonses.com` in the SPF of `mail.acmechat.dev`"],
      "sends as the apex, SPF at its MAIL FROM",
    );
    for (const sel of map.email.senders[1].dkimSelectors) assert.ok(ses[4].includes(`\`${sel}._domainkey.acmechat.dev\``), sel);
    for (const name of map.email.nonSendingDomains) assert.ok(s.includes(`\`${name}\``), name);
    assert.ok(
      s.includes(
        "Mail is delivered to: `mail.acmechat.dev` at `feedback-smtp.us-east-1.amazonses.com` (priority 10); `acmechat.dev` at `smtp.google.com` (priority 1).",
      ),
    );
  });

  it("says where to verify each sender and how to tell it works", () => {
    const s = section(doc, "Email");
    assert.match(s, /- \*\*ses\*\*: verify the domain and the return path `mail\.acmechat\.dev` in SES console > Configuration > Verified identities/);
    assert.match(s, /- \*\*google\*\*: verify the domain in Google Admin console > Apps > Google Workspace > Gmail > Authenticate email/);
    assert.match(s, /How to tell it works: .* reads `dkim=pass` with your domain and `dmarc=pass`\./);
  });

  it("explains the DMARC ramp from p=none with the exact records and command", () => {
    const s = section(doc, "Email");
    assert.ok(s.includes("Tightening it:"));
    assert.ok(s.includes("The record becomes `v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@acmechat.dev`."));
    assert.ok(s.includes("the record becomes `v=DMARC1; p=reject; rua=mailto:dmarc-reports@acmechat.dev`."));
    assert.ok(s.includes("`pulumi config set --path 'launch-ready:email.dmarc.policy' quarantine --stack prod`"));
    assert.ok(s.includes("`pulumi config set --path 'launch-ready:email.dmarc.policy' reject --stack prod`"));
    assert.ok(s.includes("`dmarc-reports@acmechat.dev`"));
  });

  it("says the DMARC policy is already at reject, without a ramp", () => {
    const m = fixtureMap();
    m.email.dmarc = { ...m.email.dmarc, policy: "reject", record: "v=DMARC1; p=reject; rua=mailto:dmarc-reports@acmechat.dev" };
    const s = section(renderHandover(m, HANDOVER), "Email");
    assert.ok(!s.includes("Tightening it"));
    assert.ok(s.includes("already `reject`"));
  });

  it("lists the non-secret env vars once per name, with their environments, and counts the secrets", () => {
    const s = section(doc, "Environment variables");
    assert.ok(s.includes("The stack sets 18 variables on the Vercel project `prj_AcmeChatProd7Qx2` (names only, never a value): 11 from secrets"));
    assert.deepStrictEqual(row(s, "`NEXT_PUBLIC_SITE_URL`"), ["`NEXT_PUBLIC_SITE_URL`", "Production, Development", "plain text in `Pulumi.prod.yaml`"]);
    assert.deepStrictEqual(row(s, "`NEXT_PUBLIC_POSTHOG_KEY`").slice(1, 2), ["Production, Preview"]);
    assert.ok(!s.includes("`OPENAI_API_KEY`"), "secrets are listed once, in the rotation table");
  });

  it("gives one rotation procedure and a table of every secret-config env var with its config key per environment", () => {
    const s = section(doc, "Rotating secrets");
    const secretVars = (["production", "preview", "development"] as const).flatMap((t) =>
      map.hosting.env[t].filter((x) => x.source === "secret-config").map((e) => `${t}/${e.key}`),
    );
    assert.deepStrictEqual(secretVars.sort(), Object.keys(FIXTURE_SECRET_KEYS).sort());
    assert.strictEqual(s.match(/pulumi config set --secret/g)?.length, 1, "one procedure, not one block per secret");
    const column = { production: 1, preview: 2, development: 3 } as const;
    for (const [where, key] of Object.entries(FIXTURE_SECRET_KEYS)) {
      const [target, name] = where.split("/") as [keyof typeof column, string];
      assert.strictEqual(row(s, `\`${name}\``)[column[target]], `\`launch-ready:${key}\``, where);
    }
    assert.deepStrictEqual(row(s, "`STRIPE_WEBHOOK_SECRET`").slice(1, 4), ["`launch-ready:stripeWebhookSecretProduction`", "—", "—"]);
    assert.strictEqual(row(s, "`OPENAI_API_KEY`")[4], "OpenAI dashboard (platform.openai.com, API keys)");
    assert.ok(s.includes("pulumi config set --secret <config-key> --stack prod\npulumi preview --stack prod --policy-pack policies\npulumi up --stack prod"));
    assert.ok(s.includes("production: redeploy production (`vercel redeploy <current production deployment URL>`)"));
    assert.ok(s.includes("preview: redeploy the preview deployments you still use"));
    assert.deepStrictEqual(row(s, "Pulumi's Cloudflare token").slice(1, 2), ["`cloudflare:apiToken`"]);
  });

  it("uses a pasteable placeholder, and says where to find the key, when the map does not name it (older deploy)", () => {
    const out = renderHandover(fixtureMapWithoutConfigKeys(), HANDOVER);
    const s = section(out, "Rotating secrets");
    assert.deepStrictEqual(row(s, "`OPENAI_API_KEY`").slice(1, 4), ["`launch-ready:CONFIG_KEY`", "`launch-ready:CONFIG_KEY`", "`launch-ready:CONFIG_KEY`"]);
    assert.ok(s.includes("under `hosting.env` in `Pulumi.prod.yaml`"));
    for (const key of Object.values(FIXTURE_SECRET_KEYS)) assert.ok(!out.includes(key), key);
  });

  it("tells developers to pull again only when there is a development secret", () => {
    const pull = "development: each developer runs `vercel env pull` again";
    assert.ok(section(doc, "Rotating secrets").includes(pull));
    const m = fixtureMap();
    m.hosting.env.development = m.hosting.env.development.filter((e) => e.source !== "secret-config");
    const s = section(renderHandover(m, HANDOVER), "Rotating secrets");
    assert.ok(!s.includes(pull));
    assert.ok(!s.includes("Development config key"));
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
    assert.ok(s.includes("Slack: channel `C05ALERTS01` in workspace `T04ACMECHAT`, through AWS Chatbot in us-east-2"));
    assert.ok(s.includes(`Dashboard (health, availability and latency against their targets): ${map.alerts.dashboardUrl}`));
    assert.ok(s.includes("**When an alarm fires**:\n- **down**"));
    assert.ok(s.includes("Application error rates (5xx share, exceptions) are not measured here"));
    assert.ok(s.includes("confirms the AWS Notifications subscription message"));
  });

  it("gives the exact redeploy and rollback commands", () => {
    const s = section(doc, "Deploy, redeploy and roll back");
    for (const cmd of [
      "pulumi stack history --stack prod",
      "`git checkout <commit>`, then `pulumi preview --stack prod --policy-pack policies` and `pulumi up --stack prod`",
      "`vercel rollback`",
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
    assert.ok(s.includes("(Cloudflare plan: Free)"));
    for (const { text } of map.notes) assert.ok(s.includes(`- ${text}`), text);
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
    assert.ok(!s.includes("subscription message"));
  });

  it("handles a stack with no secrets, no rate limits, no notes and no DMARC reports", () => {
    const m = fixtureMap();
    m.hosting.env = { production: [{ key: "NEXT_PUBLIC_APP_URL", sensitive: false, source: "plain" }], preview: [], development: [] };
    m.edge.rateLimits = [];
    m.notes = [];
    m.email.dmarc = { ...m.email.dmarc, rua: [] };
    const out = renderHandover(m, HANDOVER);
    assert.ok(section(out, "Rotating secrets").includes("The app gets no secret from the stack config."));
    assert.ok(
      section(out, "Environment variables").includes(
        "The stack sets 1 variable on the Vercel project `prj_AcmeChatProd7Qx2` (names only, never a value): 0 from secrets",
      ),
    );
    assert.ok(section(out, "Known limits").includes("No rate limits are set"));
    assert.ok(section(out, "Known limits").includes("the stack noted none."));
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
    assert.ok(section(out, "At a glance").includes("The stack does not manage the zone's settings"));
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
