/**
 * Policy messages are printed: a policy that quotes a property could quote a secret. Every
 * string inside a secret of the judged resources is replaced by "[secret]" before printing.
 */
import { isSecretValue } from "../../lib/planned/secrets";
import type { PlannedResource } from "../../lib/planned/types";

export function secretScrubber(resources: readonly PlannedResource[]): (message: string) => string {
  const found = new Set<string>();
  const walk = (v: unknown, inSecret: boolean): void => {
    if (isSecretValue(v)) return walk(v.value, true);
    if (typeof v === "string") {
      if (inSecret && v.length >= 4) found.add(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, inSecret));
    else if (typeof v === "object" && v !== null) Object.values(v).forEach((x) => walk(x, inSecret));
  };
  resources.forEach((r) => walk(r.props, false));
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...found].sort((a, b) => b.length - a.length);
  return (message) => secrets.reduce((m, s) => m.split(s).join("[secret]"), message);
}
