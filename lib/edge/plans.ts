/**
 * What each Cloudflare plan allows, from Cloudflare's documentation (WAF custom
 * rules, rate limiting rules, cache rules, redirect rules availability tables).
 */
import type { PlanTier } from "../domain-map";

export interface PlanLimits {
  rateLimitRules: number;
  /** Periods a rate limit may count over, in seconds. */
  rateLimitPeriods: readonly number[];
  /** The mitigation timeouts allowed, in seconds. */
  maxMitigationTimeout: number;
  /** Free counts by IP and needs the data-centre id among the characteristics. */
  rateLimitCharacteristics: readonly string[];
  /** Free rate limits may only match on the path. */
  rateLimitPathOnly: boolean;
  customRules: number;
  cacheRules: number;
  redirectRules: number;
  compressionRules: number;
  /** The full Cloudflare Managed Ruleset (Free zones get the Free Managed Ruleset automatically). */
  managedRuleset: boolean;
  /** `matches` (regular expressions) in rule expressions. */
  regex: boolean;
}

const ALL_PERIODS = [10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400];
const IP_AND_COLO = ["ip.src", "cf.colo.id"];

export const PLAN_LIMITS: Readonly<Record<PlanTier, PlanLimits>> = {
  free: { rateLimitRules: 1, rateLimitPeriods: [10], maxMitigationTimeout: 10, rateLimitCharacteristics: IP_AND_COLO, rateLimitPathOnly: true, customRules: 5, cacheRules: 10, redirectRules: 10, compressionRules: 10, managedRuleset: false, regex: false },
  pro: { rateLimitRules: 2, rateLimitPeriods: ALL_PERIODS.filter((p) => p <= 60), maxMitigationTimeout: 3600, rateLimitCharacteristics: IP_AND_COLO, rateLimitPathOnly: false, customRules: 20, cacheRules: 25, redirectRules: 25, compressionRules: 25, managedRuleset: true, regex: false },
  business: { rateLimitRules: 5, rateLimitPeriods: ALL_PERIODS.filter((p) => p <= 600), maxMitigationTimeout: 86400, rateLimitCharacteristics: IP_AND_COLO, rateLimitPathOnly: false, customRules: 100, cacheRules: 50, redirectRules: 50, compressionRules: 50, managedRuleset: true, regex: true },
  enterprise: { rateLimitRules: 100, rateLimitPeriods: ALL_PERIODS, maxMitigationTimeout: 86400, rateLimitCharacteristics: IP_AND_COLO, rateLimitPathOnly: false, customRules: 1000, cacheRules: 300, redirectRules: 300, compressionRules: 300, managedRuleset: true, regex: true },
};

/** The Cloudflare Managed Ruleset's id, executed in the http_request_firewall_managed phase. */
export const CLOUDFLARE_MANAGED_RULESET_ID = "efb7b8c949ac4650a09736fc376e9aee";
