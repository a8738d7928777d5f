/**
 * The Launch Ready CrossGuard policy pack: `pulumi preview --policy-pack policies`.
 *
 * Constructing a PolicyPack starts the policy server, so nothing may import this
 * file: tests and `npm run plan` use policies/rules (the list) and
 * tools/policy/offline.ts (the in-process evaluator) instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./rules";

new PolicyPack("launch-ready-minimum-bar", {
  description: "Launch Ready minimum bar: Cloudflare SSL/TLS, HSTS, WAF and rate limits, safe cache rules, SPF/DMARC, Vercel secrets, and uptime monitoring.",
  enforcementLevel: "advisory",
  policies: allPolicies,
});
