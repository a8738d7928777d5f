/**
 * A CNAME owns its name (lib/provider-facts/engine.json cloudflare.cnameExclusive): which records
 * Cloudflare refuses beside one. Config validation (lib/site-plan.ts) and conformance
 * (lib/conformance/dns-names.ts) both judge by this one rule.
 */
import { engineFacts } from "../provider-facts";

export const CNAME_EXCLUSIVE = engineFacts.cloudflare.cnameExclusive;

const ADDRESS_TYPES = new Set(["A", "AAAA", "CNAME"]);

/** Whether Cloudflare refuses a record of `otherType` at the name of a CNAME: an address record always, anything else below the apex. */
export function refusedBesideCname(cname: { atApex: boolean }, otherType: string): boolean {
  return ADDRESS_TYPES.has(otherType.toUpperCase()) || !cname.atApex;
}

/** Each record Cloudflare would refuse beside a CNAME of the same name, with that CNAME (the first one for a second CNAME). */
export function cnameConflicts<R>(
  records: readonly R[],
  view: (r: R) => { name: string; type: string; atApex: boolean } | undefined,
): Array<{ cname: R; other: R }> {
  const firstCname = new Map<string, R>();
  for (const r of records) {
    const v = view(r);
    if (v?.type.toUpperCase() === "CNAME" && !firstCname.has(v.name)) firstCname.set(v.name, r);
  }
  const out: Array<{ cname: R; other: R }> = [];
  for (const other of records) {
    const v = view(other);
    const cname = v && firstCname.get(v.name);
    if (!v || cname === undefined || cname === other) continue;
    const c = view(cname)!;
    if (refusedBesideCname(c, v.type)) out.push({ cname, other });
  }
  return out;
}
