/**
 * Hostname helpers. Config names are relative to the Cloudflare zone ("@" is the
 * apex, "app" is app.<zone>); these turn them into FQDNs and check them.
 */

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** Labels that may start with an underscore (_dmarc, selector._domainkey, _acme-challenge). */
const SERVICE_LABEL = /^_?(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** A registrable-looking domain: two or more labels, a letters-only TLD, lower case. */
export function isValidDomain(domain: string): boolean {
  if (domain.length > 253 || domain !== domain.toLowerCase()) return false;
  const labels = domain.split(".");
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /^[a-z]{2,63}$|^xn--[a-z0-9-]+$/.test(labels[labels.length - 1]);
}

/**
 * A name relative to the zone: "@" or one or more labels. Wildcards are refused
 * unless `allowWildcard`, and service labels (leading underscore) unless `allowService`.
 */
export function relativeNameProblem(name: string, opts: { allowWildcard?: boolean; allowService?: boolean } = {}): string | undefined {
  if (name === "@") return undefined;
  if (name !== name.toLowerCase()) return "must be lower case";
  if (name.endsWith(".")) return 'must be relative to the zone (e.g. "app", not "app.example.com.")';
  const labels = name.split(".");
  for (const [i, label] of labels.entries()) {
    if (label === "*") {
      if (!opts.allowWildcard) return "is a wildcard: wildcard records expose every name (and your origin) to the internet; list the names you need instead";
      if (i !== 0) return 'may only have "*" as its first label';
      continue;
    }
    const ok = opts.allowService ? SERVICE_LABEL.test(label) : LABEL.test(label);
    if (!ok) return `has an invalid label "${label}": use a-z, 0-9 and inner hyphens, at most 63 characters`;
  }
  return undefined;
}

/** "@" -> zone, "app" -> app.zone. */
export function fqdn(name: string, zone: string): string {
  return name === "@" ? zone : `${name}.${zone}`;
}

/** How many labels a name has below the zone apex ("@" is 0, "app" is 1, "a.b" is 2). */
export function depthBelowZone(name: string): number {
  return name === "@" ? 0 : name.split(".").length;
}

/** Names that mark a non-production host: staging, stage, stg, dev, preview, test, qa, uat. */
const NON_PRODUCTION = /(^|[.-])(staging|stage|stg|dev|preview|test|qa|uat|sandbox)([.-]|$)/;

/**
 * Whether a name below the registrable domain marks a non-production host
 * ("staging", "staging-api", "api.dev"). Pass a zone-relative name, never an FQDN:
 * the TLD of acmechat.dev would match "dev" (policies/rules/stack.ts strips it).
 */
export function looksLikeNonProductionName(relativeName: string): boolean {
  return NON_PRODUCTION.test(relativeName);
}
