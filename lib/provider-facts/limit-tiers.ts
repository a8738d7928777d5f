/** Cloudflare's plan tiers as the limits table (cloudflare-plans.json) keys them. No imports: CLIs parse arguments with it. */
export const LIMIT_TIERS = ["free", "pro", "business", "enterprise", "enterprise_arl"] as const;
export type LimitTier = (typeof LIMIT_TIERS)[number];

export function isLimitTier(v: string): v is LimitTier {
  return (LIMIT_TIERS as readonly string[]).includes(v);
}
