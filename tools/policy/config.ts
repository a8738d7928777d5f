/**
 * Policy config as the Pulumi engine handles it before it calls the analyzer's Configure
 * (pulumi/pulumi pkg/resource/analyzer/config.go): every policy starts at its own level and
 * its schema's defaults, the file's "all" level then each policy's entry is applied, and each
 * policy's settings are validated as JSON Schema ({ type: object, properties, required }, as
 * convertSchema builds it). The engine uses gojsonschema; ajv is the same standard here.
 * "all" with settings and no enforcementLevel is refused as the CLI refuses it (engine.json
 * policyConfigAllNeedsLevel).
 * One difference on purpose: a setting the schema does not name is refused (the engine would
 * ignore it silently, so a typo such as "maxage" would change nothing).
 */
import Ajv from "ajv";
import { engineFacts } from "../../lib/provider-facts";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The key of a policy config file that sets every policy's level. */
export const ALL_POLICIES = "all";

/** Per policy: an enforcement level, or an object of settings (with an optional enforcementLevel). */
export type PolicyConfigInput = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface PolicyConfigSchemaLike {
  properties?: Record<string, unknown>;
  required?: string[];
}

/** What the engine knows of a policy (GetAnalyzerInfo), or what the in-process evaluator reads from the rule. */
export interface PolicyInfo {
  name: string;
  description: string;
  kind: "resource" | "stack";
  enforcementLevel?: EnforcementLevel;
  configSchema?: PolicyConfigSchemaLike;
  severity?: string;
  remediationSteps?: string;
  url?: string;
}

export type PolicyStatus = "pass" | "violation" | "not-applicable";

export interface PolicyViolation {
  message: string;
  urn?: string;
  resourceName?: string;
}

export interface PolicyVerdict {
  policyName: string;
  description: string;
  kind: "resource" | "stack";
  /** After policy config; "remediate" is reported as "mandatory", like the engine does for violations. */
  enforcementLevel: EnforcementLevel;
  status: PolicyStatus;
  violations: PolicyViolation[];
  /** Why the policy did not apply, or could not run during preview (unknown values). */
  notes: string[];
  /** A policy that threw: the engine would abort the preview, so it blocks too. */
  errors: string[];
}

/** The defaults a policy's configSchema declares. */
export function configDefaults(schema: PolicyConfigSchemaLike | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema?.properties ?? {})) {
    if (v && typeof v === "object" && "default" in v && v.default !== undefined) out[k] = structuredClone(v.default);
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
// gojsonschema, which the engine validates with, checks the "regex" format; ajv needs it named.
ajv.addFormat("regex", (s: string) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
});
const compiled = new WeakMap<PolicyConfigSchemaLike, ReturnType<typeof ajv.compile>>();

export class PolicyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid policy config:\n  ${problems.join("\n  ")}`);
    this.name = "PolicyConfigError";
  }
}

/**
 * The config the engine would send to Configure: per policy, its level and its settings
 * (schema defaults overlaid with the file's). Throws a PolicyConfigError listing every problem.
 */
export function reconcilePolicyConfig(
  policies: ReadonlyArray<Pick<PolicyInfo, "name" | "enforcementLevel" | "configSchema">>,
  input: PolicyConfigInput,
  packLevel: EnforcementLevel = "advisory",
): Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> {
  const problems: string[] = [];
  const levelOf = (name: string, value: unknown): EnforcementLevel | undefined => {
    const level =
      typeof value === "string" ? value : typeof value === "object" && value !== null ? (value as { enforcementLevel?: unknown }).enforcementLevel : undefined;
    if (level === undefined) return undefined;
    if (typeof level !== "string" || !LEVELS.includes(level)) {
      problems.push(`${name}: enforcement level "${String(level)}" must be one of ${LEVELS.join(", ")}`);
      return undefined;
    }
    return level as EnforcementLevel;
  };
  const all = levelOf(ALL_POLICIES, input[ALL_POLICIES]);
  const allProblem = allWithoutLevel(input[ALL_POLICIES]);
  if (allProblem) problems.push(allProblem);
  const result: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> = {};
  for (const p of policies) result[p.name] = { enforcementLevel: all ?? p.enforcementLevel ?? packLevel, properties: configDefaults(p.configSchema) };

  for (const [name, value] of Object.entries(input)) {
    if (name === ALL_POLICIES) continue;
    const policy = policies.find((p) => p.name === name);
    if (!policy) {
      problems.push(`policy config names "${name}", which is not a policy of this pack`);
      continue;
    }
    if (typeof value !== "string" && (typeof value !== "object" || value === null || Array.isArray(value))) {
      problems.push(`${name}: must be an enforcement level or an object of settings`);
      continue;
    }
    const level = levelOf(name, value);
    if (level) result[name].enforcementLevel = level;
    if (typeof value === "object") {
      const { enforcementLevel: _level, ...settings } = value;
      const known = Object.keys(policy.configSchema?.properties ?? {});
      for (const key of Object.keys(settings)) {
        if (!known.includes(key)) problems.push(`${name}: unknown setting "${key}" (known: ${known.join(", ") || "none"})`);
      }
      Object.assign(result[name].properties, structuredClone(settings));
    }
  }

  for (const p of policies) {
    if (!p.configSchema) continue;
    let validate = compiled.get(p.configSchema);
    if (!validate) {
      const { properties, required } = p.configSchema;
      validate = ajv.compile({ type: "object", ...(properties ? { properties } : {}), ...(required?.length ? { required } : {}) });
      compiled.set(p.configSchema, validate);
    }
    if (!validate(result[p.name].properties)) {
      for (const e of validate.errors ?? []) problems.push(`${p.name}${e.instancePath.replace(/\//g, ".")}: ${e.message}`);
    }
  }
  if (problems.length) throw new PolicyConfigError(problems);
  return result;
}

/**
 * The CLI keeps an "all" entry that has settings but no level as if "all" were a policy, then
 * refuses to send it to the analyzer ("invalid enforcement level \"\"": engine.json
 * policyConfigAllNeedsLevel). An "all" with a level, or an empty object, passes.
 */
function allWithoutLevel(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { enforcementLevel, ...settings } = value as Record<string, unknown>;
  if (enforcementLevel !== undefined || Object.keys(settings).length === 0) return undefined;
  const fact = engineFacts.facts.policyConfigAllNeedsLevel;
  return (
    `${ALL_POLICIES}: settings (${Object.keys(settings).join(", ")}) without an enforcementLevel: the Pulumi CLI refuses this policy config ` +
    `(${fact.message}; ${fact.source}). Give "${ALL_POLICIES}" an enforcementLevel, or move each setting under the name of the policy it is for.`
  );
}
