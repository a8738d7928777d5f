/**
 * Whole-stack checks: staging hosts kept out of production stacks, and a note on
 * what a stack leaves to the stack that owns the shared zone.
 */
import { looksLikeNonProductionName } from "../shared/names";
import { isDmarcRecord } from "../shared/dmarc";
import { envEntriesOf } from "./vercel-env";
import { LaunchPolicy, StackRes, T, configOf, isZoneEdgeConfig, stackOfUrn, stackResources, str } from "./util";
import { apexOf, qualify, recordNamer, registrableDomain, shown, txtText } from "./hosts";
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
  return qualify(name)
    .replace(/^(_[^.]+\.)+/, "")
    .replace(/^[^.]+\._domainkey\./, "");
}

/**
 * looksLikeNonProductionName on the labels left of the public suffix: the suffix
 * itself is not a signal ("acme.dev" is a production domain on the .dev TLD).
 */
export function isNonProductionHost(host: string): boolean {
  const h = qualify(host);
  const suffix = registrableDomain(h).split(".").slice(1).join(".");
  const below = suffix && h.endsWith(`.${suffix}`) ? h.slice(0, -(suffix.length + 1)) : h;
  return looksLikeNonProductionName(below);
}

const URL_HOSTS = /https?:\/\/([a-z0-9.-]+\.[a-z]{2,})/gi;

export const noStagingInProduction: LaunchPolicy = {
  name: "no-staging-hosts-in-production",
  severity: "high",
  remediationSteps: "Move the staging host to Pulumi.staging.yaml (its own stack), and point production env vars at production hosts only.",
  url: "https://www.pulumi.com/docs/iac/concepts/stacks/",
  description:
    "A production stack must not declare staging/preview/dev hostnames (DNS records, CNAME targets, health checks, Vercel domains, redirect rules) nor " +
    "point production environment variables at them: a staging host in the production stack outlives the staging environment (dangling records are " +
    "taken over) and production traffic or credentials end up on unreviewed code. Fix: move them to the staging stack. Production stacks: productionStacks " +
    "(default prod, production) or a name matching productionStackPattern.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      productionStacks: { type: "array", items: { type: "string" }, default: DEFAULT_PRODUCTION_STACKS },
      productionStackPattern: { type: "string", format: "regex", default: DEFAULT_PRODUCTION_PATTERN },
      allowedHosts: { type: "array", items: { type: "string" }, default: [] },
    },
  },
  validateStack: (args, report) => {
    const cfg = configOf(args, {
      productionStacks: DEFAULT_PRODUCTION_STACKS,
      productionStackPattern: DEFAULT_PRODUCTION_PATTERN,
      allowedHosts: [] as string[],
    });
    const resources = stackResources(args);
    const stack = stackNameOf(resources);
    if (!isProductionStack(stack, cfg)) args.notApplicable(`stack "${stack ?? "?"}" is not a production stack`);
    const allowed = new Set(cfg.allowedHosts.map(qualify));
    const leak = (h: string) => !allowed.has(qualify(h)) && isNonProductionHost(h);
    for (const r of resources) {
      const found: string[] = [];
      if (r.type === T.dnsRecord) {
        const name = str(r.props.name);
        if (name && leak(hostPart(name))) found.push(`record ${qualify(name)}`);
        const type = str(r.props.type)?.toUpperCase();
        const content = str(r.props.content);
        if (content && (type === "CNAME" || type === "MX") && leak(content)) found.push(`${type} target ${qualify(content)}`);
      } else if (r.type === T.healthCheck) {
        const fqdn = str(r.props.fqdn);
        if (fqdn && leak(fqdn)) found.push(`health check on ${qualify(fqdn)}`);
      } else if (r.type === T.vercelDomain) {
        const d = str(r.props.domain);
        if (d && leak(d)) found.push(`Vercel domain ${qualify(d)}`);
      } else if (r.type === T.ruleset) {
        for (const rule of rulesOf(r.props)) {
          for (const h of expressionHosts(rule.expression)) if (leak(h)) found.push(`rule expression host ${h}`);
        }
      } else {
        for (const e of envEntriesOf(r.type, r.props)) {
          if (!e.targets.includes("production") || !e.value) continue;
          const hosts = [...e.value.matchAll(URL_HOSTS)].map((m) => m[1]);
          // Name the variable only: its value may be a secret.
          if (hosts.some(leak)) found.push(`production env var ${e.key} points at a non-production host`);
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
