/**
 * Records that share a name across every declared cloudflare.DnsRecord, whichever part of a
 * program declared them: Cloudflare refuses a record beside a CNAME (lib/dns/cname.ts).
 */
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";
import { revealSecret as plain } from "../planned/secrets";
import { CNAME_EXCLUSIVE, cnameConflicts } from "../dns/cname";
import type { ConformanceFinding, Resource } from "./types";
import { UNKNOWN } from "./values-path";

const text = (v: unknown): string | undefined => {
  const s = plain(v);
  return typeof s === "string" && s !== UNKNOWN ? s : undefined;
};

/**
 * A record's name as Cloudflare compares it: per zone, lower case, no trailing dot. A program may
 * write the apex as "@" and other names relative or in full; relative and full names of one host are
 * not matched (the zone's name is not known here). The apex is "@" or a two-label name.
 */
function nameView(r: Resource): { name: string; type: string; atApex: boolean } | undefined {
  if (r.type !== RESOURCE_TYPES.dnsRecord) return undefined;
  const zoneId = text(r.props.zoneId);
  const name = text(r.props.name)?.trim().toLowerCase().replace(/\.$/, "");
  const type = text(r.props.type);
  if (zoneId === undefined || name === undefined || type === undefined) return undefined;
  const atApex = name === "@" || name === "" || name.split(".").length === 2;
  return { name: `${zoneId} ${name || "@"}`, type, atApex };
}

export function checkCnameExclusive(resources: readonly Resource[]): ConformanceFinding[] {
  return cnameConflicts(resources, nameView).map(({ cname, other }) => ({
    check: "engine",
    urn: other.urn,
    type: other.type,
    name: other.name,
    property: "name",
    given: `${JSON.stringify(text(other.props.name))} (${text(other.props.type)})`,
    allowed: `no ${text(other.props.type)} record at a name that holds a CNAME${nameView(cname)!.atApex ? " (at the apex: no A, AAAA or CNAME)" : ""}`,
    source: CNAME_EXCLUSIVE.source,
    message: `shares its name with the CNAME "${cname.name}" (${cname.urn}), and Cloudflare refuses it: ${CNAME_EXCLUSIVE.message}`,
  }));
}
