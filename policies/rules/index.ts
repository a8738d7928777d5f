/**
 * Every policy of the Launch Ready minimum bar. Importable with no side effects:
 * policies/index.ts hands this list to `new PolicyPack(...)`, and tests and
 * `npm run plan` (through tools/policy/offline.ts) evaluate it directly.
 */
import type { LaunchPolicy } from "./util";
import { alwaysUseHttps, hsts, minTlsVersion, sslEncryptsOrigin, sslStrict, zoneBaselineDeclared } from "./zone-settings";
import { noUnproxiedOrigin, noWildcardOrigin } from "./dns";
import { dkimForSpfSenders, dmarcAtApex, dmarcEnforcing, dmarcValid, spfOnePerName, spfValid } from "./email";
import { cacheNoSensitivePaths } from "./cache";
import { ratelimitEffective, ratelimitForSensitiveRoutes, ratelimitNotLoosened } from "./rate-limits";
import { botFightMode, ddosNotDisabled, sslExpiryNotifications, wafManagedDeployed, wafNotDisabled } from "./waf";
import { envNoClientSecrets, envProductionIsolated, envProductionValuesNotReused, envSecretsSensitive, envSensitiveTargets } from "./vercel-env";
import { healthCheckAlarmed, healthCheckHttps, healthCheckTargetsAlarmed, healthCheckThreshold, webHostsMonitored } from "./uptime";
import { canonicalRedirect } from "./redirect";
import { noStagingInProduction, sharedZoneOwnership } from "./stack";
import { vercelNoHtmlRewriting, vercelSslStrict } from "./vercel-edge";
import { caaAllowsHostingAuthority, dnssecSigned, securityHeadersAtEdge, tlsReportingForInboundMail } from "./launch";

export type { LaunchPolicy } from "./util";

export const allPolicies: LaunchPolicy[] = [
  // Cloudflare zone settings
  sslEncryptsOrigin,
  sslStrict,
  alwaysUseHttps,
  minTlsVersion,
  hsts,
  zoneBaselineDeclared,
  // DNS
  noUnproxiedOrigin,
  noWildcardOrigin,
  // Email
  spfValid,
  spfOnePerName,
  dkimForSpfSenders,
  dmarcValid,
  dmarcAtApex,
  dmarcEnforcing,
  // Edge rules
  cacheNoSensitivePaths,
  ratelimitEffective,
  ratelimitForSensitiveRoutes,
  ratelimitNotLoosened,
  ddosNotDisabled,
  wafNotDisabled,
  wafManagedDeployed,
  botFightMode,
  sslExpiryNotifications,
  canonicalRedirect,
  // Hosting
  envSecretsSensitive,
  envNoClientSecrets,
  envSensitiveTargets,
  envProductionIsolated,
  envProductionValuesNotReused,
  vercelNoHtmlRewriting,
  vercelSslStrict,
  // Uptime
  healthCheckHttps,
  healthCheckThreshold,
  healthCheckAlarmed,
  healthCheckTargetsAlarmed,
  webHostsMonitored,
  // Launch features
  caaAllowsHostingAuthority,
  securityHeadersAtEdge,
  dnssecSigned,
  tlsReportingForInboundMail,
  // Stack
  noStagingInProduction,
  sharedZoneOwnership,
];

/** A policy by name (throws when there is none: tests use it). */
export function policyNamed(name: string): LaunchPolicy {
  const p = allPolicies.find((x) => x.name === name);
  if (!p) throw new Error(`no policy named ${name}`);
  return p;
}
