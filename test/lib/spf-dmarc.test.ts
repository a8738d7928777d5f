import { strict as assert } from "assert";
import { buildSpfRecord, checkSpf, countSpfLookups, isSpfDomain, KNOWN_INCLUDE_LOOKUPS, parseSpf } from "../../policies/shared/spf";
import { unquoteTxt } from "../../policies/shared/dns-text";
import { buildDmarcRecord, parseDmarc } from "../../policies/shared/dmarc";

describe("SPF", () => {
  it("names domains by RFC 7208: underscores in labels pass (every known include), bad top labels and empty labels fail", () => {
    for (const domain of Object.keys(KNOWN_INCLUDE_LOOKUPS)) assert.ok(isSpfDomain(domain), domain);
    assert.ok(isSpfDomain("_spf.salesforce.com"));
    for (const bad of [
      "salesforce",
      "_spf..salesforce.com",
      "_spf.salesforce.123",
      "_spf.salesforce.com-",
      "Spf.Example.com",
      "%{d}.example.com",
      "a b.example.com",
      `${"a".repeat(64)}.example.com`,
    ]) {
      assert.equal(isSpfDomain(bad), false, bad);
    }
  });

  it("builds ip ranges first, includes next and all last", () => {
    assert.equal(
      buildSpfRecord({ includes: ["_spf.google.com", "amazonses.com", "amazonses.com"], ip4: ["192.0.2.0/24"], all: "-all" }),
      "v=spf1 ip4:192.0.2.0/24 include:_spf.google.com include:amazonses.com -all",
    );
  });

  it("accepts a valid record", () => {
    assert.deepEqual(checkSpf("v=spf1 include:_spf.google.com ~all").errors, []);
  });

  it("refuses +all and ?all and a missing all", () => {
    assert.match(parseSpf("v=spf1 +all").errors.join(), /\+all" lets anyone send/);
    assert.match(parseSpf("v=spf1 include:x.example ?all").errors.join(), /neutral/);
    assert.match(parseSpf("v=spf1 include:x.example").errors.join(), /no "all" mechanism/);
  });

  it("reports syntax errors by term", () => {
    const errors = parseSpf("v=spf1 ip4:300.1.1.1 foo:bar ~all").errors.join("\n");
    assert.match(errors, /ip4:300\.1\.1\.1" is not a valid IPv4/);
    assert.match(errors, /"foo:bar" is not an SPF mechanism/);
    assert.match(parseSpf("spf1 ~all").errors[0], /must start with "v=spf1"/);
  });

  it("counts lookups across known includes and flags unknown ones", () => {
    const count = countSpfLookups("v=spf1 a mx include:_spf.google.com include:spf.unknown.example ip4:192.0.2.1 ~all");
    assert.deepEqual(count, { total: 7, direct: 4, unknownIncludes: ["spf.unknown.example"] });
  });

  it("fails a record that needs 11 lookups, naming the fix", () => {
    const includes = Array.from({ length: 9 }, (_, i) => `include:s${i}.example`).join(" ");
    const { errors, lookups } = checkSpf(`v=spf1 a mx ${includes} ~all`);
    assert.equal(lookups.total, 11);
    assert.match(errors.join(), /needs 11 DNS lookups \(limit 10\).*remove senders/);
  });

  it("reads quoted, split TXT content as one string", () => {
    assert.equal(unquoteTxt('"v=spf1 include:a.example " "~all"'), "v=spf1 include:a.example ~all");
  });
});

describe("DMARC", () => {
  it("builds v and p first, with reporting", () => {
    assert.equal(buildDmarcRecord({ policy: "none", rua: ["d@example.com"] }), "v=DMARC1; p=none; rua=mailto:d@example.com");
  });

  it("parses a valid record", () => {
    const d = parseDmarc("v=DMARC1; p=quarantine; sp=reject; pct=50; rua=mailto:a@example.com,mailto:b@example.net");
    assert.deepEqual(d.errors, []);
    assert.equal(d.policy, "quarantine");
    assert.equal(d.subdomainPolicy, "reject");
    assert.deepEqual(d.rua, ["mailto:a@example.com", "mailto:b@example.net"]);
  });

  it("rejects v not first, a bad p, a bad pct and a rua that is not mailto", () => {
    assert.match(parseDmarc("p=none; v=DMARC1").errors.join(), /must be the first tag/);
    assert.match(parseDmarc("v=DMARC1; p=block").errors.join(), /"p=block" must be none, quarantine or reject/);
    assert.match(parseDmarc("v=DMARC1; p=none; pct=150").errors.join(), /pct=150/);
    assert.match(parseDmarc("v=DMARC1; p=none; rua=https://x.example").errors.join(), /must be a mailto: URI/);
    assert.match(parseDmarc("v=DMARC1; rua=mailto:a@example.com").errors.join(), /"p=" is required/);
  });
});
