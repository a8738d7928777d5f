/**
 * Vercel's domain verification, declared by the stack. vercel.ProjectDomain (@pulumiverse/vercel
 * 5.4.1, lib/provider-facts/vercel.json) reports the challenges Vercel asks for in
 * `verifications`: when a domain was used by another Vercel team or account, a TXT at
 * `_vercel.<apex>` whose value names the domain. That list is computed by the provider, so its
 * length is unknown until pulumi up; the stack therefore declares one TXT per Vercel-served host,
 * always: Vercel's value when it asks for one, else a note that nothing is pending (Vercel reads
 * only its own value among the name's TXT records). No resource is created inside an apply.
 */
import { fqdn } from "../../policies/shared/names";
import { RecordSpec, servedByVercel, type WebHost } from "../dns/records";
import { txtContent } from "../../policies/shared/dns-text";

/** Vercel's challenges, as vercel.ProjectDomain's `verifications` output lists them. */
export interface VercelVerification {
  type: string;
  domain: string;
  value: string;
  reason?: string;
}

/** Where Vercel asks for its TXT: `_vercel` at the zone's apex, for every host of the zone. */
export const VERCEL_VERIFICATION_NAME = "_vercel";

export function vercelVerificationRecords(zoneName: string, hosts: readonly WebHost[]): Array<{ host: string; record: RecordSpec }> {
  return hosts.filter(servedByVercel).map((h) => ({ host: h.fqdn, record: vercelVerificationRecord(zoneName, h) }));
}

function vercelVerificationRecord(zoneName: string, h: WebHost): RecordSpec {
  return {
    key: `${VERCEL_VERIFICATION_NAME} TXT vercel ${h.name}`,
    name: VERCEL_VERIFICATION_NAME,
    fqdn: fqdn(VERCEL_VERIFICATION_NAME, zoneName),
    type: "TXT" as const,
    content: txtContent(noChallenge(h.fqdn)),
    proxied: false,
    ttl: 300,
    purpose: "verification" as const,
    comment: `launch-ready: Vercel domain verification for ${h.fqdn}`,
  };
}

/**
 * The record's content: Vercel's TXT value for this name when it asks for one, else the
 * "nothing pending" text (also what a preview shows before the domain exists).
 */
export function vercelVerificationContent(spec: Pick<RecordSpec, "fqdn">, host: string, verifications: readonly VercelVerification[] | undefined): string {
  const challenge = (verifications ?? []).find((v) => v.type.toUpperCase() === "TXT" && v.domain.replace(/\.$/, "").toLowerCase() === spec.fqdn);
  return txtContent(challenge ? challenge.value : noChallenge(host));
}

function noChallenge(host: string): string {
  return `launch-ready: no Vercel verification pending for ${host}`;
}
