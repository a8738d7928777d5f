/**
 * Allowed values: every value a resource declares, checked against the provider's own
 * validators and the API's documented values (lib/provider-facts/*.json).
 */
import { z } from "zod";
import { cloudflareFacts, factsFor, upstreamOf, ValueRule } from "../provider-facts";
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";
import { revealSecret as plain } from "../planned/secrets";
import type { ConformanceFinding, Resource } from "./types";
import { locate, Located, printable, UNKNOWN } from "./values-path";

/**
 * A zone setting's JSON Schema (from the facts file) as a zod validator, built once per
 * setting. zod is already loaded by the program, so this costs no start-up (ajv cost ~30 ms).
 */
const settingValidators = new Map<string, z.ZodType>();

export function checkValues(resources: readonly Resource[]): ConformanceFinding[] {
  const findings: ConformanceFinding[] = [];
  for (const r of resources) {
    if (!r.custom) continue;
    const facts = factsFor(r.type);
    if (facts) {
      const where = upstreamOf(r.type);
      for (const rule of facts.values) {
        if (!applies(rule, r.props)) continue;
        for (const hit of locate(r.props, rule.path)) {
          const problem = violation(rule, hit);
          if (!problem) continue;
          findings.push({
            check: "value",
            urn: r.urn,
            type: r.type,
            name: r.name,
            property: hit.path,
            given: printable(hit.value, hit.secret),
            allowed: problem.allowed,
            source: rule.source.startsWith("http") ? rule.source : `${where} ${rule.source}`,
            message: problem.message,
          });
        }
      }
    }
    if (r.type === RESOURCE_TYPES.zoneSetting) findings.push(...checkZoneSetting(r));
  }
  return findings;
}

function applies(rule: ValueRule, props: Record<string, unknown>): boolean {
  if (rule.whenTrue !== undefined && plain(props[rule.whenTrue]) !== true) return false;
  if (rule.whenTypeIn && !rule.whenTypeIn.includes(String(plain(props.type)).toUpperCase())) return false;
  if (rule.whenTargetsInclude) {
    const targets = plain(props.targets);
    if (!Array.isArray(targets) || !targets.map(plain).includes(rule.whenTargetsInclude)) return false;
  }
  return true;
}

function violation(rule: ValueRule, hit: Located): { message: string; allowed: string } | undefined {
  const v = hit.value;
  if (rule.requiresAction !== undefined) {
    const action = hit.item ? plain(hit.item.action) : undefined;
    if (typeof action === "string" && action.toLowerCase() !== rule.requiresAction) {
      return {
        message: `only exists for rules with action "${rule.requiresAction}"; this rule's action is "${action}"`,
        allowed: `action "${rule.requiresAction}"`,
      };
    }
  }
  if (rule.oneOf) {
    const ok = rule.oneOf.some(
      (o) => o === v || (rule.caseInsensitive && typeof o === "string" && typeof v === "string" && o.toLowerCase() === v.toLowerCase()),
    );
    if (!ok) return { message: "is not a value the provider accepts", allowed: `one of ${rule.oneOf.map((o) => JSON.stringify(o)).join(", ")}` };
  }
  if (rule.oneOfOrRange && typeof v === "number") {
    const { oneOf, min, max } = rule.oneOfOrRange;
    if (!oneOf.includes(v) && (v < min || v > max)) return { message: "is out of range", allowed: `${oneOf.join(" or ")} (automatic), or ${min} to ${max}` };
  }
  if (rule.oneOfOrMultipleOf && typeof v === "number") {
    const { oneOf, multipleOf } = rule.oneOfOrMultipleOf;
    if (!oneOf.includes(v) && v % multipleOf !== 0)
      return { message: "is not a period the provider accepts", allowed: `${oneOf.join(", ")} or a multiple of ${multipleOf}` };
  }
  if (typeof v === "number") {
    if (rule.min !== undefined && v < rule.min)
      return { message: `is below the minimum`, allowed: `>= ${rule.min}${rule.max !== undefined ? ` and <= ${rule.max}` : ""}` };
    if (rule.max !== undefined && v > rule.max)
      return { message: `is above the maximum`, allowed: `${rule.min !== undefined ? `>= ${rule.min} and ` : ""}<= ${rule.max}` };
  }
  if (typeof v === "string") {
    if (rule.minLength !== undefined && v.length < rule.minLength)
      return { message: `is shorter than ${rule.minLength} character(s)`, allowed: `at least ${rule.minLength} character(s)` };
    if (rule.maxLength !== undefined && v.length > rule.maxLength)
      return { message: `is ${v.length} characters long`, allowed: `at most ${rule.maxLength} characters` };
    if (rule.pattern !== undefined && !new RegExp(rule.pattern).test(v))
      return { message: "does not have the required form", allowed: `matching /${rule.pattern}/` };
  }
  if (Array.isArray(v)) {
    const items = v.map(plain).filter((x) => x !== UNKNOWN);
    if (rule.minItems !== undefined && v.length < rule.minItems) return { message: `has ${v.length} item(s)`, allowed: `at least ${rule.minItems}` };
    if (rule.maxItems !== undefined && v.length > rule.maxItems) return { message: `has ${v.length} items`, allowed: `at most ${rule.maxItems}` };
    if (rule.mustInclude !== undefined && !items.includes(rule.mustInclude))
      return { message: `lacks "${rule.mustInclude}"`, allowed: `a list that includes "${rule.mustInclude}"` };
    // Code-unit order, as the API sorts: a list declared in another order differs from the state on every refresh.
    if (rule.sorted && items.length === v.length && items.some((x, i) => i > 0 && String(items[i - 1]) > String(x)))
      return { message: "is not in the order the API returns it, so every refresh shows a change", allowed: "the list sorted" };
  }
  return undefined;
}

/** Zone settings: a known setting id, and a value of that setting's form (objects in the API's snake_case). */
function checkZoneSetting(r: Resource): ConformanceFinding[] {
  const { settings, otherIds, source } = cloudflareFacts.zoneSettings;
  const id = plain(r.props.settingId);
  const value = plain(r.props.value);
  if (typeof id !== "string" || id === UNKNOWN) return [];
  const base = { check: "value" as const, urn: r.urn, type: r.type, name: r.name, source };
  const rule = settings[id];
  if (!rule) {
    if (otherIds.includes(id)) return [];
    const near = [...Object.keys(settings), ...otherIds].find((k) => k.replace(/_/g, "") === id.replace(/[_-]/g, "").toLowerCase());
    return [
      {
        ...base,
        property: "settingId",
        given: printable(id, false),
        allowed: near ? `"${near}"` : "a Cloudflare zone setting id",
        message: `is not a zone setting id${near ? `; did you mean "${near}"?` : ""}`,
      },
    ];
  }
  if (value === undefined || value === UNKNOWN) return [];
  if ("oneOf" in rule) {
    if (rule.oneOf.includes(value as string)) return [];
    return [
      {
        ...base,
        property: "value",
        given: printable(value, false),
        allowed: `one of ${rule.oneOf.map((o) => JSON.stringify(o)).join(", ")}`,
        message: `is not a value of the "${id}" setting`,
      },
    ];
  }
  let validate = settingValidators.get(id);
  if (!validate) {
    validate = z.fromJSONSchema(rule.schema as Parameters<typeof z.fromJSONSchema>[0]);
    settingValidators.set(id, validate);
  }
  const parsed = validate.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((issue) => {
    const where = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        ...base,
        property: ["value", ...where, key].join("."),
        given: printable(valueAt(value, [...where, key]), false),
        allowed: "the API's snake_case keys",
        message: unknownKeyMessage(key, id),
      }));
    }
    const expected = issue.message.replace(/^Invalid input: /, "");
    return [
      {
        ...base,
        property: ["value", ...where].join("."),
        given: printable(valueAt(value, where), false),
        allowed: expected,
        message: `${expected} for the "${id}" setting`,
      },
    ];
  });
}

function valueAt(value: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined), value);
}

function unknownKeyMessage(key: string, id: string): string {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake !== key
    ? `has the key "${key}": ZoneSetting.value reaches the API untranslated, so a camelCase key never converges (pulumi/pulumi-cloudflare#1579); write "${snake}"`
    : `has the key "${key}", which the "${id}" setting does not have`;
}
