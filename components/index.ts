/**
 * Launch Ready's components for your own Pulumi program:
 *
 *   import { LaunchReadySite, sitePlan } from "launch-ready";
 *   const site = new LaunchReadySite("acme", { plan: sitePlan({ environment: "production", zone: {...}, ... }) });
 *
 * Each component names its children after itself, so several sites live in one program.
 */
export { LaunchReadySite } from "./site";
export type { LaunchReadySiteArgs } from "./site";
export { Domain } from "./domain";
export type { DomainArgs } from "./domain";
export { EdgeSecurity } from "./edge-security";
export type { EdgeSecurityArgs } from "./edge-security";
export { EdgeCache } from "./edge-cache";
export type { EdgeCacheArgs } from "./edge-cache";
export { EmailAuth } from "./email-auth";
export type { EmailAuthArgs } from "./email-auth";
export { Hosting } from "./hosting";
export type { HostingArgs } from "./hosting";
export { Uptime } from "./uptime";
export { Turnstile } from "./turnstile";
export { OriginLock } from "./origin-lock";
export type { OriginLockArgs } from "./origin-lock";
export type { TurnstileArgs } from "./turnstile";
export type { UptimeArgs } from "./uptime";
export type { ZoneRef } from "./cloudflare-resources";
export { sitePlan, sitePlanFromStackConfig } from "./stack-config";
export { ConfigError } from "../lib/config/validate";
export type { StackConfig } from "../lib/config/schema";
export type { SitePlan } from "../lib/site-plan";
export type { DomainMap } from "../lib/domain-map";
