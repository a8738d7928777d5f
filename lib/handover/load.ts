/**
 * Reading a DomainMap from the files the CLI accepts: a DomainMap JSON, or the
 * JSON of `pulumi stack output --json` (key `domainMap`). The shape is checked so
 * a wrong file fails with a clear message instead of a half-written document.
 */
import type { DomainMap } from "../domain-map";

type Check = [path: string, ok: (v: unknown) => boolean, expected: string];

const isString = (v: unknown) => typeof v === "string";
const isBool = (v: unknown) => typeof v === "boolean";
const isArray = (v: unknown) => Array.isArray(v);
const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

const CHECKS: Check[] = [
  ["stack", isString, "a string"],
  ["environment", isString, "a string"],
  ["zone", isObject, "an object"],
  ["zone.name", isString, "a string"],
  ["zone.id", isString, "a string"],
  ["zone.plan", isString, "a string"],
  ["canonicalOrigin", isString, "a string"],
  ["hosts", isArray, "a list"],
  ["records", isArray, "a list"],
  ["email", isObject, "an object"],
  ["email.senders", isArray, "a list"],
  ["email.sendingDomains", isArray, "a list"],
  ["email.nonSendingDomains", isArray, "a list"],
  ["email.dmarc", isObject, "an object"],
  ["edge", isObject, "an object"],
  ["edge.hsts", isObject, "an object"],
  ["edge.rateLimits", isArray, "a list"],
  ["edge.cachedPaths", isArray, "a list"],
  ["edge.bypassPaths", isArray, "a list"],
  ["edge.notes", isArray, "a list"],
  ["hosting", isObject, "an object"],
  ["hosting.projectId", isString, "a string"],
  ["hosting.env", isObject, "an object"],
  ["monitors", isArray, "a list"],
  ["alerts", isObject, "an object"],
  ["alerts.emails", isArray, "a list"],
  ["alerts.slack", isBool, "true or false"],
  ["apiCorsOrigins", isArray, "a list"],
];

function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (isObject(v) ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** Every field the handover needs that is missing or of the wrong kind; empty when fine. */
export function domainMapProblems(value: unknown): string[] {
  if (!isObject(value)) return ["the domain map must be a JSON object"];
  return CHECKS.filter(([path, ok]) => !ok(at(value, path))).map(([path, , expected]) => `${path} must be ${expected}`);
}

/**
 * Accepts a DomainMap, or stack outputs holding one under `domainMap` (as
 * `pulumi stack output --json` prints them). Throws with every problem listed.
 */
export function loadDomainMap(json: unknown, source = "input"): DomainMap {
  const candidate = unwrapOutputs(json);
  const problems = domainMapProblems(candidate);
  if (problems.length) throw new Error(`${source} is not a domain map:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return candidate as DomainMap;
}

/** The domain map inside stack outputs (`pulumi stack output --json`), or the value itself when it is not outputs. */
export function unwrapOutputs(json: unknown): unknown {
  return typeof json === "object" && json !== null && !Array.isArray(json) && "domainMap" in json ? (json as { domainMap: unknown }).domainMap : json;
}
