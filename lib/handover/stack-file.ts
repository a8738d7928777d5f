/**
 * Reads the secret config key names (never values) from a parsed
 * `Pulumi.<stack>.yaml`: `launch-ready:hosting` holds `env.<target>.<NAME>`, each
 * a plain string or `{ secret: <config key> }` (lib/config/schema.ts).
 */
import type { EnvTarget } from "../domain-map";
import { PROJECT, TARGETS, secretIndexKey, type SecretKeyIndex } from "./secrets";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function secretKeyOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.secret === "string" ? value.secret : undefined;
}

/** `{ "production/OPENAI_API_KEY": "openaiApiKeyProduction", ... }` from the stack file's parsed YAML. */
export function secretKeysFromStackFile(parsed: unknown): SecretKeyIndex {
  const config = isRecord(parsed) && isRecord(parsed.config) ? parsed.config : {};
  const hosting = config[`${PROJECT}:hosting`];
  const env = isRecord(hosting) && isRecord(hosting.env) ? hosting.env : {};
  const index: Record<string, string> = {};
  for (const target of TARGETS) {
    const vars = env[target];
    if (!isRecord(vars)) continue;
    for (const [envKey, value] of Object.entries(vars)) {
      const key = secretKeyOf(value);
      if (key) index[secretIndexKey(target as EnvTarget, envKey)] = key;
    }
  }
  return index;
}
