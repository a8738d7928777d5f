import type { SecretLookup } from "../../lib/config/validate";
import { readStackFile } from "../../lib/offline/plan";

/** A deep copy of a shipped stack file's config, to vary one thing per test. */
export function shippedConfig(stack: "prod" | "staging"): Record<string, any> {
  return JSON.parse(JSON.stringify(readStackFile(stack).config ?? {}));
}

/** The raw config keys (without namespace), as index.ts hands them to validation. */
export function rawConfig(stack: "prod" | "staging"): Record<string, any> {
  const raw: Record<string, any> = {};
  for (const [key, value] of Object.entries(shippedConfig(stack))) {
    if (key.startsWith("launch-ready:")) raw[key.slice("launch-ready:".length)] = value;
  }
  return raw;
}

/** A SecretLookup that holds every key, as secrets. */
export const allSecretsSet: SecretLookup = { has: () => true, isSecret: () => true };
