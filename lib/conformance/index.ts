/**
 * The conformance stage of the offline plan: every declared resource against what the
 * real providers and engine would refuse (shape, allowed values, plan limits, regions,
 * cross-resource rules). Pure: the caller supplies the SDK shapes and the plan context.
 */
import { checkAdoptedImports } from "./adoption";
import { checkEngine } from "./engine";
import { checkCnameExclusive } from "./dns-names";
import { checkPlanLimits } from "./plan-limits";
import { checkRegions } from "./regions";
import { checkShapes } from "./shape";
import type { ConformanceFinding, ConformanceOptions, ConformanceResult, Resource } from "./types";
import { checkValues } from "./values";
import { factsFor } from "../provider-facts";

export type { ConformanceFinding, ConformanceOptions, ConformanceResult, ObjectShape, Shape, ShapeLookup } from "./types";

export function runConformance(resources: readonly Resource[], options: ConformanceOptions = {}): ConformanceResult {
  const skipped: string[] = [];
  const findings: ConformanceFinding[] = [];
  const shape = options.shapes ? checkShapes(resources, options.shapes) : { findings: [], checked: 0 };
  if (!options.shapes) skipped.push("shapes: no provider SDK type declarations were given");
  findings.push(...shape.findings, ...checkValues(resources));
  const limits = checkPlanLimits(resources, (zoneId) => options.zoneTiers?.[zoneId] ?? options.defaultZoneTier);
  const regions = checkRegions(resources, options.awsRegion);
  findings.push(
    ...limits.findings,
    ...regions.findings,
    ...checkEngine(resources),
    ...checkCnameExclusive(resources),
    ...checkAdoptedImports(resources, options.adoptedLive ?? {}),
  );
  skipped.push(...limits.skipped, ...regions.skipped);
  const custom = resources.filter((r) => r.custom);
  return { findings, skipped, checked: { resources: custom.length, withShapes: shape.checked, withFacts: custom.filter((r) => factsFor(r.type)).length } };
}

/** The findings for people: one block per finding, naming resource, property, value, what is allowed and the source. */
export function formatConformance(result: ConformanceResult): string {
  const out: string[] = [];
  for (const f of result.findings) {
    const end = /[.?!]$/.test(f.message) ? "" : ".";
    out.push(
      `error [${f.check}] ${f.name} (${f.type})${f.property ? ` ${f.property}` : ""}${f.given !== undefined ? ` = ${f.given}` : ""}: ${f.message}${end}`,
    );
    if (f.allowed) out.push(`    allowed: ${f.allowed}`);
    out.push(`    source: ${f.source}`);
  }
  for (const s of result.skipped) out.push(`not checked: ${s}`);
  const { resources, withShapes, withFacts } = result.checked;
  out.push(
    `Conformance: ${result.findings.length === 0 ? "passed" : `FAILED with ${result.findings.length} error(s)`} ` +
      `(${resources} resources; ${withShapes} checked against their SDK's declared shape, ${withFacts} against provider facts; plan limits, regions and engine rules across all).`,
  );
  return out.join("\n");
}
