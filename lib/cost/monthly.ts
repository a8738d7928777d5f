/**
 * What the declared stack costs per month at list prices (lib/provider-facts/prices.json):
 * each Route 53 health check with its optional features, the CloudWatch alarms and dashboard,
 * SNS and Chatbot (free at alert volumes), and the Cloudflare plan. Vercel bills its own plan.
 */
import type { ZoneConfig } from "../config/schema";
import { prices } from "../provider-facts";
import type { MonitorSpec } from "../uptime/monitors";
import { alarmKindsOf } from "../uptime/monitors";

export interface CostLine {
  item: string;
  quantity: number;
  /** USD per unit per month; null where the price is by contract. */
  unitUsd: number | null;
  monthlyUsd: number | null;
  source: string;
}

export interface MonthlyCost {
  currency: "USD";
  lines: CostLine[];
  /** Sum of the priced lines, rounded to cents. */
  totalUsd: number;
  notes: string[];
  pricesRead: string;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** Route 53's optional features a check uses: every check here is HTTPS. */
export function healthCheckFeatures(m: Pick<MonitorSpec, "expect" | "intervalSeconds" | "measureLatency">): string[] {
  return [
    "HTTPS",
    ...(m.expect ? ["String matching"] : []),
    ...(m.intervalSeconds === 10 ? ["Fast interval (10 s)"] : []),
    ...(m.measureLatency ? ["Latency measurement"] : []),
  ];
}

export function monthlyCost(input: { monitors: readonly MonitorSpec[]; dashboards: number; tier: ZoneConfig["plan"]; managesZone: boolean }): MonthlyCost {
  const r53 = prices.route53HealthChecks;
  const cw = prices.cloudwatch;
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const line = (item: string, quantity: number, unitUsd: number | null, source: string) => {
    if (quantity > 0) lines.push({ item, quantity, unitUsd, monthlyUsd: unitUsd === null ? null : cents(quantity * unitUsd), source });
  };
  line("Route 53 health checks (non-AWS endpoint)", input.monitors.length, r53.basic.nonAwsEndpoint, r53.source);
  for (const feature of r53.features) {
    const count = input.monitors.filter((m) => healthCheckFeatures(m).includes(feature)).length;
    line(`Route 53 health check feature: ${feature}`, count, r53.optionalFeature.nonAwsEndpoint, r53.source);
  }
  const alarms = input.monitors.reduce((n, m) => n + alarmKindsOf(m).length, 0);
  line("CloudWatch alarms (standard resolution)", alarms, cw.standardAlarmMetric, cw.source);
  line("CloudWatch dashboard", input.dashboards, cw.dashboard, cw.source);
  line("SNS alert notifications", input.monitors.length ? 1 : 0, prices.sns.perMonthAtAlertVolumes, prices.sns.source);
  if (input.managesZone) {
    const plan = input.tier;
    if (plan === "enterprise") {
      line("Cloudflare Enterprise plan", 1, null, prices.cloudflarePlans.source);
      notes.push(`Cloudflare Enterprise is priced ${prices.cloudflarePlans.enterprise}: not in the total.`);
    } else {
      line(
        `Cloudflare ${plan[0].toUpperCase()}${plan.slice(1)} plan${plan === "free" ? "" : " (billed monthly)"}`,
        1,
        prices.cloudflarePlans.perMonth[plan],
        prices.cloudflarePlans.source,
      );
      if (plan !== "free") {
        notes.push(`Billed annually, the ${plan} plan is $${prices.cloudflarePlans.billedAnnuallyPerMonth[plan]} a month.`);
      }
    }
  } else {
    notes.push("The Cloudflare plan is paid by the stack that owns the zone.");
  }
  notes.push(
    `CloudWatch's free tier (${cw.freeTier.alarms} alarms, ${cw.freeTier.dashboards} dashboards, ${cw.freeTier.note}) may cover part of this; the total does not count on it.`,
    r53.note,
    prices.sns.note,
    prices.cloudflarePlans.freeFeatures,
    "Vercel's plan is billed by Vercel and not counted here.",
  );
  const totalUsd = cents(lines.reduce((sum, l) => sum + (l.monthlyUsd ?? 0), 0));
  return { currency: "USD", lines, totalUsd, notes, pricesRead: prices.read };
}
