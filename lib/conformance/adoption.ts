/**
 * Phase one of adoption (lib/adopt/phases.ts): a resource imported while the stack file still
 * holds its live values must be declared with exactly those values, or a Pulumi CLI before
 * 3.174 fails the import (engine.json importMismatch). Compares field by field.
 */
import { engineFacts } from "../provider-facts";
import { revealSecret as plain } from "../planned/secrets";
import type { ConformanceFinding, Resource } from "./types";
import { canonicalJson, recordInputsSchema, rulesetInputsSchema } from "../adopt/phases";
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";

/** What `npm run adopt` recorded as live, by import id (`<zone>/<record>`, `zones/<zone>/<ruleset>`), in the form the program declares. */
export type AdoptedLive = Record<string, Record<string, unknown>>;

/** The inputs the provider compares on import: the fields of each type's adopted form (lib/adopt/phases.ts). */
const COMPARED: Record<string, readonly string[]> = {
  [RESOURCE_TYPES.dnsRecord]: Object.keys(recordInputsSchema.shape),
  [RESOURCE_TYPES.ruleset]: Object.keys(rulesetInputsSchema.shape),
};

export function checkAdoptedImports(resources: readonly Resource[], adopted: AdoptedLive): ConformanceFinding[] {
  const findings: ConformanceFinding[] = [];
  const fact = engineFacts.facts.importMismatch;
  for (const r of resources) {
    const live = r.opts.importId ? adopted[r.opts.importId] : undefined;
    const fields = COMPARED[r.type];
    if (!live || !fields) continue;
    for (const field of fields) {
      const declared = canonicalJson(plain(r.props[field]));
      const wanted = canonicalJson(live[field]);
      if (declared === wanted) continue;
      findings.push({
        check: "engine",
        urn: r.urn,
        type: r.type,
        name: r.name,
        property: field,
        given: declared,
        allowed: `${wanted}, as npm run adopt recorded it live (phase one)`,
        source: fact.source,
        message: `is imported (import ${r.opts.importId}) in phase one but declares ${field} other than the zone holds: ${fact.rule}`,
      });
    }
  }
  return findings;
}
