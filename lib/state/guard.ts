/**
 * The guard on the state diff: a delete or a replace of what a founder depends on stops
 * `npm run plan -- --state` (exit 1) until the config is restored or the delete is allowed by name
 * (`--allow-delete <name>`) after reading why it matters. It covers every protected resource, and in a
 * production stack any MX, DKIM, DMARC or DNSSEC resource, protected or not.
 */
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";
import type { StateChange } from "./diff";

export interface GuardFinding {
  /** The name `--allow-delete` takes: the resource's name (the URN's last part). */
  key: string;
  urn: string;
  type: string;
  change: "delete" | "replace";
  /** What the founder loses, in their words. */
  why: string;
  /** Protected in the state: `pulumi up` itself refuses until `pulumi state unprotect`. */
  protectedInState: boolean;
}

type Inputs = Record<string, unknown>;
const text = (v: unknown) => (typeof v === "string" ? v : "");

/** What a DNS record is for, read from its deployed inputs (the state holds no purpose). */
function recordRole(inputs: Inputs): "mx" | "dkim" | "dmarc" | "spf" | "tls-reporting" | "web" {
  const name = text(inputs.name);
  const content = text(inputs.content);
  if (inputs.type === "MX") return "mx";
  if (/(^|\.)_domainkey\./.test(name)) return "dkim";
  if (/^_dmarc\./.test(name)) return "dmarc";
  if (/^_smtp\._tls\./.test(name)) return "tls-reporting";
  if (inputs.type === "TXT" && /v=spf1/i.test(content)) return "spf";
  return "web";
}

/** Whether production guards it even unprotected: mail that bounces or fails authentication, a domain resolvers refuse. */
function criticalInProduction(change: StateChange): boolean {
  if (change.type === RESOURCE_TYPES.zoneDnssec) return true;
  if (change.type !== RESOURCE_TYPES.dnsRecord) return false;
  return ["mx", "dkim", "dmarc"].includes(recordRole(change.deployedInputs ?? {}));
}

/** Why losing it matters: the first thing the founder reads. */
export function whyItMatters(change: StateChange): string {
  const inputs = change.deployedInputs ?? {};
  const name = text(inputs.name) || change.name;
  const gap = change.kind === "replace" ? (change.dnsGap ? " between the delete and the create (delete-before-replace)" : " while it is replaced") : "";
  switch (change.type) {
    case RESOURCE_TYPES.zoneDnssec:
      return (
        "turning DNSSEC signing off while the DS record is still at the registrar makes every validating resolver refuse the domain (SERVFAIL) " +
        "until the DS is gone from the registrar and from caches: remove the DS at the registrar first and wait a day (the handover's DNSSEC section)"
      );
    case RESOURCE_TYPES.turnstileWidget:
      return "a new widget has new keys: signup and login fail until the app is redeployed with them";
    case RESOURCE_TYPES.snsTopic:
      return "a new alert topic has no subscriptions: alerts reach nobody until every address confirms its subscription again";
    case RESOURCE_TYPES.dnsRecord:
      break;
    default:
      return "it is protected: the stack file asks to keep it";
  }
  switch (recordRole(inputs)) {
    case "mx":
      // RFC 7505: a null MX (".") says the name takes no mail; without it, senders try the address records instead.
      if (text(inputs.content) === ".")
        return `the null MX of ${name} goes${gap}: senders no longer learn at once that it takes no mail, and try to deliver to its address records instead`;
      return `mail to ${name} bounces${gap} until an MX is published again (senders retry for a while, then return the mail to its sender)`;
    case "dkim":
      return `mail signed with this DKIM key (${name}) fails DKIM${gap} until the key is back: with DMARC at quarantine or reject it lands in spam or is refused, and password reset emails fail silently`;
    case "dmarc":
      return `receivers lose the DMARC policy for ${name.replace(/^_dmarc\./, "")}${gap}: mail spoofing the domain is no longer refused, and the DMARC reports stop`;
    case "spf":
      return `mail from ${name} fails SPF${gap} until the record is back, and may land in spam`;
    case "tls-reporting":
      return `sending servers stop reporting TLS failures for ${name.replace(/^_smtp\._tls\./, "")}${gap}`;
    default:
      return `${name} does not resolve${gap}: visitors, API clients and the uptime checks get no answer, and resolvers keep that empty answer for the zone's negative-caching TTL`;
  }
}

/** The deletes and replaces that stop the plan, minus those allowed by name. */
export function guardFindings(changes: readonly StateChange[], opts: { production: boolean; allowed?: readonly string[] }): GuardFinding[] {
  const allowed = new Set(opts.allowed ?? []);
  return changes
    .filter((c): c is StateChange & { kind: "delete" | "replace" } => c.kind === "delete" || c.kind === "replace")
    .filter((c) => !c.retained) // retainOnDelete: the resource stays where it is, Pulumi only forgets it
    .filter((c) => c.protected || (opts.production && criticalInProduction(c)))
    .filter((c) => !allowed.has(c.name) && !allowed.has(c.urn))
    .map((c) => ({
      key: c.name,
      urn: c.kind === "delete" ? c.urn : (c.movedFrom ?? c.urn),
      type: c.type,
      change: c.kind,
      why: whyItMatters(c),
      protectedInState: !!c.protectedInState,
    }));
}

/** The finding as the plan prints it: the resource, why it matters, the two ways forward. */
export function formatFinding(f: GuardFinding): string[] {
  return [
    `  ✗ ${f.change} ${f.key} (${f.type})`,
    `    why it matters: ${f.why}.`,
    "    ways forward:",
    "      1. restore the config that declared it (the stack file or program as it was), then plan again;",
    `      2. or, after reading why above, run the plan with --allow-delete ${f.key}` +
      (f.protectedInState
        ? `, then \`pulumi state unprotect '${f.urn}'\` before \`pulumi up\` (the engine refuses a protected resource's ${f.change} too).`
        : "."),
  ];
}
