import * as assert from "assert";
import { goodStack, record, res, setting, T } from "../fixtures/policies/stacks";
import { expectNotApplicable, expectPass, expectViolation, patch, without } from "./helpers";

describe("policies: Cloudflare in front of Vercel", () => {
  describe("vercel-no-html-rewriting", () => {
    it("passes the good stack, whose rewriting features are off", async () => {
      await expectPass("vercel-no-html-rewriting", goodStack());
    });
    it("reports Email Obfuscation on in front of a proxied Vercel host", async () => {
      const stack = patch(goodStack(), "email_obfuscation", (p) => (p.value = "on"));
      await expectViolation("vercel-no-html-rewriting", stack, /email_obfuscation is "on" while example\.com is proxied to Vercel.*Set it to "off"/);
    });
    it("reports Rocket Loader left undeclared by a stack that manages the zone's settings", async () => {
      const stack = without(goodStack(), (r) => r.name === "rocket_loader");
      await expectViolation("vercel-no-html-rewriting", stack, /rocket_loader is not declared .* declare it "off"/);
    });
    it("reports Mirage turned on, though the program never declares it", async () => {
      await expectViolation("vercel-no-html-rewriting", [...goodStack(), setting("mirage", "on")], /mirage is "on"/);
    });
    it("finds a Vercel host by its ProjectDomain when the record points elsewhere", async () => {
      const stack = [
        setting("email_obfuscation", "on"),
        record("chat.example.org", "CNAME", "proxy.example.net", { proxied: true }),
        res(T.vercelDomain, "chat", { projectId: "prj_x", domain: "chat.example.org" }),
      ];
      await expectViolation("vercel-no-html-rewriting", stack, /chat\.example\.org is proxied to Vercel/);
    });
    it("does not apply without a proxied Vercel host, nor judge a stack that declares no zone setting", async () => {
      await expectNotApplicable("vercel-no-html-rewriting", [
        setting("email_obfuscation", "on"),
        record("a.example.org", "A", "192.0.2.10", { proxied: true }),
      ]);
      await expectNotApplicable("vercel-no-html-rewriting", [setting("email_obfuscation", "on"), record("a.example.org", "CNAME", "cname.vercel-dns.com")]);
      await expectPass("vercel-no-html-rewriting", [record("a.example.org", "CNAME", "cname.vercel-dns.com", { proxied: true })]);
    });
  });

  describe("vercel-ssl-strict (advisory)", () => {
    it("passes strict", async () => {
      await expectPass("vercel-ssl-strict", goodStack());
    });
    it("reports full and flexible in front of Vercel, as advisory", async () => {
      const full = await expectViolation(
        "vercel-ssl-strict",
        patch(goodStack(), "ssl", (p) => (p.value = "full")),
        /SSL mode is "full" while example\.com is proxied to Vercel/,
      );
      assert.strictEqual(full.enforcementLevel, "advisory");
      await expectViolation(
        "vercel-ssl-strict",
        patch(goodStack(), "ssl", (p) => (p.value = "flexible")),
        /"flexible"/,
      );
    });
    it("reports a stack that manages the zone's settings but leaves ssl undeclared", async () => {
      await expectViolation(
        "vercel-ssl-strict",
        without(goodStack(), (r) => r.name === "ssl"),
        /declares no ssl zone setting: declare it "strict"/,
      );
    });
    it("does not apply to a zone whose hosts are not on Vercel", async () => {
      await expectNotApplicable(
        "vercel-ssl-strict",
        [setting("ssl", "full"), record("a.example.org", "A", "192.0.2.10", { proxied: true })],
        /no proxied host/,
      );
    });
  });
});
