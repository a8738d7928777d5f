/**
 * CAA against the certificate a host serves, in the lab: the good zone's CAA allows the issuing CA;
 * wrongca.test's CAA names only another CA (renewal will be refused); unlisted.test serves a
 * certificate from a CA the CCADB list lacks (a warning); and with Knot as the authoritative server.
 */
import { strict as assert } from "assert";
import { caaIdentifiers } from "../../../lib/provider-facts";
import { checkCaaIssuer, ownerOfIssuer } from "../../../tools/verify/caa-issuer";
import { verifyDomain } from "../../../tools/verify/discover";
import { Net } from "../../../tools/verify/net";
import { buildZone, startLab, type Lab } from "./helpers/lab";
import { hasOpenssl } from "./helpers/pki";
import { haveRealServers, startRealServers, type RealServers } from "./helpers/real-servers";

describe("verify: CAA against the served certificate's issuer", function () {
  let lab: Lab;
  let net: Net;
  before(async function () {
    if (!hasOpenssl()) this.skip();
    lab = await startLab();
    net = new Net(lab.options);
  });
  after(async () => lab?.close());

  it("passes where CAA allows the issuer: the apex, and a subdomain under the apex's CAA", async () => {
    for (const host of ["good.test", "api.good.test"]) {
      const r = await checkCaaIssuer(net, host, "good.test");
      assert.equal(r.status, "pass", r.detail);
      assert.match(r.detail, /Internet Security Research Group \(Let's Encrypt\) issued the served certificate and CAA at good\.test allows letsencrypt\.org/);
    }
  });

  it("--domain: CAA that names only another CA fails with the record to add (renewal would be refused)", async () => {
    const report = await verifyDomain("wrongca.test", { ...lab.options, only: ["tls"] });
    const row = report.checks.find((c) => c.id === "tls.caa-issuer" && c.target === "wrongca.test")!;
    assert.ok(row, report.checks.map((c) => `${c.id} ${c.target}`).join(", "));
    assert.equal(row.status, "fail");
    assert.match(
      row.detail,
      /CAA at wrongca\.test allows digicert\.com for issue, but wrongca\.test serves a certificate from Internet Security Research Group \(Let's Encrypt\).*renewal will be refused/,
    );
    assert.equal(row.fix, 'add wrongca.test CAA 0 issue "letsencrypt.org", or move wrongca.test to a CA the CAA allows');
  });

  it("an issuer the CCADB list lacks is a warning saying so, not a pass", async () => {
    const r = await checkCaaIssuer(net, "unlisted.test", "unlisted.test");
    assert.equal(r.status, "warn");
    assert.match(r.detail, /issuer "Launch Ready Unlisted CA" is not in the CCADB CAA identifiers verify carries/);
  });

  it('CAA that forbids every CA (issue ";") fails for the host it serves', async () => {
    const r = await checkCaaIssuer(net, "www.broken.test", "broken.test");
    assert.equal(r.status, "fail");
    assert.match(r.detail, /allows no CA \(;\)/);
  });

  it("the data: every issuing organization maps to exactly one CA owner, and every owner has identifiers", () => {
    const orgs = caaIdentifiers.owners.flatMap((o) => o.issuerOrganizations.map((x) => x.toLowerCase()));
    assert.equal(new Set(orgs).size, orgs.length, "an organization listed under two owners");
    assert.equal(ownerOfIssuer("Let's Encrypt")?.caaIdentifiers[0], "letsencrypt.org");
    assert.equal(ownerOfIssuer("ZeroSSL")?.owner, "Sectigo");
    assert.equal(ownerOfIssuer("Nobody's CA"), undefined);
  });

  describe("with Knot serving the zone's CAA", function () {
    this.timeout(60_000);
    let real: RealServers | undefined;
    before(async function () {
      if (!haveRealServers()) this.skip();
      real = await startRealServers("good.test", buildZone(), lab.pki);
    });
    after(async () => real?.close());

    it("nginx's certificate (the lab CA's Let's Encrypt-named intermediate) is allowed by Knot's CAA", async () => {
      const knot = new Net({ ...lab.options, dnsZoneServers: { "good.test": [real!.dnsAddress] }, httpsPort: real!.httpsPort, connectTo: {} });
      const r = await checkCaaIssuer(knot, "good.test", "good.test");
      assert.equal(r.status, "pass", r.detail);
    });
  });
});
