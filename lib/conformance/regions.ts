/**
 * Where a service exists: each regional AWS resource in a region where its API exists,
 * and alarms on Route 53 health-check metrics where those metrics are published.
 */
import { awsFacts } from "../provider-facts";
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";
import { revealSecret as plain } from "../planned/secrets";
import type { ConformanceFinding, Resource } from "./types";

/** The region a resource is created in: its own `region`, its explicit provider's, or the default provider's. */
export function regionOf(r: Resource, byUrn: ReadonlyMap<string, Resource>, defaultRegion: string | undefined): string | undefined {
  const own = plain(r.props.region);
  if (typeof own === "string") return own;
  const providerUrn = r.opts.provider?.split("::").slice(0, -1).join("::");
  const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
  const fromProvider = provider ? plain(provider.props.region) : undefined;
  return typeof fromProvider === "string" ? fromProvider : defaultRegion;
}

export function checkRegions(resources: readonly Resource[], defaultRegion: string | undefined): { findings: ConformanceFinding[]; skipped: string[] } {
  const findings: ConformanceFinding[] = [];
  const skipped: string[] = [];
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  for (const r of resources) {
    if (!r.custom || !r.type.startsWith("aws:")) continue;
    const region = regionOf(r, byUrn, defaultRegion);
    const service = awsFacts.serviceRegions.find((s) => s.types.includes(r.type));
    const metric =
      r.type === RESOURCE_TYPES.metricAlarm
        ? awsFacts.metricRegions.find((m) => m.namespace === plain(r.props.namespace) && m.metrics.includes(plain(r.props.metricName)))
        : undefined;
    const rule = service
      ? { regions: service.regions, source: service.source, what: `${service.service} has no API in` }
      : metric
        ? { regions: metric.regions, source: metric.source, what: `${metric.namespace} ${plain(r.props.metricName)} has no data in` }
        : undefined;
    // The provider validates `statistic`; a percentile (extendedStatistic) passes it but the namespace may have none.
    const extended = plain(r.props.extendedStatistic);
    if (metric?.statistics && extended !== undefined) {
      findings.push({
        check: "value",
        urn: r.urn,
        type: r.type,
        name: r.name,
        property: "extendedStatistic",
        given: JSON.stringify(extended),
        allowed: `statistic: ${metric.statistics.join(", ")}`,
        source: metric.statisticsSource ?? metric.source,
        message: `${metric.namespace} ${plain(r.props.metricName)} has no ${String(extended)} statistic: the alarm would never get data`,
      });
    }
    if (!rule) continue;
    if (!region) {
      skipped.push(`${r.name}: no region set and no aws:region configured, so its region could not be checked`);
      continue;
    }
    if (!rule.regions.includes(region)) {
      findings.push({
        check: "region",
        urn: r.urn,
        type: r.type,
        name: r.name,
        property: "region",
        given: JSON.stringify(region),
        allowed: rule.regions.join(", "),
        source: rule.source,
        message: `${rule.what} ${region}`,
      });
    }
  }
  return { findings, skipped };
}
