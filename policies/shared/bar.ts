/**
 * Numbers and ids of the minimum bar that the program, the policy pack and verify all use:
 * defined once here (the pack carries this folder), with where each comes from.
 */

/** HSTS max-age floor: 6 months, the least hstspreload.org and scanners accept as protecting first visits. */
export const HSTS_MIN_MAX_AGE = 15_552_000;

/** Cloudflare Managed Ruleset id (https://developers.cloudflare.com/waf/managed-rules/reference/cloudflare-managed-ruleset/). */
export const CLOUDFLARE_MANAGED_RULESET_ID = "efb7b8c949ac4650a09736fc376e9aee";

/** Vercel's environment targets, in the order everything lists them. */
export const ENV_TARGETS = ["production", "preview", "development"] as const;
export type EnvTarget = (typeof ENV_TARGETS)[number];

/** A literal that reads as a host name ("www.example.com"), not a path or a value. */
export function isHostLiteral(s: string): boolean {
  return /^[a-z0-9*][a-z0-9.-]*\.[a-z]{2,}$/i.test(s);
}
