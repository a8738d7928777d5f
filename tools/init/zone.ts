/**
 * With CLOUDFLARE_API_TOKEN, `npm run init` reads the zone through the client `npm run adopt` uses:
 * its id, plan, account and status by name, then its DNS records; after the answers, what adoption
 * would import, create or refuse (lib/adopt/match.ts), and the command that does it.
 */
import { findZoneByName, readZone } from "../adopt/cloudflare";
import { planAdoption } from "../../lib/adopt/match";
import type { LiveZone, LiveZoneSummary } from "../../lib/adopt/live";
import type { SitePlan } from "../../lib/site-plan";
import { PLAN_TIERS } from "../../lib/provider-facts/tiers";
import type { ZoneConfig } from "../../lib/config/schema";

export interface ZoneReading {
  summary: LiveZoneSummary;
  live: LiveZone;
}

export interface ApiOptions {
  token: string;
  baseURL?: string;
  timeoutMs?: number;
}

/** The zone and its records, or undefined when no zone of this name is readable with the token. */
export async function readZoneByName(domain: string, api: ApiOptions): Promise<ZoneReading | undefined> {
  const summary = await findZoneByName(domain, api);
  if (!summary) return undefined;
  const live = await readZone({ ...api, zoneId: summary.id, phases: [], settingIds: [] });
  return { summary, live };
}

export function zonePlanOf(summary: LiveZoneSummary): ZoneConfig["plan"] | undefined {
  const id = summary.plan?.legacy_id;
  return (PLAN_TIERS as readonly string[]).includes(id ?? "") ? (id as ZoneConfig["plan"]) : undefined;
}

/** What init says about the zone it read: where it stands, and what adoption would do with its records. */
export function zoneReport(reading: ZoneReading, plan: SitePlan, adoptCommand: string): string[] {
  const { summary, live } = reading;
  const lines = [
    `Cloudflare zone ${summary.name}: id ${summary.id}, ${summary.plan?.name ?? summary.plan?.legacy_id ?? "plan unknown"}, ${summary.status ?? "status unknown"}.`,
  ];
  if (summary.status === "pending") {
    lines.push(
      `  It is pending: point the domain's name servers at the registrar to ${(summary.name_servers ?? []).join(" and ") || "the two Cloudflare shows"}; nothing resolves through Cloudflare until then.`,
    );
  }
  const held = live.records.filter((r) => !["NS", "SOA"].includes(r.type));
  if (!held.length) {
    lines.push("  It holds no DNS records yet: pulumi up creates every record.");
    return lines;
  }
  const adoption = planAdoption(plan, live);
  lines.push(
    `  It holds ${held.length} DNS record(s): ${adoption.records.length} the stack declares too (adopt imports them instead of re-creating them), ` +
      `${adoption.conflicts.length} conflict(s), ${adoption.untouched.filter((r) => !["NS", "SOA"].includes(r.type)).length} the stack leaves alone.`,
    `  Adopt them before the first pulumi up: ${adoptCommand}`,
  );
  for (const c of adoption.conflicts) lines.push(`    conflict at ${c.fqdn}: ${c.problem}; ${c.fix}`);
  return lines;
}
