import * as assert from "assert";
import { goodStack, res, setting, T, ZONE_ID } from "../fixtures/policies/stacks";
import { expectNotApplicable, expectPass, expectViolation, patch, without } from "./helpers";

describe("policies: Cloudflare zone settings", () => {
  describe("cloudflare-ssl-encrypts-origin", () => {
    it("passes strict and full", async () => {
      await expectPass("cloudflare-ssl-encrypts-origin", [setting("ssl", "strict")]);
      await expectPass("cloudflare-ssl-encrypts-origin", [setting("ssl", "full")]);
    });
    it("reports flexible and off", async () => {
      await expectViolation("cloudflare-ssl-encrypts-origin", [setting("ssl", "flexible")], /SSL mode is "flexible": set it to "strict"/);
      await expectViolation("cloudflare-ssl-encrypts-origin", [setting("ssl", "off")], /SSL mode is "off"/);
    });
    it("does not apply to other settings or resources", async () => {
      await expectNotApplicable("cloudflare-ssl-encrypts-origin", [setting("always_use_https", "on"), res(T.botManagement, "b", { fightMode: true })]);
    });
    it("judges a hand-written v4 ZoneSettingsOverride too", async () => {
      const override = res("cloudflare:index/zoneSettingsOverride:ZoneSettingsOverride", "zone", { zoneId: ZONE_ID, settings: { ssl: "flexible" } });
      await expectViolation("cloudflare-ssl-encrypts-origin", [override], /"flexible"/);
    });
  });

  describe("cloudflare-ssl-strict (advisory)", () => {
    it("passes strict", async () => {
      await expectPass("cloudflare-ssl-strict", [setting("ssl", "strict")]);
    });
    it("recommends strict over full, as advisory", async () => {
      const v = await expectViolation("cloudflare-ssl-strict", [setting("ssl", "full")], /"full" \(origin certificate not validated\): use "strict"/);
      assert.strictEqual(v.enforcementLevel, "advisory");
    });
  });

  describe("cloudflare-always-use-https", () => {
    it("passes on", async () => {
      await expectPass("cloudflare-always-use-https", [setting("always_use_https", "on")]);
    });
    it("reports off", async () => {
      await expectViolation("cloudflare-always-use-https", [setting("always_use_https", "off")], /always_use_https is "off": set it to "on"/);
    });
  });

  describe("cloudflare-min-tls-version", () => {
    it("passes 1.2 and 1.3", async () => {
      await expectPass("cloudflare-min-tls-version", [setting("min_tls_version", "1.2")]);
      await expectPass("cloudflare-min-tls-version", [setting("min_tls_version", "1.3")]);
    });
    it("reports 1.0 and 1.1", async () => {
      await expectViolation("cloudflare-min-tls-version", [setting("min_tls_version", "1.0")], /min_tls_version is 1.0: set it to "1.2" or higher/);
      await expectViolation("cloudflare-min-tls-version", [setting("min_tls_version", "1.1")], /1.1/);
    });
    it("honours a stricter configured minimum", async () => {
      await expectViolation("cloudflare-min-tls-version", [setting("min_tls_version", "1.2")], /set it to "1.3"/, { minimum: "1.3" });
    });
  });

  describe("cloudflare-hsts", () => {
    const hsts = (h: Record<string, unknown>) => setting("security_header", { strictTransportSecurity: h });
    it("passes one year with includeSubdomains", async () => {
      await expectPass("cloudflare-hsts", [hsts({ enabled: true, maxAge: 31536000, includeSubdomains: true, preload: false, nosniff: true })]);
    });
    it("passes exactly 15552000 and snake_case keys from hand-written stacks", async () => {
      await expectPass("cloudflare-hsts", [
        setting("security_header", { strict_transport_security: { enabled: true, max_age: 15552000, include_subdomains: true } }),
      ]);
    });
    it("reports a short max-age, missing includeSubdomains and disabled HSTS", async () => {
      await expectViolation(
        "cloudflare-hsts",
        [hsts({ enabled: true, maxAge: 86400, includeSubdomains: true })],
        /max-age is 86400: set it to at least 15552000/,
      );
      await expectViolation("cloudflare-hsts", [hsts({ enabled: true, maxAge: 31536000, includeSubdomains: false })], /does not include subdomains/);
      await expectViolation("cloudflare-hsts", [hsts({ enabled: false, maxAge: 31536000, includeSubdomains: true })], /HSTS is not enabled/);
      await expectViolation("cloudflare-hsts", [setting("security_header", {})], /no strict_transport_security block/);
    });
    it("lets a team relax includeSubdomains through config", async () => {
      await expectPass("cloudflare-hsts", [hsts({ enabled: true, maxAge: 31536000, includeSubdomains: false })], { requireIncludeSubdomains: false });
    });
  });

  describe("cloudflare-zone-baseline-declared", () => {
    it("passes a stack that declares the four baseline settings", async () => {
      await expectPass("cloudflare-zone-baseline-declared", goodStack());
    });
    it("reports a zone-managing stack that leaves HSTS and TLS to defaults", async () => {
      const stack = without(goodStack(), (r) => r.type === T.zoneSetting && ["security_header", "min_tls_version"].includes(r.name));
      await expectViolation("cloudflare-zone-baseline-declared", stack, /missing the baseline settings: min_tls_version, security_header/);
    });
    it("does not judge a stack with no zone-level config (the zone is owned elsewhere)", async () => {
      const stack = goodStack("staging").filter((r) => r.type !== T.zoneSetting && r.type !== T.ruleset && r.type !== T.botManagement);
      await expectNotApplicable("cloudflare-zone-baseline-declared", stack, /no zone-level/);
    });
    it("judges such a stack when requireInEveryStack is set", async () => {
      const stack = goodStack("staging").filter((r) => r.type !== T.zoneSetting && r.type !== T.ruleset && r.type !== T.botManagement);
      await expectViolation("cloudflare-zone-baseline-declared", stack, /missing the baseline settings: ssl, always_use_https/, { requireInEveryStack: true });
    });
  });

  it("the fixture patch helper really changes the setting (guards the tests above)", async () => {
    const stack = patch(goodStack(), "ssl", (p) => (p.value = "flexible"));
    await expectViolation("cloudflare-ssl-encrypts-origin", stack, /flexible/);
  });
});
