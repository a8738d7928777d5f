import { strict as assert } from "assert";
import { monthlyCost, healthCheckFeatures } from "../../lib/cost/monthly";
import type { MonitorSpec } from "../../lib/uptime/monitors";

function monitor(over: Partial<MonitorSpec>): MonitorSpec {
  return {
    key: "host-apex",
    name: "homepage",
    host: "example.com",
    path: "/",
    url: "https://example.com/",
    critical: true,
    latencyTargetMs: 2000,
    failureThreshold: 3,
    intervalSeconds: 30,
    regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
    measureLatency: false,
    availabilityTarget: 99.9,
    availabilityAlertBelow: 99.5,
    ...over,
  };
}

describe("monthly cost", () => {
  it("prices each check with its optional features, the alarms, the dashboard and the Cloudflare plan (worked by hand)", () => {
    // Check 1: HTTPS, string matching, 10 s interval, latency: $0.75 + 4 x $2.00 = $8.75, 3 alarms.
    // Check 2: HTTPS only: $0.75 + $2.00 = $2.75, 2 alarms.
    // Alarms 5 x $0.10 = $0.50; dashboard $3.00; SNS $0; Pro $25.00. Total $40.00.
    const cost = monthlyCost({
      monitors: [monitor({ expect: "ok", intervalSeconds: 10, measureLatency: true }), monitor({ name: "api" })],
      dashboards: 1,
      tier: "pro",
      managesZone: true,
    });
    assert.deepEqual(
      cost.lines.map((l) => [l.item, l.quantity, l.monthlyUsd]),
      [
        ["Route 53 health checks (non-AWS endpoint)", 2, 1.5],
        ["Route 53 health check feature: HTTPS", 2, 4],
        ["Route 53 health check feature: String matching", 1, 2],
        ["Route 53 health check feature: Fast interval (10 s)", 1, 2],
        ["Route 53 health check feature: Latency measurement", 1, 2],
        ["CloudWatch alarms (standard resolution)", 5, 0.5],
        ["CloudWatch dashboard", 1, 3],
        ["SNS alert notifications", 1, 0],
        ["Cloudflare Pro plan (billed monthly)", 1, 25],
      ],
    );
    assert.equal(cost.totalUsd, 40);
    assert.match(cost.notes.join("\n"), /Billed annually, the pro plan is \$20 a month/);
  });

  it("leaves an Enterprise contract out of the total and says so; a stack that does not own the zone pays no plan", () => {
    const enterprise = monthlyCost({ monitors: [monitor({})], dashboards: 1, tier: "enterprise", managesZone: true });
    const plan = enterprise.lines.find((l) => l.item === "Cloudflare Enterprise plan")!;
    assert.deepEqual([plan.unitUsd, plan.monthlyUsd], [null, null]);
    // $0.75 + $2.00 + 2 x $0.10 + $3.00
    assert.equal(enterprise.totalUsd, 5.95);
    assert.match(enterprise.notes.join("\n"), /Enterprise is priced by contract: not in the total/);
    const shared = monthlyCost({ monitors: [monitor({})], dashboards: 1, tier: "business", managesZone: false });
    assert.ok(!shared.lines.some((l) => l.item.startsWith("Cloudflare")));
    assert.match(shared.notes.join("\n"), /paid by the stack that owns the zone/);
  });

  it("adds no cent of rounding drift over many checks", () => {
    const cost = monthlyCost({
      monitors: Array.from({ length: 33 }, () => monitor({ measureLatency: true })),
      dashboards: 1,
      tier: "free",
      managesZone: true,
    });
    // 33 x ($0.75 + $2 + $2) + 99 x $0.10 + $3 = $156.75 + $9.90 + $3 = $169.65
    assert.equal(cost.totalUsd, 169.65);
    assert.deepEqual(healthCheckFeatures(monitor({ expect: "x" })), ["HTTPS", "String matching"]);
  });
});
