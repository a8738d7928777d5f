/**
 * Reading a DomainMap for the handover: a DomainMap JSON, or the JSON of
 * `pulumi stack output --json` (key `domainMap`), parsed against the one contract
 * (lib/domain-map.ts) so a wrong file fails with every problem instead of a half-written document.
 */
import { DomainMap, parseDomainMap } from "../domain-map";

export { domainMapProblems, unwrapOutputs } from "../domain-map";

/** Accepts a DomainMap, or stack outputs holding one under `domainMap`. Throws with every problem listed. */
export function loadDomainMap(json: unknown, source = "input"): DomainMap {
  return parseDomainMap(json, source);
}
