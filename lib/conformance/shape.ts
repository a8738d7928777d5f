/**
 * Shape: property names, required properties and types, as the installed provider SDK
 * declares them. A misspelt key (nested too) or a missing required property is an error
 * the real `pulumi preview` would also raise (the provider's Check).
 */
import { closest } from "fastest-levenshtein";
import { isSecretValue } from "../planned/secrets";
import type { ConformanceFinding, ObjectShape, Resource, Shape, ShapeLookup } from "./types";
import { printable, UNKNOWN } from "./values-path";

export function checkShapes(resources: readonly Resource[], shapes: ShapeLookup): { findings: ConformanceFinding[]; checked: number } {
  const findings: ConformanceFinding[] = [];
  let checked = 0;
  for (const r of resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    const args = shapes.resource(r.type);
    if (!args) continue;
    checked++;
    const report = (property: string, given: string | undefined, allowed: string, message: string, source: string) =>
      findings.push({ check: "shape", urn: r.urn, type: r.type, name: r.name, property, given, allowed, source, message });
    checkObject(r.props, args, "", shapes, report, true);
  }
  return { findings, checked };
}

type Report = (property: string, given: string | undefined, allowed: string, message: string, source: string) => void;

function checkObject(value: Record<string, unknown>, shape: ObjectShape, at: string, shapes: ShapeLookup, report: Report, top: boolean): void {
  const names = Object.keys(shape.props);
  for (const [key, v] of Object.entries(value)) {
    // The SDK adds its own bookkeeping keys (e.g. __defaults) to serialised inputs.
    if (top && key.startsWith("__")) continue;
    const prop = shape.props[key];
    const path = at ? `${at}.${key}` : key;
    if (!prop) {
      const near = names.length ? closest(key, names) : undefined;
      report(
        path,
        undefined,
        names.join(", "),
        `is not a property of ${shape.source.split(" ").pop()}${near ? `; did you mean "${near}"?` : ""}`,
        shape.source,
      );
      continue;
    }
    checkValue(v, prop.shape, path, shapes, report, shape.source);
  }
  for (const [key, prop] of Object.entries(shape.props)) {
    if (prop.required && (value[key] === undefined || value[key] === null)) {
      report(at ? `${at}.${key}` : key, undefined, "a value", `is required by ${shape.source.split(" ").pop()} and missing`, shape.source);
    }
  }
}

function describe(shape: Shape): string {
  switch (shape.kind) {
    case "array":
      return `a list of ${describe(shape.items)}`;
    case "map":
      return `a map of ${describe(shape.values)}`;
    case "object":
      return `an object (${shape.ref})`;
    case "union":
      return shape.options.map(describe).join(" or ");
    default:
      return `a ${shape.kind}`;
  }
}

function fits(v: unknown, shape: Shape): boolean {
  switch (shape.kind) {
    case "any":
      return true;
    case "string":
    case "number":
    case "boolean":
      return typeof v === shape.kind;
    case "array":
      return Array.isArray(v);
    case "map":
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "union":
      return shape.options.some((o) => fits(v, o));
  }
}

function checkValue(raw: unknown, shape: Shape, at: string, shapes: ShapeLookup, report: Report, source: string): void {
  const v = isSecretValue(raw) ? raw.value : raw;
  if (v === undefined || v === null || v === UNKNOWN) return;
  if (!fits(v, shape)) {
    report(at, printable(v, isSecretValue(raw)), describe(shape), `should be ${describe(shape)}`, source);
    return;
  }
  const chosen = shape.kind === "union" ? shape.options.find((o) => fits(v, o))! : shape;
  if (chosen.kind === "array") (v as unknown[]).forEach((item, i) => checkValue(item, chosen.items, `${at}[${i}]`, shapes, report, source));
  if (chosen.kind === "map") for (const [k, item] of Object.entries(v as object)) checkValue(item, chosen.values, `${at}.${k}`, shapes, report, source);
  if (chosen.kind === "object") {
    const nested = shapes.object(chosen.ref);
    if (nested) checkObject(v as Record<string, unknown>, nested, at, shapes, report, false);
  }
}
