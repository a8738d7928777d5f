/**
 * The alarms' windows are one piece of data: the planned alarms and the handover's words come from it.
 */
import { strict as assert } from "assert";
import { renderHandover } from "../../lib/handover";
import { ALARM_WINDOWS, dashboardBody, durationText, windowText } from "../../lib/uptime/alarms";
import type { MonitorSpec } from "../../lib/uptime/monitors";
import { HANDOVER, planExample } from "../helpers/stack-config";

describe("uptime alarms as data", function () {
  this.timeout(60_000);

  it("says each window the way a person does", () => {
    assert.equal(windowText("down"), "2 minutes");
    assert.equal(windowText("latency"), "15 minutes");
    assert.equal(windowText("availability"), "1 day");
    for (const [seconds, text] of [
      [60, "1 minute"],
      [3600, "1 hour"],
      [7200, "2 hours"],
      [172800, "2 days"],
    ] as const)
      assert.equal(durationText(seconds), text);
  });

  it("the planned alarms and the handover use the same windows", async () => {
    const plan = await planExample("prod");
    const alarms = plan.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    const byMetric = (metric: string) => alarms.filter((a) => a.props.metricName === metric);
    for (const [metric, kind] of [
      ["HealthCheckStatus", "down"],
      ["TimeToFirstByte", "latency"],
      ["HealthCheckPercentageHealthy", "availability"],
    ] as const) {
      assert.ok(byMetric(metric).length > 0, metric);
      for (const a of byMetric(metric)) {
        assert.equal(a.props.period, ALARM_WINDOWS[kind].periodSeconds, a.name);
        assert.equal(a.props.evaluationPeriods, ALARM_WINDOWS[kind].evaluationPeriods, a.name);
      }
    }
    const text = renderHandover(plan.domainMap, HANDOVER);
    assert.match(text, /\*\*down\*\* \(the check kept failing for 2 minutes\)/);
    assert.match(text, /over the response target for 15 minutes/);
  });

  it("builds the dashboard from the monitors and their check ids, latency only where measured", () => {
    const monitor = (name: string, measureLatency: boolean): MonitorSpec =>
      ({ name, url: `https://quillnote.app/${name}`, measureLatency, latencyTargetMs: name === "api" ? 500 : 2000 }) as MonitorSpec;
    const body = JSON.parse(
      dashboardBody(
        { title: "quillnote.app prod", availabilityTarget: 99.9, availabilityAlertBelow: 99.5 },
        [monitor("home", true), monitor("api", false)],
        { home: "hc-1", api: "hc-2" },
        "us-east-1",
      ),
    );
    const [text, health, availability, latency] = body.widgets;
    assert.match(text.properties.markdown, /^# quillnote\.app prod\n/);
    assert.deepEqual(
      health.properties.metrics.map((m: unknown[]) => m[3]),
      ["hc-1", "hc-2"],
    );
    assert.deepEqual(availability.properties.annotations.horizontal, [
      { label: "target", value: 99.9 },
      { label: "alert", value: 99.5 },
    ]);
    assert.deepEqual(
      latency.properties.metrics.map((m: unknown[]) => m[3]),
      ["hc-1"],
    );
    assert.deepEqual(
      latency.properties.annotations.horizontal.map((a: { value: number }) => a.value),
      [2000, 500],
    );
  });
});
