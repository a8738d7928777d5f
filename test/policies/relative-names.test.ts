/**
 * Hand-written stacks that name records relative to the zone ("@", "www", "_dmarc"): the
 * policies resolve them against the zone's name where the stack shows it (a cloudflare.Zone
 * the records depend on, or the hosts it names elsewhere), never a placeholder zone.
 */
import { strict as assert } from "assert";
import { evaluatePolicies } from "../../tools/policy/offline";
import { goodStack, relativeGoodStack, T } from "../fixtures/policies/stacks";

describe("policies: zone-relative record names", () => {
  for (const zone of ["resource", "hosts"] as const) {
    it(`the good stack written with relative names passes as the full-name one does (zone name from ${zone === "resource" ? "a Zone resource" : "the stack's hosts"})`, async () => {
      const full = await evaluatePolicies(goodStack());
      const relative = await evaluatePolicies(relativeGoodStack(zone));
      const summary = (vs: typeof full) => vs.map((v) => `${v.policyName}: ${v.status} ${v.violations.map((x) => x.message).join("; ")}`);
      assert.deepEqual(summary(relative), summary(full));
      assert.ok(!JSON.stringify(relative).includes("zone.invalid"));
    });
  }

  it("names the real zone in a violation on a relative record", async () => {
    const stack = relativeGoodStack("resource").filter((r) => !(r.type === T.dnsRecord && r.props.name === "_dmarc"));
    const dmarc = (await evaluatePolicies(stack)).find((v) => v.policyName === "dmarc-at-apex")!;
    assert.equal(dmarc.status, "violation");
    assert.match(
      dmarc.violations[0].message,
      /^example\.com has no DMARC record: publish "v=DMARC1; p=none; rua=mailto:dmarc@example\.com" at _dmarc\.example\.com\.$/,
    );
  });
});

describe("policies: relative names in a zone the stack never names", () => {
  it("shows the relative name, never a placeholder zone", async () => {
    // No Zone resource, no health check, no Vercel domain: nothing says which zone "www" is in.
    const stack = relativeGoodStack("hosts").filter(
      (r) => ![T.healthCheck, T.metricAlarm, T.vercelDomain].includes(r.type as never) && !(r.type === T.dnsRecord && r.props.name === "_dmarc"),
    );
    const verdicts = await evaluatePolicies(stack);
    assert.ok(!JSON.stringify(verdicts).includes("zone.invalid"), JSON.stringify(verdicts).match(/[^"]*zone\.invalid[^"]*/)?.[0]);
    const monitored = verdicts.find((v) => v.policyName === "web-hosts-monitored")!;
    assert.ok(
      monitored.violations.some(
        (x) => x.message === 'www is a proxied web hostname with no uptime monitor: add a Route 53 health check with fqdn "www" under your domain.',
      ),
      monitored.violations.map((x) => x.message).join("\n"),
    );
    const dmarc = verdicts.find((v) => v.policyName === "dmarc-at-apex")!;
    assert.equal(
      dmarc.violations[0].message,
      '@ (the zone apex) has no DMARC record: publish "v=DMARC1; p=none; rua=mailto:dmarc@<your domain>" at _dmarc.<your domain>.',
    );
  });
});
