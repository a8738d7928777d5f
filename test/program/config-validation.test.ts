import { strict as assert } from "assert";
import { allSecretsSet, configProblems } from "../helpers/stack-config";

/** Validates a variant of the shipped prod config and returns the problems, "key: message" each. */
const problems = configProblems;

describe("stack config validation", () => {
  it("accepts both shipped stack files", () => {
    assert.deepEqual(
      problems(() => undefined, "prod"),
      [],
    );
    assert.deepEqual(
      problems(() => undefined, "staging"),
      [],
    );
  });

  it("names the key and the fix for a malformed domain and zone id", () => {
    const found = problems((raw) => {
      raw.zone.name = "https://Acme.dev/";
      raw.zone.id = "zone-123";
    });
    assert.equal(found.length, 2);
    assert.match(found[0], /^launch-ready:zone\.name: must be a lower-case apex domain/);
    assert.match(found[1], /^launch-ready:zone\.id: must be the 32-character hex zone id/);
  });

  it("lists every problem at once, not the first", () => {
    const found = problems((raw) => {
      raw.zone.plan = "gold";
      raw.alerts = {};
      raw.edge.hsts.maxAge = 3600;
      raw.subdomains.push({ name: "*", target: "vercel" });
    });
    assert.equal(found.length, 4, found.join("\n"));
    assert.ok(found.some((f) => f.startsWith("launch-ready:zone.plan:")));
    assert.ok(found.some((f) => /^launch-ready:alerts: names no channel, so a monitor would alert nobody/.test(f)));
    assert.ok(found.some((f) => /^launch-ready:edge\.hsts\.maxAge: must be at least 15552000/.test(f)));
    assert.ok(found.some((f) => /^launch-ready:subdomains\[4\]\.name: "\*" is a wildcard/.test(f)));
  });

  it("accepts an SPF include with an underscore label (RFC 7208), and names the key for a bad one", () => {
    assert.deepEqual(
      problems((raw) => (raw.email.senders[0].spfInclude = "_spf.salesforce.com")),
      [],
    );
    const [found] = problems((raw) => (raw.email.senders[0].spfInclude = "_spf.salesforce.123"));
    assert.match(found, /^launch-ready:email\.senders\[0\]\.spfInclude: must be the lower-case domain of an SPF include/);
  });

  it("refuses a secret in a client-exposed variable", () => {
    const found = problems((raw) => {
      raw.hosting.env.production.NEXT_PUBLIC_OPENAI_KEY = { secret: "openaiApiKeyProduction2" };
      raw.hosting.env.production.VITE_STRIPE_KEY = "sk_live_51Habcdefghijklmnopqrstuvwx";
    });
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(found[0], /^launch-ready:hosting\.env\.production\.NEXT_PUBLIC_OPENAI_KEY: .*exposed to the browser/);
    assert.match(found[1], /^launch-ready:hosting\.env\.production\.VITE_STRIPE_KEY: .*exposed to the browser/);
  });

  it("refuses a secret written in plain text and says how to store it", () => {
    const [found] = problems((raw) => {
      raw.hosting.env.production.RESEND_API_KEY = "re_123456789abcdefghijkl";
    });
    assert.match(
      found,
      /^launch-ready:hosting\.env\.production\.RESEND_API_KEY: .*pulumi config set --secret launch-ready:resendApiKeyProduction --stack prod \(it prompts for the value\)/,
    );
  });

  it("refuses a production secret shared with preview", () => {
    const [found] = problems((raw) => {
      raw.hosting.env.preview.OPENAI_API_KEY = { secret: "openaiApiKeyProduction" };
    });
    assert.match(found, /^launch-ready:hosting\.env\.preview\.OPENAI_API_KEY: reuses secret "openaiApiKeyProduction" from production/);
  });

  it("refuses an SPF that needs more than 10 lookups", () => {
    const found = problems((raw) => {
      // google (4 lookups) + 7 more includes = 11
      for (let i = 0; i < 7; i++)
        raw.email.senders.push({
          name: `s${i}`,
          kind: "custom",
          spfInclude: `spf${i}.sender.example`,
          dkim: [{ selector: `s${i}`, type: "TXT", value: "p=MIGf" }],
        });
    });
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0], /^launch-ready:email\.senders: SPF for acmechat\.dev .*needs 11 DNS lookups \(limit 10\)/);
  });

  it("keeps staging hosts out of production and production hosts out of staging", () => {
    const [prod] = problems((raw) => raw.subdomains.push({ name: "staging-app", target: "vercel" }));
    assert.match(prod, /^launch-ready:subdomains\[4\]\.name: staging-app\.acmechat\.dev looks like a non-production host/);
    const [staging] = problems((raw) => raw.subdomains.push({ name: "api", target: "vercel" }), "staging");
    assert.match(staging, /api\.acmechat\.dev does not look like a staging host/);
  });

  it("refuses a proxied host two labels deep, outside Universal SSL", () => {
    const [found] = problems((raw) => raw.subdomains.push({ name: "api.eu", target: "vercel" }));
    assert.match(found, /api\.eu\.acmechat\.dev is 2 labels below acmechat\.dev: Cloudflare's Universal SSL only covers one level/);
  });

  it("asks for every unset secret with the exact command, and refuses plain-text ones", () => {
    const found = problems(() => undefined, "staging", {
      has: (k: string) => k !== "openaiApiKeyStaging",
      isSecret: (k: string) => k !== "databaseUrlStaging" && allSecretsSet.isSecret(k),
    });
    assert.deepEqual(found, [
      "launch-ready:openaiApiKeyStaging: is not set; OPENAI_API_KEY (production) needs it: pulumi config set --secret launch-ready:openaiApiKeyStaging --stack staging (it prompts for the value)",
      "launch-ready:databaseUrlStaging: is stored in plain text in Pulumi.staging.yaml; re-set it encrypted: pulumi config set --secret launch-ready:databaseUrlStaging --stack staging (it prompts for the value), and rotate it: it was readable",
    ]);
  });

  it("requires DMARC reporting in production", () => {
    const [found] = problems((raw) => delete raw.email);
    assert.match(found, /^launch-ready:email: is required in production/);
  });

  it("refuses an import key that matches no planned record, listing real ones", () => {
    const [found] = problems((raw) => (raw.zone.existingRecords = { "www A": "0123456789abcdef0123456789abcdef" }));
    assert.match(found, /^launch-ready:zone\.existingRecords\["www A"\]: no planned record is named "www A"/);
    assert.match(
      found,
      /If the stack no longer declares that record, remove this entry: the record stays in the zone as it is \(an adopted record is kept when the stack lets it go\), no longer managed; to keep managing it, declare it in zone\.extraRecords/,
    );
  });

  it("refuses a twin redirect in a stack that does not own the zone's rulesets", () => {
    const found = problems((raw) => (raw.site.redirectTwin = true), "staging");
    assert.ok(
      found.some((f) => /^launch-ready:site\.redirectTwin: needs the zone's redirect ruleset/.test(f)),
      found.join("\n"),
    );
    assert.ok(
      found.some((f) => /^launch-ready:site\.redirectTwin: www\.staging\.acmechat\.dev is 2 labels below/.test(f)),
      found.join("\n"),
    );
  });
});
