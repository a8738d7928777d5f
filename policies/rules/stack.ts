/**
 * Whole-stack checks: staging hosts kept out of production stacks, and a note on
 * what a stack leaves to the stack that owns the shared zone.
 */
import { looksLikeNonProductionName } from "../shared/names";
import { isDmarcRecord } from "../shared/dmarc";
import { envEntriesOf } from "./vercel-env";
import { LaunchPolicy, StackRes, T, policySettings, setting, isZoneEdgeConfig, stackOfUrn, stackResources, str } from "./util";
import { apexOf, normHost, qualify, recordNamer, registrableDomain, shown, txtText } from "./hosts";
import { expressionHosts, rulesOf } from "./expressions";

export const DEFAULT_PRODUCTION_STACKS = ["prod", "production"];
/** Stack names that are production: prod, production, prod-eu, acme-prod (but not preprod). */
export const DEFAULT_PRODUCTION_PATTERN = "(^|[-_.])prod(uction)?($|[-_.])";

export function isProductionStack(stack: string | undefined, cfg: { productionStacks: string[]; productionStackPattern: string }): boolean {
  if (!stack) return false;
  const s = stack.toLowerCase();
  if (cfg.productionStacks.map((x) => x.toLowerCase()).includes(s)) return true;
  if (!cfg.productionStackPattern) return false;
  let pattern: RegExp;
  try {
    pattern = new RegExp(cfg.productionStackPattern, "i");
  } catch (err) {
    // Loud on purpose: treating the stack as non-production would turn a mandatory policy into "not applicable".
    throw new Error(
      `productionStackPattern ${JSON.stringify(cfg.productionStackPattern)} is not a valid regular expression (${(err as Error).message}): fix it in the policy config`,
      { cause: err },
    );
  }
  return pattern.test(s);
}

/** The stack's name, read from the resources' URNs. */
export function stackNameOf(resources: { urn: string }[]): string | undefined {
  for (const r of resources) {
    const s = stackOfUrn(r.urn);
    if (s) return s;
  }
  return undefined;
}

/** Service labels (_dmarc, selector._domainkey, _acme-challenge) are stripped before judging a host. */
function hostPart(name: string): string {
  return name.replace(/^(_[^.]+\.)+/, "").replace(/^[^.]+\._domainkey\./, "");
}

/** The labels of `host` below the longest of `zones` it lies in ("" for a zone's apex), or undefined when it lies in none. */
function belowZone(host: string, zones: readonly string[]): string | undefined {
  const h = normHost(host);
  const zone = zones.filter((z) => h === z || h.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
  if (zone === undefined) return undefined;
  return h === zone ? "" : h.slice(0, -(zone.length + 1));
}

/**
 * Whether a host marks a non-production name: looksLikeNonProductionName on the labels the
 * stack chose below its zone. The zone's own name is not a signal (acme.dev is a production
 * domain on the .dev TLD), and neither is a host outside `zones`: a third party's name
 * (fm1.acme.dev.dkim.fmhosted.com) is not one the stack chose. Unset `zones`: the host's
 * registrable domain is its zone.
 */
export function isNonProductionHost(host: string, zones: readonly string[] = [registrableDomain(host)]): boolean {
  const below = belowZone(hostPart(normHost(host)), zones);
  return below !== undefined && looksLikeNonProductionName(below);
}

/**
 * The zones whose names the stack owns: its cloudflare.Zone resources, the zone of every DNS
 * record it declares (recordNamer) and of every Vercel domain (a domain Vercel verified as the project's).
 */
function ownZones(resources: readonly StackRes[], nameOf: (r: StackRes) => string): string[] {
  const declared = resources.filter((r) => r.type === T.zone).map((r) => normHost(str(r.props.name) ?? str(r.props.zone) ?? ""));
  const zoneOf = (host: string) => apexOf(host, declared);
  const names = [
    ...resources.filter((r) => r.type === T.dnsRecord).map(nameOf),
    ...resources.filter((r) => r.type === T.vercelDomain).map((r) => str(r.props.domain) ?? ""),
  ];
  return [...new Set([...declared, ...names.filter(Boolean).map(zoneOf)])].filter(Boolean);
}

const URL_HOSTS = /https?:\/\/([a-z0-9.-]+\.[a-z]{2,})/gi;

const STAGING_SETTINGS = policySettings({
  productionStacks: setting.strings(DEFAULT_PRODUCTION_STACKS),
  productionStackPattern: setting.string(DEFAULT_PRODUCTION_PATTERN, { format: "regex" }),
  allowedHosts: setting.strings(),
});

export const noStagingInProduction: LaunchPolicy = {
  name: "no-staging-hosts-in-production",
  severity: "high",
  remediationSteps:
    "Move the staging host to Pulumi.staging.yaml (its own stack), and point production env vars at production hosts only; " +
    "list a deliberate exception in this policy's allowedHosts setting.",
  url: "https://www.pulumi.com/docs/iac/concepts/stacks/",
  description:
    "A production stack must not declare staging/preview/dev hostnames (DNS records, Vercel domains) nor point at them (CNAME and MX targets, health checks, " +
    "rule expressions, production environment variables): a staging host in the production stack outlives the staging environment (dangling records are " +
    "taken over) and production traffic or credentials end up on unreviewed code. Only names in the stack's own zones are judged (its Zone resources and " +
    "the zones of its records and Vercel domains), by the labels below the zone: a third party's target such as fm1.acme.dev.dkim.fmhosted.com is never " +
    "read for staging labels. Production stacks: productionStacks (default prod, production) or a name matching " +
    "productionStackPattern; allowedHosts lists deliberate exceptions.",
  enforcementLevel: "mandatory",
  configSchema: STAGING_SETTINGS.schema,
  validateStack: (args, report) => {
    const cfg = STAGING_SETTINGS.read(args);
    const resources = stackResources(args);
    const stack = stackNameOf(resources);
    if (!isProductionStack(stack, cfg)) args.notApplicable(`stack "${stack ?? "?"}" is not a production stack`);
    const nameOf = recordNamer(resources);
    const zones = ownZones(resources, nameOf);
    const allowed = new Set(cfg.allowedHosts.map(qualify));
    // A name the stack declares is in its own zone by definition; a name it points at is judged only inside its own zones.
    const leak = (h: string, declared = false) => !allowed.has(qualify(h)) && isNonProductionHost(h, declared ? [...zones, registrableDomain(h)] : zones);
    for (const r of resources) {
      const found: string[] = [];
      if (r.type === T.dnsRecord) {
        const name = nameOf(r);
        if (name && leak(name, true)) found.push(`record ${shown(name)}`);
        const type = str(r.props.type)?.toUpperCase();
        const content = str(r.props.content);
        if (content && (type === "CNAME" || type === "MX") && leak(qualify(content))) found.push(`${type} target ${shown(qualify(content))}`);
      } else if (r.type === T.healthCheck) {
        const fqdn = str(r.props.fqdn);
        if (fqdn && leak(fqdn)) found.push(`health check on ${normHost(fqdn)}`);
      } else if (r.type === T.vercelDomain) {
        const d = str(r.props.domain);
        if (d && leak(d, true)) found.push(`Vercel domain ${normHost(d)}`);
      } else if (r.type === T.ruleset) {
        for (const rule of rulesOf(r.props)) {
          for (const h of expressionHosts(rule.expression)) if (leak(h)) found.push(`rule expression host ${h}`);
        }
      } else {
        for (const e of envEntriesOf(r.type, r.props)) {
          if (!e.targets.includes("production") || !e.value) continue;
          const hosts = [...e.value.matchAll(URL_HOSTS)].map((m) => m[1]);
          // Name the variable only: its value may be a secret.
          if (hosts.some((h) => leak(h))) found.push(`production env var ${e.key} points at a non-production host`);
        }
      }
      for (const f of found) report(`stack "${stack}" is production but declares ${f}: move it to the staging stack.`, r.urn);
    }
  },
};

export const sharedZoneOwnership: LaunchPolicy = {
  name: "shared-zone-ownership",
  severity: "low",
  remediationSteps: "Run the policy pack on the stack that owns the zone too (zone.manageZoneSettings: true): the zone-wide bars are enforced there.",
  url: "https://www.pulumi.com/docs/iac/concepts/stacks/",
  description:
    "Advisory: this stack declares DNS records in a zone whose zone-wide edge configuration (SSL/TLS mode, HSTS, WAF, rate limits, cache and redirect " +
    "rules) or apex DMARC it does not declare, so those bars are enforced on the stack that owns the zone (Cloudflare allows one entrypoint ruleset per " +
    "phase per zone). Make sure that stack is deployed and passes this pack; nothing to fix here if it does.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const resources = stackResources(args);
    const records = resources.filter((r: StackRes) => r.type === T.dnsRecord);
    if (records.length === 0) args.notApplicable("no DNS records");
    const notes: string[] = [];
    if (!resources.some(isZoneEdgeConfig)) {
      notes.push("zone-wide edge config (SSL/TLS, HSTS, WAF, rate limits, cache and redirect rules) is managed by another stack");
    }
    const nameOf = recordNamer(resources);
    const names = records.map(nameOf).filter(Boolean);
    const apexes = new Set(names.map((n) => apexOf(n.replace(/^_dmarc\./, ""))));
    for (const apex of apexes) {
      const apexLevel = names.some((n) => n === apex || n === `_dmarc.${apex}`);
      const hasDmarc = records.some((r) => nameOf(r) === `_dmarc.${apex}` && isDmarcRecord(txtText(r.props.content) ?? ""));
      if (!apexLevel && !hasDmarc) notes.push(`DMARC at the apex ${shown(apex)} is managed by another stack`);
    }
    for (const n of notes) report(`${n}: check that stack passes this policy pack.`);
  },
};
