/** How the Pulumi SDK marks a secret inside serialised properties. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** A value with its secret marking (at any depth of wrapping) removed; nested values are left as they are. */
export function revealSecret(v: unknown): any {
  return isSecretValue(v) ? revealSecret(v.value) : v;
}

/**
 * Replaces every secret by `redacted` (recursively), for printing. The plan, its
 * JSON and the tests only ever see this form.
 */
export function redactSecrets(v: unknown, redacted = "[secret]"): unknown {
  if (isSecretValue(v)) return redacted;
  if (Array.isArray(v)) return v.map((x) => redactSecrets(x, redacted));
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactSecrets(x, redacted)]));
  }
  return v;
}

/**
 * Unwraps secrets to their values, for policies that must look at a value's shape
 * (e.g. "is this a key?"). Policies see unwrapped values from the real engine too.
 * Returns the unwrapped props and the set of top-level keys that were secret.
 */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecretValue(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}
