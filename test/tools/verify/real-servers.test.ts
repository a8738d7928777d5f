/**
 * verify against real servers from Debian (Knot DNS, nginx) on loopback: the good domain
 * passes, and a zone the authoritative server does not serve is reported as refused.
 */
import { strict as assert } from "assert";
import { verifyDomain } from "../../../tools/verify/discover";
import { buildZone, startLab, type Lab } from "./helpers/lab";
import { hasOpenssl } from "./helpers/pki";
import { haveRealServers, RealServers, startRealServers } from "./helpers/real-servers";

describe("verify against real servers (Knot DNS, nginx)", function () {
  this.timeout(60_000);
  let lab: Lab;
  let real: RealServers;
  before(async function () {
    if (!haveRealServers() || !hasOpenssl()) {
      console.log("      (skipped: knotd and nginx are not installed; .ci/run installs them)");
      this.skip();
    }
    lab = await startLab();
    real = await startRealServers("good.test", buildZone(), lab.pki);
  });
  after(async () => {
    await real?.close();
    await lab?.close();
  });

  it("the good domain, served by Knot (authoritative) and nginx, passes DNS, email, HTTP and TLS", async () => {
    const asked = lab.dns.queries.length;
    const report = await verifyDomain("good.test", {
      ...lab.options,
      // The zone's names from Knot; every other name (the senders' SPF includes) from the lab resolver.
      dnsZoneServers: { "good.test": [real.dnsAddress] },
      httpsPort: real.httpsPort,
      httpPort: real.httpPort,
      connectTo: {},
      only: ["dns", "email", "http", "tls"],
    });
    const fromLab = lab.dns.queries.slice(asked).map((q) => q.name.toLowerCase());
    assert.ok(
      fromLab.length > 0 && !fromLab.some((n) => n === "good.test" || n.endsWith(".good.test")),
      `the zone's names went to Knot only: ${fromLab.join(", ")}`,
    );
    const bad = report.checks.filter((c) => c.status === "fail").map((c) => `${c.id} ${c.target}: ${c.detail}`);
    assert.deepEqual(bad, []);
    const has = (id: string) => report.checks.filter((c) => c.id === id && c.status === "pass").length;
    assert.ok(
      has("email.spf") && has("email.dkim") && has("email.dmarc") && has("dns.caa") && has("http.headers") && has("tls.cert"),
      JSON.stringify(report.checks.map((c) => [c.id, c.status])),
    );
  });

  it("an authoritative server asked for a zone it does not serve refuses, and verify says so", async () => {
    const report = await verifyDomain("other.test", { ...lab.options, dnsServers: [real.dnsAddress], timeoutMs: 1000, dnsTries: 1, only: ["dns", "email"] });
    const mx = report.checks.find((c) => c.check === "Discovered MX")!;
    assert.equal(mx.status, "fail");
    assert.match(mx.detail, new RegExp(`^could not be checked: DNS MX other\\.test: refused by ${real.dnsAddress.replace(/\./g, "\\.")}`));
    assert.ok(!report.checks.some((c) => c.id === "email.nomail"));
  });
});
