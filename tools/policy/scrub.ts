/**
 * Policy messages are printed: a policy that quotes a property could quote a secret. Every
 * string secret of the judged resources, and every string inside a secret structure that is not printed
 * elsewhere, is replaced by "[secret]" before printing.
 */
import { isSecretValue } from "../../lib/planned/secrets";
import type { PlannedResource } from "../../lib/planned/types";

export function secretScrubber(resources: readonly PlannedResource[]): (message: string) => string {
  const found = new Set<string>();
  const structured = new Set<string>();
  const open: string[] = [];
  const walk = (v: unknown, inSecret: "no" | "whole" | "within"): void => {
    if (isSecretValue(v)) return walk(v.value, typeof v.value === "object" && v.value !== null ? "within" : "whole");
    if (typeof v === "string") {
      if (inSecret === "whole" && v.length >= 4) found.add(v);
      else if (inSecret === "within" && v.length >= 4) structured.add(v);
      else if (inSecret === "no") open.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, inSecret));
    else if (typeof v === "object" && v !== null) Object.values(v).forEach((x) => walk(x, inSecret));
  };
  resources.forEach((r) => walk(r.props, "no"));
  // A structure holding one secret (a rule list with a generated header value) is secret as a whole: its other
  // strings are the provider's words (deny, environment) and names printed elsewhere in the plan; those stay readable.
  const printedElsewhere = open.join("\n");
  for (const v of structured) if (!/^[a-z_-]+$/.test(v) && !printedElsewhere.includes(v)) found.add(v);
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...found].sort((a, b) => b.length - a.length);
  return (message) => secrets.reduce((m, s) => m.split(s).join("[secret]"), message);
}
