/** SPF live evaluation, email-auth and DNS checks against the loopback DNS server only. */
import * as assert from "assert";
import { checkRecordGroup } from "../../../tools/verify/dns-checks";
import { checkDkim, checkDmarc, checkNoMail, checkSpfLive, parseDkimTags } from "../../../tools/verify/email-checks";
import { Net } from "../../../tools/verify/net";
import { evaluateSpf } from "../../../tools/verify/spf-live";
import { startDnsServer, type DnsServer } from "./helpers/dns-server";
import { buildZone } from "./helpers/lab";

describe("verify: SPF, email and DNS checks on the loopback DNS server", function () {
  let dns: DnsServer;
  let net: Net;
  before(async () => {
    dns = await startDnsServer(buildZone());
    net = new Net({ dnsServers: [dns.address], timeoutMs: 800, dnsTries: 1 });
  });
  after(async () => dns?.close());

  describe("recursive SPF evaluation", () => {
    it("counts lookups through nested includes", async () => {
      const ev = await evaluateSpf(net, "good.test");
      assert.strictEqual(ev.lookups, 2);
      assert.deepStrictEqual(ev.reached, ["_spf.mailer.test", "_nb.mailer.test"]);
      assert.deepStrictEqual(ev.errors, []);
    });
    it("counts 12 lookups across two levels and fails the limit", async () => {
      const ev = await evaluateSpf(net, "broken.test");
      assert.strictEqual(ev.lookups, 12);
      assert.ok(ev.errors.some((e) => /12 DNS lookups across includes \(limit 10\)/.test(e)));
    });
    it("counts void lookups (NXDOMAIN for a and mx) and fails above 2", async () => {
      const ev = await evaluateSpf(net, "voids.broken.test");
      assert.strictEqual(ev.voidLookups, 3);
      assert.ok(ev.errors.some((e) => /3 void lookups \(limit 2/.test(e)));
    });
    it("checks a sender's include at its SPF domain (its MAIL FROM), not at the From domain it signs for", async () => {
      // good.test publishes include:_spf.mailer.test; a sender whose MAIL FROM is elsewhere is not judged here.
      const sender = (spfDomain: string) => [
        { name: "ses", kind: "amazon-ses", sendingDomain: "good.test", spfDomain, spfInclude: "amazonses.com", dkimSelectors: [] },
      ];
      const atMailFrom = await checkSpfLive(net, "good.test", sender("mail.good.test"));
      assert.ok(!atMailFrom.some((r) => r.id === "email.spf.sender"), "not judged at the From domain");
      const here = await checkSpfLive(net, "good.test", sender("good.test"));
      assert.strictEqual(here.find((r) => r.id === "email.spf.sender")?.status, "fail");
    });
    it("follows redirect= like an include", async () => {
      const ev = await evaluateSpf(net, "redirect.spf.test");
      assert.strictEqual(ev.lookups, 2);
      assert.deepStrictEqual(ev.errors, []);
    });
    it("fails an included record that ends in +all", async () => {
      const ev = await evaluateSpf(net, "nested-plus.spf.test");
      assert.ok(
        ev.errors.some((e) => /include:plusall\.spf\.test ends in "\+all".*remove this include/.test(e)),
        ev.errors.join("\n"),
      );
    });
    it("fails a circular include without looping", async () => {
      const ev = await evaluateSpf(net, "circ1.spf.test");
      assert.ok(
        ev.errors.some((e) => /loops back to circ1\.spf\.test.*remove the circular include/.test(e)),
        ev.errors.join("\n"),
      );
    });
    it("fails an include of a name with no SPF record (permerror), counting it as void", async () => {
      const ev = await evaluateSpf(net, "dangling.spf.test");
      assert.ok(ev.errors.some((e) => /include:nowhere\.spf\.test has no SPF record.*permerror/.test(e)));
      assert.strictEqual(ev.voidLookups, 1);
    });
    it("fails a name with no SPF record", async () => {
      const rows = await checkSpfLive(net, "www.broken.test");
      assert.strictEqual(rows[0].status, "fail");
      assert.match(rows[0].detail, /no SPF record at www\.broken\.test: publish one TXT record/);
    });
    it("reports a DNS failure as a failure, not a pass", async () => {
      const rows = await checkSpfLive(net, "servfail.broken.test");
      assert.strictEqual(rows[0].status, "fail");
      assert.match(rows[0].detail, /could not be evaluated: DNS TXT servfail\.broken\.test: SERVFAIL from 127\.0\.0\.1:\d+\./);
    });
  });

  describe("DMARC", () => {
    it("fails a missing record, naming the record to publish", async () => {
      const rows = await checkDmarc(net, "_dmarc.www.good.test");
      assert.strictEqual(rows[0].status, "fail");
      assert.match(rows[0].detail, /no DMARC record.*publish TXT _dmarc\.www\.good\.test "v=DMARC1; p=quarantine/);
    });
    it("fails an invalid record with parseDmarc's reasons", async () => {
      const rows = await checkDmarc(net, "_dmarc.invalid.broken.test");
      assert.strictEqual(rows[0].status, "fail");
      assert.match(rows[0].detail, /"p=maybe" must be none, quarantine or reject/);
      assert.match(rows[0].detail, /must be a mailto: URI/);
    });
    it("fails two records", async () => {
      const rows = await checkDmarc(net, "_dmarc.two.broken.test");
      assert.strictEqual(rows[0].status, "fail");
      assert.match(rows[0].detail, /2 DMARC records.*keep exactly one/);
    });
    it("warns on p=none with the ramp to quarantine and reject", async () => {
      const rows = await checkDmarc(net, "_dmarc.monitor.broken.test");
      assert.strictEqual(rows[0].status, "warn");
      assert.match(rows[0].detail, /p=none only monitors.*move to p=quarantine, then p=reject/);
      assert.deepStrictEqual(rows[0].data?.rua, ["mailto:d@monitor.broken.test"]);
    });
    it("shows policy and reporting on a good record", async () => {
      const rows = await checkDmarc(net, "_dmarc.good.test", { policy: "quarantine" });
      assert.strictEqual(rows.length, 1, "same-domain reports need no authorisation record");
      assert.strictEqual(rows[0].status, "pass");
      assert.match(rows[0].detail, /p=quarantine sp=reject; reports to mailto:dmarc@good\.test/);
    });
  });

  describe("DKIM", () => {
    it("passes a 2048-bit key and warns on a 1024-bit one", async () => {
      assert.strictEqual((await checkDkim(net, "google", "good.test")).status, "pass");
      const mid = await checkDkim(net, "mid", "broken.test");
      assert.strictEqual(mid.status, "warn");
      assert.strictEqual(mid.data?.bits, 1024);
      assert.match(mid.detail, /rotate to a 2048-bit key/);
    });
    it("a missing key's fix names the stack sender's provider and the dashboard page to copy it from", async () => {
      const known = await checkDkim(net, "s1", "good.test", { name: "mail", kind: "sendgrid" });
      assert.equal(known.status, "fail");
      assert.match(
        known.detail,
        /no DKIM key record \(mail\).*Fix: publish the DKIM record Twilio SendGrid gives for selector "s1" \(SendGrid > Settings > Sender Authentication/,
      );
      const custom = await checkDkim(net, "s1", "good.test", { name: "in-house", kind: "custom" });
      assert.match(custom.fix ?? custom.detail, /Custom|sending system's DNS/);
      const unnamed = await checkDkim(net, "s1", "good.test");
      assert.match(unnamed.detail, /Fix: publish the DKIM record your sender gives for selector "s1"/);
    });
    it("parses tag lists, refusing duplicates and v not first", () => {
      assert.deepStrictEqual(parseDkimTags('"v=DKIM1; k=rsa; p=AB CD"').tags, { v: "DKIM1", k: "rsa", p: "ABCD" });
      assert.deepStrictEqual(parseDkimTags("k=rsa; v=DKIM1; k=ed25519").errors, ['"v=DKIM1" must be the first tag', 'tag "k" appears twice']);
    });
  });

  describe("names that send no mail", () => {
    it("passes SPF -all with DMARC reject inherited from the organisational domain's sp=", async () => {
      const r = await checkNoMail(net, "lockedsub.good.test", "good.test");
      assert.strictEqual(r.status, "pass", r.detail);
      assert.match(r.detail, /inherited/);
    });
    it("warns when a locked-down name still has an MX", async () => {
      const r = await checkNoMail(net, "lockedmx.good.test", "good.test");
      assert.strictEqual(r.status, "warn");
      assert.match(r.detail, /mx\.mailer\.test still receives mail.*null MX/);
    });
    it("fails a name with no SPF and no covering reject policy", async () => {
      const r = await checkNoMail(net, "www.broken.test", "broken.test");
      assert.strictEqual(r.status, "fail");
      assert.match(
        r.detail,
        /no SPF record.*p=none, not reject.*Fix: publish TXT www\.broken\.test "v=spf1 -all".*_dmarc\.www\.broken\.test "v=DMARC1; p=reject/,
      );
    });
  });

  describe("DNS records against the plan", () => {
    const rec = (over: Record<string, unknown>) =>
      ({ name: "dup.broken.test", type: "A", content: "127.0.0.1", proxied: false, ttl: 300, purpose: "web", ...over }) as never;
    it("lists a live A record that the plan lacks, record by record", async () => {
      const rows = await checkRecordGroup(net, [rec({})]);
      assert.deepStrictEqual(
        rows.map((r) => r.status),
        ["pass", "fail"],
      );
      assert.match(rows[1].detail, /drift: live 127\.0\.0\.9 is not in the plan/);
    });
    it("compares quoted, split TXT content as one string", async () => {
      const rows = await checkRecordGroup(net, [rec({ name: "good.test", type: "TXT", content: '"v=spf1 include:_spf" ".mailer.test ~all"', purpose: "spf" })]);
      assert.strictEqual(rows.find((r) => /v=spf1/.test(r.detail))?.status, "pass");
    });
    it("fails when the DNS server does not answer, naming the timeout that bounded the wait", async () => {
      const rows = await checkRecordGroup(net, [rec({ name: "blackhole.broken.test" })]);
      assert.strictEqual(rows[0].status, "fail");
      assert.match(rows[0].detail, /could not be checked: DNS A blackhole\.broken\.test: no answer within 800 ms/);
    });
    it("fails when the DNS server is gone", async () => {
      const gone = await startDnsServer({});
      const addr = gone.address;
      await gone.close();
      const deadNet = new Net({ dnsServers: [addr], timeoutMs: 300, dnsTries: 1 });
      const rows = await checkRecordGroup(deadNet, [rec({})]);
      assert.strictEqual(rows[0].status, "fail");
      assert.match(rows[0].detail, /could not be checked/);
    });
  });
});
