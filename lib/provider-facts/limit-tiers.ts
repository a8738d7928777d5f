/** Cloudflare's plan tiers as the limits table (cloudflare-plans.json) keys them. No imports: CLIs parse arguments with it. */
/** The plans a zone can be on (zone.plan in the stack config). */
export const ZONE_PLANS = ["free", "pro", "business", "enterprise"] as const;
export type ZonePlan = (typeof ZONE_PLANS)[number];
/** The plans, and Enterprise with Advanced Rate Limiting, which has limits of its own. */
export const LIMIT_TIERS = [...ZONE_PLANS, "enterprise_arl"] as const;
export type LimitTier = (typeof LIMIT_TIERS)[number];

export function isLimitTier(v: string): v is LimitTier {
  return (LIMIT_TIERS as readonly string[]).includes(v);
}
