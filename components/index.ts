/**
 * Launch Ready's public entry, for your own Pulumi program:
 *
 *   import { LaunchReadySite, sitePlan } from "launch-ready";
 *   const site = new LaunchReadySite("acme", { plan: sitePlan({ environment: "production", zone: {...}, ... }) });
 *
 * One component is public: the site. Its parts (Domain, EdgeSecurity, EdgeCache,
 * EmailAuth, Hosting, Uptime, Turnstile, OriginLock) are internal: they take the site
 * plan's output, and only together do they meet the bar the policy pack checks.
 * `sitePlan` takes the intent (the stack config's keys) and validates it as the stack
 * config is validated. The site names its children after itself, so several sites live
 * in one program.
 */
export { LaunchReadySite } from "./site";
export type { LaunchReadySiteArgs } from "./site";
export { sitePlan, sitePlanFromStackConfig } from "./stack-config";
export { ConfigError } from "../lib/config/validate";
export type { StackConfig, StackConfigInput } from "../lib/config/schema";
export type { SitePlan } from "../lib/site-plan";
export type { DomainMap } from "../lib/domain-map";
