/**
 * Runs the conformance stage over an offline plan: gathers what the pure checks need
 * (the installed SDKs' shapes, each zone's Cloudflare plan, the AWS default region)
 * from the plan's own config and the command line.
 */
import { ConformanceResult, runConformance } from "../../lib/conformance";
import type { Tier } from "../../lib/provider-facts";
import { zoneTier } from "../../lib/edge/tiers";
import type { PlannedResource } from "../../lib/planned/types";
import { sdkShapes } from "./shapes";
import { rawStackConfig } from "../../lib/config/validate";
import { expandFlatKeys } from "../../lib/config/flat-keys";
import { configKey } from "../../lib/config/project";

export interface ConformanceContext {
  resources: PlannedResource[];
  /** The config the program ran with ("project:key" -> string). */
  config: Record<string, string>;
  /** The project's name, the namespace of the program's own keys. */
  project: string;
  /** Where the program's provider SDKs are installed. */
  programDir: string;
  /** The tier of zones the config does not describe (--zone-plan). */
  tier?: Tier;
}

export { isTier } from "../../lib/provider-facts/tiers";
import { PLAN_TIERS } from "../../lib/provider-facts/tiers";

/** The program's `zone` as the program reads it (the structured key, or the flat keys pulumi new sets); undefined when unreadable. */
function zoneOf(config: Record<string, string>, project: string): Record<string, unknown> | undefined {
  const zone = expandFlatKeys(rawStackConfig((key) => config[configKey(project, key)])).config.zone;
  return typeof zone === "object" && zone !== null && !Array.isArray(zone) ? (zone as Record<string, unknown>) : undefined;
}

/** Launch Ready's own stack config names its zone and plan; a hand-written program passes --zone-plan. */
export function zoneTiersFromConfig(config: Record<string, string>, project: string): Record<string, Tier> {
  const zone = zoneOf(config, project) as { id?: unknown; plan?: unknown; advancedRateLimiting?: unknown } | undefined;
  const plan = typeof zone?.plan === "string" ? zone.plan : "free";
  if (typeof zone?.id !== "string" || !(PLAN_TIERS as readonly string[]).includes(plan)) return {};
  return { [zone.id]: zoneTier(plan as "free", zone.advancedRateLimiting === true) };
}

export function conformanceOf(ctx: ConformanceContext): ConformanceResult {
  const shapes = sdkShapes(ctx.programDir);
  const result = runConformance(ctx.resources, {
    shapes,
    zoneTiers: zoneTiersFromConfig(ctx.config, ctx.project),
    defaultZoneTier: ctx.tier,
    awsRegion: ctx.config["aws:region"],
    adoptedLive: adoptedLiveFromConfig(ctx.config, ctx.project),
  });
  shapes.save();
  return result;
}

/** Phase one's live values from the stack config (zone.existingRecords / existingRulesets entries with `live`), by import id. */
export function adoptedLiveFromConfig(config: Record<string, string>, project: string): Record<string, Record<string, unknown>> {
  const zone = zoneOf(config, project) as { id?: unknown; existingRecords?: Record<string, unknown>; existingRulesets?: Record<string, unknown> } | undefined;
  if (typeof zone?.id !== "string") return {};
  const out: Record<string, Record<string, unknown>> = {};
  const collect = (entries: Record<string, unknown> | undefined, importId: (id: string) => string) => {
    for (const e of Object.values(entries ?? {})) {
      const entry = e as { id?: unknown; live?: unknown };
      if (typeof entry === "object" && entry && typeof entry.id === "string" && typeof entry.live === "object" && entry.live)
        out[importId(entry.id)] = entry.live as Record<string, unknown>;
    }
  };
  collect(zone.existingRecords, (id) => `${zone.id}/${id}`);
  collect(zone.existingRulesets, (id) => `zones/${zone.id}/${id}`);
  return out;
}

export { REPO as REPO_ROOT } from "../repo";
