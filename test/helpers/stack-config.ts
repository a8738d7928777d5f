import { strict as assert } from "assert";
import { ConfigError, OWN_KEYS, validateStackConfig, type ConfigLookup } from "../../lib/config/validate";
import { planStack, readStackFile, type PlanOptions } from "../../tools/offline/plan";
import { projectName } from "../../tools/offline/stack-config";
import { EXAMPLE_DIR } from "../../tools/offline/stack-files";

/** This repository's project name (Pulumi.yaml), the namespace of the example stacks' keys. */
export const PROJECT_NAME = projectName();
/** renderHandover's options for the example's project. */
export const HANDOVER = { project: PROJECT_NAME };

/** The AcmeChat example's stacks (examples/acmechat): the tests never read a stack file at the repository root, the founder's. */
export type ExampleStack = "prod" | "staging";

/** A deep copy of the example stack file's config, to vary one thing per test. */
export function shippedConfig(stack: ExampleStack): Record<string, any> {
  return JSON.parse(JSON.stringify(readStackFile(stack, EXAMPLE_DIR).config ?? {}));
}

/** The offline plan of an example stack, read from examples/acmechat. */
export function planExample(stack: ExampleStack, options: PlanOptions = {}) {
  return planStack(stack, { dir: EXAMPLE_DIR, ...options });
}

/** The raw config keys (without namespace), as index.ts hands them to validation. */
export function rawConfig(stack: ExampleStack): Record<string, any> {
  const raw: Record<string, any> = {};
  for (const [key, value] of Object.entries(shippedConfig(stack))) {
    if (key.startsWith(`${PROJECT_NAME}:`)) raw[key.slice(PROJECT_NAME.length + 1)] = value;
  }
  return raw;
}

/** A ConfigLookup that holds every referenced key, as secrets (the program's own keys plain). */
export const allSecretsSet: ConfigLookup = { has: () => true, isSecret: (key) => !OWN_KEYS.includes(key) };

/** Validates a variant of a shipped stack's config and returns its problems, "key: message" each ([] when valid). */
export function configProblems(edit: (raw: Record<string, any>) => void, stack: ExampleStack = "prod", lookup: ConfigLookup = allSecretsSet): string[] {
  const raw = rawConfig(stack);
  edit(raw);
  try {
    validateStackConfig(raw, stack, lookup, PROJECT_NAME);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
    return err.issues.map((i) => `${i.key}: ${i.message}`);
  }
}

/**
 * Makes www canonical in a shipped config, as README's "Changing the canonical host" says:
 * the URL env vars and CORS origins that named the apex now name www (the program refuses
 * them otherwise).
 */
export function makeWwwCanonical(config: Record<string, any>): void {
  const zone: string = config["launch-ready:zone"].name;
  const site = config["launch-ready:site"];
  site.canonical = "www";
  const toWww = (v: unknown) => (typeof v === "string" ? v.replace(`https://${zone}`, `https://www.${zone}`) : v);
  if (site.apiCorsOrigins) site.apiCorsOrigins = site.apiCorsOrigins.map(toWww);
  for (const vars of Object.values(config["launch-ready:hosting"].env ?? {}) as Array<Record<string, unknown>>) {
    for (const [k, v] of Object.entries(vars)) vars[k] = toWww(v);
  }
}
