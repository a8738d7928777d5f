import * as assert from "assert";
import { goodStack, record, T } from "../fixtures/policies/stacks";
import { expectNotApplicable, expectPass, expectViolation, patch, without } from "./helpers";

describe("policies: DNS records", () => {
  describe("dns-no-unproxied-origin", () => {
    it("passes proxied web records, mail hosts and private addresses", async () => {
      await expectPass("dns-no-unproxied-origin", [
        record("example.com", "A", "203.0.113.10", { proxied: true }),
        record("mail.example.com", "A", "203.0.113.20", { proxied: false }),
        record("internal.example.com", "A", "10.0.0.5", { proxied: false }),
      ]);
    });
    it("reports an unproxied A/AAAA record for a web hostname", async () => {
      await expectViolation(
        "dns-no-unproxied-origin",
        [record("app.example.com", "A", "203.0.113.10", { proxied: false })],
        /A record app.example.com is not proxied: it exposes the origin address 203.0.113.10/,
      );
      await expectViolation("dns-no-unproxied-origin", [record("example.com", "AAAA", "2001:db8::1")], /AAAA record example.com is not proxied/);
    });
    it("accepts a configured exception", async () => {
      await expectPass("dns-no-unproxied-origin", [record("game.example.com", "A", "203.0.113.10")], { allowedHosts: ["game.example.com"] });
    });
    it("does not apply to CNAME or TXT records", async () => {
      await expectNotApplicable("dns-no-unproxied-origin", [record("app.example.com", "CNAME", "cname.vercel-dns.com")]);
    });
  });

  describe("dns-no-wildcard-origin", () => {
    it("passes explicit names and a wildcard TXT", async () => {
      const v = await expectPass("dns-no-wildcard-origin", [
        record("www.example.com", "CNAME", "example.com", { proxied: true }),
        record("*.example.com", "TXT", "v=spf1 -all"),
      ]);
      assert.deepEqual(v.violations, []);
    });
    it("reports a wildcard pointing at an origin, proxied or not", async () => {
      await expectViolation(
        "dns-no-wildcard-origin",
        [record("*.example.com", "A", "203.0.113.10", { proxied: true })],
        /wildcard A record \*.example.com points every name at 203.0.113.10/,
      );
      await expectViolation("dns-no-wildcard-origin", [record("*.example.com", "CNAME", "origin.example.net")], /wildcard CNAME/);
    });
  });
});

describe("policies: email authentication", () => {
  describe("spf-record-valid", () => {
    it("passes a quoted record and an unquoted hand-written one", async () => {
      await expectPass("spf-record-valid", [record("example.com", "TXT", '"v=spf1 include:_spf.google.com include:amazonses.com ~all"')]);
      await expectPass("spf-record-valid", [record("example.com", "TXT", "v=spf1 -all")]);
      await expectPass("spf-record-valid", [record("example.com", "TXT", '"v=spf1 include:_spf.google.com " "include:sendgrid.net ~all"')]);
    });
    it("reports +all and ?all", async () => {
      await expectViolation(
        "spf-record-valid",
        [record("example.com", "TXT", '"v=spf1 include:amazonses.com +all"')],
        /SPF record at example.com: "\+all" lets anyone send as this domain/,
      );
      await expectViolation("spf-record-valid", [record("example.com", "TXT", "v=spf1 include:amazonses.com ?all")], /"\?all" \(neutral\) protects nothing/);
    });
    it("reports a syntax error", async () => {
      await expectViolation(
        "spf-record-valid",
        [record("example.com", "TXT", "v=spf1 inclde:amazonses.com ~all")],
        /"inclde:amazonses.com" is not an SPF mechanism/,
      );
    });
    it("reports more than 10 DNS lookups counted across known includes", async () => {
      // The catalogue's costs: _spf.google.com 4, mailgun.org 5 (its nested _spf, _spf.eu, _spf1, _spf2), sendgrid.net 1: 4 + 5 + 1 + 1 = 11.
      const txt = "v=spf1 include:_spf.google.com include:mailgun.org include:sendgrid.net a ~all";
      await expectViolation("spf-record-valid", [record("example.com", "TXT", txt)], /needs 11 DNS lookups \(limit 10\)/);
      // One term fewer fits: 10 is the limit, not over it.
      await expectPass("spf-record-valid", [record("example.com", "TXT", "v=spf1 include:_spf.google.com include:mailgun.org include:sendgrid.net ~all")]);
    });
    it("ignores TXT records that are not SPF", async () => {
      await expectNotApplicable("spf-record-valid", [record("example.com", "TXT", '"google-site-verification=abc"')]);
    });
  });

  describe("spf-one-record-per-name", () => {
    it("passes one SPF record per name", async () => {
      await expectPass("spf-one-record-per-name", [
        record("example.com", "TXT", "v=spf1 include:_spf.google.com ~all"),
        record("mail.example.com", "TXT", "v=spf1 include:amazonses.com ~all"),
        record("example.com", "TXT", "google-site-verification=abc", { suffix: "verify" }),
      ]);
    });
    it("reports two SPF records on one name", async () => {
      const v = await expectViolation(
        "spf-one-record-per-name",
        [
          record("example.com", "TXT", "v=spf1 include:_spf.google.com ~all"),
          record("Example.com.", "TXT", '"v=spf1 include:sendgrid.net ~all"', { suffix: "2" }),
        ],
        /example.com has 2 SPF records .*: merge them into one/,
      );
      assert.ok(v.violations[0].urn?.endsWith("Example.com.-TXT-2"));
    });
  });

  describe("dkim-for-spf-senders", () => {
    it("passes when each catalogued provider the SPF names has a DKIM key at the SPF's name or a parent (SES's MAIL FROM at mail., keys at the apex)", async () => {
      await expectPass("dkim-for-spf-senders", [
        record("example.com", "TXT", "v=spf1 include:_spf.google.com include:spf.protection.outlook.com ~all"),
        record("google._domainkey.example.com", "TXT", "v=DKIM1; k=rsa; p=MIGf"),
        record("selector1._domainkey.example.com", "CNAME", "selector1-example-com._domainkey.example.onmicrosoft.com"),
        record("mail.example.com", "TXT", "v=spf1 include:amazonses.com ~all"),
        record("tok1._domainkey.example.com", "CNAME", "tok1.dkim.amazonses.com"),
        // An include the catalogue does not know is not judged here.
        record("crm.example.com", "TXT", "v=spf1 include:_spf.crm-vendor.example ~all"),
      ]);
    });
    it("reports a provider with no DKIM key, naming its dashboard and setup page", async () => {
      const v = await expectViolation(
        "dkim-for-spf-senders",
        [record("send.example.com", "TXT", '"v=spf1 include:amazonses.com ~all"'), record("google._domainkey.other.example.com", "TXT", "p=MIGf")],
        /^SPF at send.example.com authorises Amazon SES or Resend \(include:amazonses.com\) but the stack has no DKIM record for it \(<selector>._domainkey at example.com or below\): publish the keys from SES console .*https:\/\/resend.com\/docs\/dashboard\/domains\/introduction/,
      );
      assert.ok(v.violations[0].urn?.endsWith("send.example.com-TXT"));
    });
    it("asks for the provider's own selectors where they are fixed (Microsoft 365: selector1, selector2)", async () => {
      await expectViolation(
        "dkim-for-spf-senders",
        [record("example.com", "TXT", "v=spf1 include:spf.protection.outlook.com -all"), record("google._domainkey.example.com", "TXT", "p=MIGf")],
        /authorises Microsoft 365 .*\(selector1._domainkey, selector2._domainkey at example.com or below\)/,
      );
    });
    it("does not apply to a stack whose SPF names no catalogued provider", async () => {
      await expectNotApplicable("dkim-for-spf-senders", [record("example.com", "TXT", "v=spf1 -all")]);
    });
  });

  describe("dmarc-record-valid", () => {
    it("passes p=none with rua at launch, and a no-mail subdomain lock-down without rua", async () => {
      await expectPass("dmarc-record-valid", [
        record("_dmarc.example.com", "TXT", '"v=DMARC1; p=none; rua=mailto:dmarc@example.com"'),
        record("_dmarc.app.example.com", "TXT", '"v=DMARC1; p=reject; adkim=s; aspf=s"'),
      ]);
    });
    it("reports v=DMARC1 not first and a bad p=", async () => {
      await expectViolation(
        "dmarc-record-valid",
        [record("_dmarc.example.com", "TXT", "p=none; v=DMARC1; rua=mailto:d@example.com")],
        /"v=DMARC1" must be the first tag/,
      );
      await expectViolation(
        "dmarc-record-valid",
        [record("_dmarc.example.com", "TXT", "v=DMARC1; p=block; rua=mailto:d@example.com")],
        /"p=block" must be none, quarantine or reject/,
      );
    });
    it("reports an apex record without rua, and rua that is not a mailto: URI", async () => {
      await expectViolation(
        "dmarc-record-valid",
        [record("_dmarc.example.com", "TXT", "v=DMARC1; p=quarantine")],
        /no rua= reporting address: add rua=mailto:dmarc@example.com/,
      );
      await expectViolation("dmarc-record-valid", [record("_dmarc.example.com", "TXT", "v=DMARC1; p=none; rua=dmarc@example.com")], /must be a mailto: URI/);
    });
    it("reports a DMARC record published at the wrong name", async () => {
      await expectViolation(
        "dmarc-record-valid",
        [record("example.com", "TXT", "v=DMARC1; p=none; rua=mailto:d@example.com")],
        /receivers only look it up at _dmarc.example.com/,
      );
    });
    it("can drop the rua requirement through config", async () => {
      await expectPass("dmarc-record-valid", [record("_dmarc.example.com", "TXT", "v=DMARC1; p=reject")], { requireRua: false });
    });
  });

  describe("dmarc-enforcing-policy (advisory)", () => {
    it("passes quarantine and reject", async () => {
      await expectPass("dmarc-enforcing-policy", [record("_dmarc.example.com", "TXT", "v=DMARC1; p=reject; rua=mailto:d@example.com")]);
    });
    it("recommends moving off p=none, advisory by default", async () => {
      const v = await expectViolation(
        "dmarc-enforcing-policy",
        [record("_dmarc.example.com", "TXT", "v=DMARC1; p=none; rua=mailto:d@example.com")],
        /p=none \(monitoring only\): move to p=quarantine/,
      );
      assert.strictEqual(v.enforcementLevel, "advisory");
    });
    it("can be made mandatory by a team that has warmed up", async () => {
      const v = await expectViolation("dmarc-enforcing-policy", [record("_dmarc.example.com", "TXT", "v=DMARC1; p=none; rua=mailto:d@example.com")], /p=none/, {
        enforcementLevel: "mandatory",
      });
      assert.strictEqual(v.enforcementLevel, "mandatory");
    });
    it("reports pct below 100", async () => {
      await expectViolation("dmarc-enforcing-policy", [record("_dmarc.example.com", "TXT", "v=DMARC1; p=reject; pct=25; rua=mailto:d@example.com")], /pct=25%/);
    });
  });

  describe("dmarc-at-apex", () => {
    it("passes when the apex publishes DMARC", async () => {
      await expectPass("dmarc-at-apex", goodStack());
    });
    it("reports an apex with records but no DMARC", async () => {
      const stack = without(goodStack(), (r) => r.type === T.dnsRecord && r.props.name === "_dmarc.example.com");
      await expectViolation(
        "dmarc-at-apex",
        stack,
        /example.com has no DMARC record: publish "v=DMARC1; p=none; rua=mailto:dmarc@example.com" at _dmarc.example.com/,
      );
    });
    it("reports two DMARC records at the apex", async () => {
      const stack = [...goodStack(), record("_dmarc.example.com", "TXT", "v=DMARC1; p=none; rua=mailto:x@example.com", { suffix: "dup" })];
      await expectViolation("dmarc-at-apex", stack, /_dmarc.example.com has 2 DMARC records/);
    });
    it("finds the apex under a multi-label public suffix", async () => {
      await expectViolation("dmarc-at-apex", [record("shop.co.uk", "A", "203.0.113.1", { proxied: true })], /shop.co.uk has no DMARC record/);
    });
    it("handles zone-relative names from hand-written stacks", async () => {
      await expectPass("dmarc-at-apex", [
        record("@", "A", "203.0.113.1", { proxied: true }),
        record("_dmarc", "TXT", "v=DMARC1; p=none; rua=mailto:d@example.com"),
      ]);
    });
    it("leaves the apex to its owner when a stack only has subdomain records (staging under the prod zone)", async () => {
      await expectNotApplicable("dmarc-at-apex", [record("staging.example.com", "CNAME", "cname.vercel-dns.com", { proxied: true })], /no apex-level records/);
    });
  });

  it("the good fixture's SPF record is what spf-record-valid passes (guard)", async () => {
    await expectViolation(
      "spf-record-valid",
      patch(goodStack(), "example.com-TXT-spf", (p) => (p.content = "v=spf1 +all")),
      /\+all/,
    );
  });
});
