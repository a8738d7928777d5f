/**
 * From Pulumi config to a validated site plan, before any resource is declared: the program's
 * own `index.ts` reads the stack config under the project's name (`<project>:zone`...) this way,
 * and someone's own program can do the same for its namespace, or pass the config as an object.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigLookup, foreignNamespaceIssues, rawStackConfig, validateStackConfig } from "../lib/config/validate";
import type { StackConfigInput } from "../lib/config/schema";
import type { SitePlan } from "../lib/site-plan";

/** The runtime's config, as the engine handed it to the program (whole keys marked secret: lib/provider-facts/engine.json). */
function runtimeLookup(namespace: string): ConfigLookup {
  return {
    has: (key) => pulumi.runtime.getConfig(`${namespace}:${key}`) !== undefined,
    isSecret: (key) => (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(`${namespace}:${key}`),
    keys: () => Object.keys(pulumi.runtime.allConfig()).flatMap((k) => (k.startsWith(`${namespace}:`) ? [k.slice(namespace.length + 1)] : [])),
  };
}

/** A ConfigError becomes a RunError, which the engine prints without a stack trace; its cause keeps the problems for tools (plan --json). */
function orRunError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigError) throw Object.assign(new pulumi.RunError(err.message), { cause: err });
    throw err;
  }
}

/**
 * The site plan from the stack config under `namespace`, the project's name by default (each of
 * lib/config/schema.ts CONFIG_KEYS as its own key, e.g. `mybot:zone`, or the flat keys `pulumi new`
 * sets, lib/config/flat-keys.ts). Secret references must name keys of the same namespace, set with
 * `pulumi config set --secret`.
 */
export function sitePlanFromStackConfig(namespace = pulumi.getProject()): SitePlan {
  const stack = pulumi.getStack();
  const foreign = foreignNamespaceIssues(Object.keys(pulumi.runtime.allConfig()), namespace);
  if (foreign.length) throw new pulumi.RunError(new ConfigError(stack, foreign).message);
  const raw = rawStackConfig((key) => pulumi.runtime.getConfig(`${namespace}:${key}`));
  return orRunError(() => validateStackConfig(raw, stack, runtimeLookup(namespace), namespace).plan);
}

/**
 * The site plan from a config object written in the program (the same shape as the stack
 * config: { environment, zone, site, subdomains, edge, email, hosting, uptime, alerts }).
 * `{ secret: name }` references are checked against the program's config namespace.
 */
export function sitePlan(config: StackConfigInput, opts: { stack?: string; namespace?: string } = {}): SitePlan {
  const namespace = opts.namespace ?? pulumi.getProject();
  const lookup = runtimeLookup(namespace);
  // Unknown-key checks are for stack files: a config object in code names only what it means.
  return orRunError(() => validateStackConfig(config, opts.stack ?? pulumi.getStack(), { has: lookup.has, isSecret: lookup.isSecret }, namespace).plan);
}
