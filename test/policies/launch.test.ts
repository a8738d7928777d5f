import * as assert from "assert";
import { goodStack, res, ruleset, SECURITY_HEADER_RULES, T } from "../fixtures/policies/stacks";
import { caaIssuer, caaOf } from "../../policies/rules/launch";
import { expectNotApplicable, expectPass, expectViolation, patch, without } from "./helpers";

const ZONE_ID = "0123456789abcdef0123456789abcdef";

describe("policies: launch features", () => {
  describe("caa-allows-hosting-authority", () => {
    it("passes a CAA that allows Let's Encrypt for the Vercel domain", async () => {
      await expectPass("caa-allows-hosting-authority", goodStack());
    });
    it("reports a CAA that allows only another authority: Vercel could never renew", async () => {
      const other = patch(goodStack(), "caa-issue", (p) => (p.data.value = "pki.goog"));
      await expectViolation(
        "caa-allows-hosting-authority",
        other,
        /CAA at example\.com allows pki\.goog but not letsencrypt\.org: Vercel cannot issue or renew the certificate of example\.com/,
      );
    });
    it("reads the content form and tree-climbs from a subdomain's own CAA", async () => {
      const stack = [
        ...without(goodStack(), (r) => r.name === "caa-issue"),
        res(T.dnsRecord, "caa-content", { zoneId: ZONE_ID, name: "example.com", type: "CAA", content: '0 issue ";"', ttl: 1 }),
        res(T.vercelDomain, "domain-app", { projectId: "prj_x", domain: "app.example.com" }),
        res(T.dnsRecord, "caa-app", { zoneId: ZONE_ID, name: "app.example.com", type: "CAA", data: { flags: 0, tag: "issue", value: "letsencrypt.org" } }),
      ];
      // app has its own CAA allowing Let's Encrypt; the apex forbids every authority.
      const v = await expectViolation("caa-allows-hosting-authority", stack, /CAA at example\.com allows no authority but not letsencrypt\.org/);
      assert.equal(v.violations.length, 1, "app.example.com is covered by its own record");
    });
    it("does not apply without CAA records", async () => {
      await expectNotApplicable(
        "caa-allows-hosting-authority",
        without(goodStack(), (r) => r.name.startsWith("caa-")),
        /no CAA records/,
      );
    });
    it("parses issuer values as RFC 8659 writes them", () => {
      assert.equal(caaIssuer("letsencrypt.org; validationmethods=dns-01"), "letsencrypt.org");
      assert.equal(caaIssuer(";"), "");
      assert.deepEqual(
        caaOf({ ...res(T.dnsRecord, "x", { type: "CAA", content: '0 iodef "mailto:a@b.c"' }), dependsOn: new Set<string>(), propertyDeps: {} }),
        { tag: "iodef", value: "mailto:a@b.c" },
      );
    });
  });

  describe("security-headers-at-edge", () => {
    it("passes when edge rules set Referrer-Policy and X-Frame-Options", async () => {
      await expectPass("security-headers-at-edge", goodStack());
    });
    it("names the header no rule adds", async () => {
      const onlyReferrer = [
        ...without(goodStack(), (r) => r.name === "http_response_headers_transform"),
        ruleset("http_response_headers_transform", [SECURITY_HEADER_RULES[0]]),
      ];
      await expectViolation("security-headers-at-edge", onlyReferrer, /no edge rule adds X-Frame-Options to responses/);
      await expectViolation(
        "security-headers-at-edge",
        without(goodStack(), (r) => r.name === "http_response_headers_transform"),
        /no edge rule adds Referrer-Policy or X-Frame-Options/,
      );
    });
    it("accepts a CSP (frame-ancestors) in place of X-Frame-Options", async () => {
      const csp = patch(goodStack(), "http_response_headers_transform", (p) => {
        p.rules[1].actionParameters.headers = { "Content-Security-Policy": { operation: "set", value: "frame-ancestors 'self'" } };
      });
      await expectPass("security-headers-at-edge", csp);
    });
  });

  describe("dnssec-signed", () => {
    it("passes a zone signed by the stack", async () => {
      await expectPass("dnssec-signed", goodStack());
    });
    it("reports a zone whose settings the stack manages but does not sign", async () => {
      await expectViolation(
        "dnssec-signed",
        patch(goodStack(), "dnssec", (p) => (p.status = "disabled")),
        /not DNSSEC-signed by this stack/,
      );
      await expectViolation(
        "dnssec-signed",
        without(goodStack(), (r) => r.type === T.zoneDnssec),
        /not DNSSEC-signed/,
      );
    });
    it("does not apply to a stack that manages no zone settings", async () => {
      await expectNotApplicable(
        "dnssec-signed",
        without(goodStack(), (r) => r.type === T.zoneSetting),
        /no zone settings/,
      );
    });
  });
});

describe("policies: tls-reporting-for-inbound-mail", () => {
  it("passes a receiving name with a TLS-RPT record", async () => {
    await expectPass("tls-reporting-for-inbound-mail", goodStack());
  });
  it("names the receiving name with no report address", async () => {
    await expectViolation(
      "tls-reporting-for-inbound-mail",
      without(goodStack(), (r) => r.props.name === "_smtp._tls.example.com"),
      /^example\.com receives mail but publishes no TLS-RPT record at _smtp\._tls\.example\.com/,
    );
  });
  it("does not apply where only null MX records say no mail is accepted", async () => {
    const nullOnly = goodStack().map((r) => (r.props.type === "MX" ? { ...r, props: { ...r.props, content: "." } } : r));
    await expectNotApplicable("tls-reporting-for-inbound-mail", nullOnly, /no name receives mail/);
  });
});
