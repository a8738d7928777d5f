/**
 * State exports in the engine's format (what `pulumi stack export` writes: lib/provider-facts/engine.json
 * stackExport), built from an earlier offline plan as if `pulumi up` had deployed it: the stack resource,
 * a default provider holding a secret, then every declared resource with its inputs, options and ids.
 * Secrets are written encrypted (ciphertext) or, as `--show-secrets` writes them, in plaintext.
 */
import { isSecretValue, SECRET_SIG, SECRET_SIG_KEY } from "../../lib/planned/secrets";
import type { PlannedResource } from "../../lib/planned/types";
import { UNKNOWN } from "../../lib/conformance/values-path";

/** Secret values an export holds in these tests: no output may ever contain one. */
export const STATE_SECRETS = {
  providerToken: "cf-token-IN-STATE-9f8e7d6c5b4a",
  ciphertext: "v1:Q2lwaGVyVGV4dEluU3RhdGU=:c2VjcmV0LWNpcGhlcnRleHQtMTIz",
  /** What a secret input (a sensitive env var) held when deployed. */
  deployedValue: "sk-live-DEPLOYED-SECRET-4c3b2a19",
};

export type SecretForm = "encrypted" | "plaintext";

function secretOf(value: unknown, form: SecretForm) {
  return form === "encrypted"
    ? { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: STATE_SECRETS.ciphertext }
    : { [SECRET_SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) };
}

/** Inputs as the state holds them: secrets in the export's form (with a deployed value, not the offline placeholder), unknowns resolved. */
function stateValue(v: unknown, form: SecretForm, key: string): unknown {
  if (isSecretValue(v)) return secretOf(STATE_SECRETS.deployedValue, form);
  if (v === UNKNOWN) return `deployed-${key}`;
  if (Array.isArray(v)) return v.map((x) => stateValue(x, form, key));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stateValue(x, form, k)]));
  return v;
}

export interface ExportOptions {
  secrets?: SecretForm;
  /** Leave `protect` out of every resource, as a state deployed before the program protected anything. */
  withoutProtect?: boolean;
}

/** The export of a stack deployed from `plan`. */
export function stackExportOf(plan: { project: string; stack: string; resources: readonly PlannedResource[] }, opts: ExportOptions = {}) {
  const form = opts.secrets ?? "encrypted";
  const stackUrn = `urn:pulumi:${plan.stack}::${plan.project}::pulumi:pulumi:Stack::${plan.project}-${plan.stack}`;
  const provider = {
    urn: `urn:pulumi:${plan.stack}::${plan.project}::pulumi:providers:cloudflare::default_6_22_1`,
    custom: true,
    id: "3c1f8a52-7d44-4f9e-9b0a-5a2c7e1d9f10",
    type: "pulumi:providers:cloudflare",
    inputs: { apiToken: secretOf(STATE_SECRETS.providerToken, form), version: "6.22.1" },
    outputs: { apiToken: secretOf(STATE_SECRETS.providerToken, form), version: "6.22.1" },
  };
  const resources = plan.resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => {
      const inputs = stateValue(r.props, form, "") as Record<string, unknown>;
      return {
        urn: r.urn,
        custom: r.custom,
        ...(r.custom ? { id: `${r.name}-id` } : {}),
        type: r.type,
        ...(r.custom ? { inputs, outputs: { ...inputs, id: `${r.name}-id` } } : {}),
        parent: r.parent ?? stackUrn,
        // The engine omits false and empty options (omitempty in apitype.ResourceV3).
        ...(r.opts.protect && !opts.withoutProtect ? { protect: true } : {}),
        ...(r.opts.retainOnDelete ? { retainOnDelete: true } : {}),
        ...(r.dependencies.length ? { dependencies: r.dependencies } : {}),
        ...(Object.keys(r.propertyDependencies).length ? { propertyDependencies: r.propertyDependencies } : {}),
        ...(r.opts.importId ? { importID: r.opts.importId } : {}),
        ...(r.custom ? { provider: `${provider.urn}::${provider.id}` } : {}),
        created: "2026-11-30T10:00:00.000Z",
        modified: "2026-11-30T10:00:00.000Z",
      };
    });
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-11-30T10:00:00.000Z", magic: "0e1c2d3b4a5968778695a4b3c2d1e0f0", version: "v3.270.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:c2FsdA==:v1:aGlnaA==:dGVzdA==" } },
      resources: [
        { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: { dnssecDs: secretOf("acmechat.dev. 3600 IN DS 2371 13 2 ABC", form) } },
        provider,
        ...resources,
      ],
    },
  };
}
