/**
 * Config mistakes at the edges of the checks: a record beside a CNAME that no mail setting
 * asked for, mail sent from a web host's name, a DKIM selector a provider never uses, a secret
 * reference that is not a key name, and the flat keys `pulumi new` writes.
 */
import { strict as assert } from "assert";
import { configProblems } from "../helpers/stack-config";
import { flatKeyTarget } from "../../lib/config/flat-keys";

describe("config at the edges", () => {
  it("a TXT the founder adds at a CNAME'd host is refused with both keys and the fix", () => {
    const found = configProblems((raw) => (raw.zone.extraRecords = [{ name: "docs", type: "TXT", content: "verify=1" }]));
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(
      found[0],
      /^launch-ready:zone\.extraRecords\[0\]: docs\.acmechat\.dev would hold a CNAME \(subdomains\[\d\]\) and a TXT record \(zone\.extraRecords\[0\]\)/,
    );
    assert.match(found[0], /Keep one: remove subdomains\[\d\], or give zone\.extraRecords\[0\] a name of its own$/);
  });

  it("a MAIL FROM name the founder also CNAMEs to the provider says the CNAME carries SPF", () => {
    const found = configProblems((raw) => {
      raw.email.senders.push({
        name: "bounces",
        kind: "custom",
        mailFrom: "pm-bounces",
        spfInclude: "spf.mtasv.net",
        dkim: [{ selector: "20251201pm", type: "TXT", value: "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCx" }],
        records: [{ name: "pm-bounces", type: "CNAME", content: "pm.mtasv.net" }],
      });
    });
    assert.ok(
      found.some((f) =>
        /pm-bounces\.acmechat\.dev would hold a CNAME .* A Return-Path the provider has you CNAME to its own host \(Postmark: pm-bounces to pm\.mtasv\.net\) gets its SPF from the provider: remove email\.senders\[2\]\.mailFrom, and keep the CNAME$/.test(
          f,
        ),
      ),
      found.join("\n"),
    );
  });

  it("mail sent from a web host's name is refused: a CNAME cannot also hold SPF or MX", () => {
    const found = configProblems((raw) => {
      raw.email.senders.push({ name: "m365", kind: "microsoft-365", domain: "app", dkim: [] });
    });
    assert.ok(
      found.some((f) =>
        /app\.acmechat\.dev is a CNAME \(a web host\), so it cannot also hold SPF\/MX records: send from the apex or a dedicated subdomain such as "mail"/.test(
          f,
        ),
      ),
      found.join("\n"),
    );
  });

  it("a DKIM selector the provider never uses is refused, naming the ones it does", () => {
    const found = configProblems((raw) => {
      raw.email.senders.push({
        name: "m365",
        kind: "microsoft-365",
        dkim: [
          { selector: "selector1", type: "CNAME", value: "selector1-acmechat-dev._domainkey.acme.onmicrosoft.com" },
          { selector: "selector3", type: "CNAME", value: "selector3-acmechat-dev._domainkey.acme.onmicrosoft.com" },
        ],
      });
    });
    assert.ok(
      found.some((f) => /email\.senders\[2\]\.dkim\[1\]\.selector: Microsoft 365's DKIM selectors are selector1, selector2 \(.+\), not "selector3"$/.test(f)),
      found.join("\n"),
    );
  });

  it("a secret reference that is not a key name says what a key name is", () => {
    const found = configProblems((raw) => (raw.hosting.env.production.OPENAI_API_KEY = { secret: "openai key" }));
    assert.ok(
      found.some((f) =>
        /must be a config key name such as openaiApiKeyProduction: letters, digits, _ and -, starting with a letter, at most 64 characters/.test(f),
      ),
      found.join("\n"),
    );
  });

  it("names where each flat key of pulumi new lands", () => {
    assert.equal(flatKeyTarget("domain"), "zone.name");
    assert.equal(flatKeyTarget("alertEmail"), "alerts.emails");
  });
});
