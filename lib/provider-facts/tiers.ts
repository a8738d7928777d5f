/**
 * Cloudflare's plan, as one name: the tier. The limits table (cloudflare-plans.json) keys its
 * rows by tier; a zone's `zone.plan` names one of the plan tiers, and Enterprise with Advanced
 * Rate Limiting (`zone.advancedRateLimiting`) is a tier of its own. No imports: CLIs parse
 * arguments with it.
 */
/** The tiers `zone.plan` can name: Cloudflare's plans. */
export const PLAN_TIERS = ["free", "pro", "business", "enterprise"] as const;
/** Every tier the limits table has: the plans, and Enterprise with Advanced Rate Limiting. */
export const TIERS = [...PLAN_TIERS, "enterprise_arl"] as const;
export type Tier = (typeof TIERS)[number];

export function isTier(v: string): v is Tier {
  return (TIERS as readonly string[]).includes(v);
}
