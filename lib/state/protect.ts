/**
 * What the program protects (Pulumi's `protect` option): what breaks the product when lost.
 * The engine refuses to delete or replace a protected resource until someone runs
 * `pulumi state unprotect <URN>` (lib/provider-facts/engine.json protectRefusesDelete, protectRefusesReplace).
 */
import type { ProtectConfig, StackConfig } from "../config/schema";
import type { RecordSpec } from "../dns/records";

export const PROTECT_KINDS = ["records", "mail", "dnssec", "turnstile", "alerts"] as const;
export type ProtectKind = (typeof PROTECT_KINDS)[number];
/** Per kind, whether the stack protects it. */
export type ProtectPlan = Record<ProtectKind, boolean>;

/** Each kind as the stack file sets it, else on in production and off elsewhere. */
export function protectPlanOf(environment: StackConfig["environment"], config: ProtectConfig): ProtectPlan {
  const byDefault = environment === "production";
  return Object.fromEntries(PROTECT_KINDS.map((kind) => [kind, config[kind] ?? byDefault])) as ProtectPlan;
}

const MAIL_PURPOSES: ReadonlySet<RecordSpec["purpose"]> = new Set(["mx", "spf", "dkim", "dmarc", "tls-reporting", "no-mail"]);

/** Which kind a DNS record belongs to: the canonical host's and subdomains' web records, or mail; undefined for the others (the twin, CAA, verification, extra). */
export function protectKindOfRecord(spec: Pick<RecordSpec, "purpose">): ProtectKind | undefined {
  if (spec.purpose === "web") return "records";
  if (MAIL_PURPOSES.has(spec.purpose)) return "mail";
  return undefined;
}

/** Whether the stack protects this record. */
export function recordProtected(spec: Pick<RecordSpec, "purpose">, protect: ProtectPlan | undefined): boolean {
  const kind = protectKindOfRecord(spec);
  return !!(kind && protect?.[kind]);
}
