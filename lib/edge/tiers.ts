/**
 * What each Cloudflare plan allows, read from the one table in
 * lib/provider-facts/cloudflare-plans.json (with its documentation sources). The
 * program fits its rules to it and the conformance stage checks stacks against it.
 */
import type { ZoneConfig } from "../config/schema";
import { cloudflarePlans, Tier, periodsUpTo, TierLimitsRow } from "../provider-facts";

export type { Tier } from "../provider-facts";

export interface TierLimits extends TierLimitsRow {
  tier: Tier;
  /** Periods a rate limit may count over, in seconds. */
  rateLimitPeriods: readonly number[];
  /** Mitigation timeouts the plan offers, in seconds. */
  mitigationTimeouts: readonly number[];
}

/** A zone's tier: its plan, and for Enterprise whether it bought Advanced Rate Limiting. */
export function zoneTier(plan: ZoneConfig["plan"], advancedRateLimiting = false): Tier {
  return plan === "enterprise" && advancedRateLimiting ? "enterprise_arl" : plan;
}

export function tierLimits(tier: Tier): TierLimits {
  const row = cloudflarePlans.tiers[tier];
  return { ...row, tier, rateLimitPeriods: periodsUpTo(row.maxRateLimitPeriod), mitigationTimeouts: periodsUpTo(row.maxMitigationTimeout) };
}

/**
 * Which plan limit caps the number of rules in a phase, and the table's source for it.
 * Phases not listed (the managed-rules phase) have no rule-count limit.
 */
export const PHASE_RULE_LIMITS = {
  http_request_firewall_custom: { limit: "customRules", source: "customRules" },
  http_ratelimit: { limit: "rateLimitRules", source: "rateLimits" },
  http_request_cache_settings: { limit: "cacheRules", source: "cacheRules" },
  http_request_dynamic_redirect: { limit: "redirectRules", source: "redirectRules" },
  http_response_compression: { limit: "compressionRules", source: "compressionRules" },
  http_response_headers_transform: { limit: "responseHeaderRules", source: "responseHeaderRules" },
} as const;

/** The most rules a phase may hold on a plan, with the source of that limit; undefined where there is no count limit. */
export function phaseRuleLimit(phase: string, tier: Tier): { max: number; source: string } | undefined {
  const entry = PHASE_RULE_LIMITS[phase as keyof typeof PHASE_RULE_LIMITS];
  return entry ? { max: cloudflarePlans.tiers[tier][entry.limit], source: cloudflarePlans.sources[entry.source] } : undefined;
}

/**
 * The Cloudflare Managed Ruleset's id, executed in the http_request_firewall_managed phase
 * (https://developers.cloudflare.com/waf/managed-rules/reference/cloudflare-managed-ruleset/).
 */
