import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseDomainMap } from "../../../lib/domain-map";
import { Net } from "../../../tools/verify/net";
import { checkDnssec, dsFor, keyTag } from "../../../tools/verify/dnssec";
import { startDnsServer, type DnsServer, type Zone } from "./helpers/dns-server";
import { signingKey } from "./helpers/lab";

// RFC 4034 section 5.4 and RFC 4509 section 2.3: one key, its tag, its SHA-1 and SHA-256 DS digests.
const RFC_KEY = {
  flags: 256,
  algorithm: 5,
  key: Buffer.from(
    "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==",
    "base64",
  ),
};

const mapFor = (apex: string, stack = "prod") => {
  const map = parseDomainMap(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "verify", "good.map.json"), "utf8")));
  return { ...map, stack, zone: { ...map.zone, name: apex }, edge: { ...map.edge, dnssec: true } };
};

describe("verify: DNSSEC (the DS at the parent against the zone's keys)", () => {
  it("computes key tags and DS digests as the RFCs' worked examples", () => {
    assert.equal(keyTag(RFC_KEY), 60485);
    assert.equal(dsFor("dskey.example.com", RFC_KEY, 1)!.digest.toString("hex").toUpperCase(), "2BB183AF5F22588179A53B0A98631FAD1A292118");
    assert.equal(
      dsFor("DSKEY.example.com.", RFC_KEY, 2)!.digest.toString("hex").toUpperCase(),
      "D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
      "the owner name is canonical: case and the final dot do not matter",
    );
    assert.equal(dsFor("dskey.example.com", RFC_KEY, 3), undefined, "an unknown digest type yields no DS");
  });

  describe("against a DNS server on loopback", () => {
    let dns: DnsServer;
    let net: Net;
    before(async () => {
      const good = signingKey("signed.test");
      const zone: Zone = {
        "signed.test": [good.dnskey, good.ds],
        "rekeyed.test": [signingKey("rekeyed.test").dnskey, signingKey("previous.rekeyed.test").ds],
        "unsigned-now.test": [{ type: "A", data: "127.0.0.1" }, signingKey("unsigned-now.test").ds],
        "pending.test": [signingKey("pending.test").dnskey],
        "plain.test": [{ type: "A", data: "127.0.0.1" }],
        "refused.test": [{ type: "REFUSED" }],
      };
      dns = await startDnsServer(zone);
      net = new Net({ dnsServers: [dns.address], timeoutMs: 500, dnsTries: 1 });
    });
    after(() => dns.close());

    it("passes a DS that matches the zone's key", async () => {
      const r = await checkDnssec(net, mapFor("signed.test"));
      assert.equal(r.status, "pass");
      assert.match(r.detail, /^DS key tag \d+ \(algorithm 13\) at the parent matches the zone's key: answers validate$/);
    });

    it("fails a DS left from an earlier key, naming the DS to publish instead", async () => {
      const r = await checkDnssec(net, mapFor("rekeyed.test"));
      assert.equal(r.status, "fail");
      const expected = dsFor("rekeyed.test", (signingKey("rekeyed.test").dnskey as { data: { flags: number; algorithm: number; key: Buffer } }).data, 2)!;
      assert.ok(
        r.detail.includes(
          `matches no key the zone serves: validating resolvers reject every answer. Fix: replace the DS at the registrar with rekeyed.test. DS ${expected.keyTag} 13 2 ${expected.digest.toString("hex").toUpperCase()}`,
        ),
        r.detail,
      );
      assert.match(r.detail, /pulumi stack output dnssecDs --stack prod/);
    });

    it("fails a DS whose zone no longer serves any key: the domain is dark for validating resolvers", async () => {
      const r = await checkDnssec(net, mapFor("unsigned-now.test"));
      assert.equal(r.status, "fail");
      assert.match(r.detail, /the parent publishes a DS \(key tag \d+\) but the zone serves no DNSKEY.*Fix: remove the DS at the registrar now/);
    });

    it("warns while the DS is not at the registrar yet (stack), and for an unsigned domain (--domain)", async () => {
      const pending = await checkDnssec(net, mapFor("pending.test", "prod"));
      assert.equal(pending.status, "warn");
      assert.equal(
        pending.detail,
        "no DS record at the parent yet: the zone is signed, but DNSSEC stays pending until the registrar publishes it. Fix: add the DS from `pulumi stack output dnssecDs --stack prod` at the registrar",
      );
      const plain = await checkDnssec(net, mapFor("plain.test", "discovered"));
      assert.equal(plain.status, "warn");
      assert.doesNotMatch(plain.detail, /pulumi/);
      assert.match(plain.detail, /^not DNSSEC-signed \(no DS at the parent\)/);
    });

    it("a refused lookup is an error naming the server, never an absence", async () => {
      const r = await checkDnssec(net, mapFor("refused.test"));
      assert.equal(r.status, "fail");
      assert.match(r.detail, new RegExp(`^could not be checked: DNS (DS|DNSKEY) refused\\.test: refused by ${dns.address.replace(/\./g, "\\.")}`));
    });

    it("reports a server that does not answer within the timeout", async () => {
      const silent = new Net({ dnsServers: ["127.0.0.1:9"], timeoutMs: 300, dnsTries: 1 });
      const r = await checkDnssec(silent, mapFor("signed.test"));
      assert.equal(r.status, "fail");
      assert.match(r.detail, /^could not be checked: DNS (DS|DNSKEY) signed\.test: /);
    });
  });
});
