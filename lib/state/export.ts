/**
 * What `pulumi stack export` writes, as zod schemas (lib/provider-facts/engine.json stackExport:
 * pulumi/pulumi sdk/go/common/apitype/core.go UntypedDeployment, DeploymentV3, ResourceV3).
 * Only the fields the state diff reads are kept; the engine's other fields are dropped unread.
 * Secrets in either form an export holds (ciphertext, or plaintext with --show-secrets) are
 * replaced by a redacted secret as the export is read: no secret value leaves this module.
 */
import { z } from "zod";
import { isSecretValue, SECRET_SIG, SECRET_SIG_KEY } from "../planned/secrets";

/** A secret as the export held it, its value gone. */
export const REDACTED_STATE_SECRET = { [SECRET_SIG_KEY]: SECRET_SIG, value: "[secret]" } as const;

const urn = z.string().regex(/^urn:pulumi:[^:]+::[^:]+::.+::.*$/, "must be a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)");

/** A secret in the export: exactly one of ciphertext or plaintext (pkg/resource/stack/deployment.go DeserializePropertyValue). */
const secretInExport = z.union([
  z.object({ [SECRET_SIG_KEY]: z.literal(SECRET_SIG), ciphertext: z.string() }).strict(),
  z.object({ [SECRET_SIG_KEY]: z.literal(SECRET_SIG), plaintext: z.string() }).strict(),
]);

export class StateSecretError extends Error {}

/** Replaces every secret by REDACTED_STATE_SECRET; a malformed secret is refused without showing it. */
function redactStateSecrets(v: unknown, path: string): unknown {
  if (isSecretValue(v) || (typeof v === "object" && v !== null && SECRET_SIG_KEY in v)) {
    if (!secretInExport.safeParse(v).success) throw new StateSecretError(`${path}: a malformed secret (exactly one of ciphertext or plaintext must be there)`);
    return REDACTED_STATE_SECRET;
  }
  if (Array.isArray(v)) return v.map((x, i) => redactStateSecrets(x, `${path}[${i}]`));
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactStateSecrets(x, `${path}.${k}`)]));
  return v;
}

const properties = z.record(z.string(), z.unknown());

export const stateResourceSchema = z.object({
  urn,
  custom: z.boolean(),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  type: z.string().min(1),
  inputs: properties.optional(),
  outputs: properties.optional(),
  parent: urn.optional(),
  protect: z.boolean().optional(),
  retainOnDelete: z.boolean().optional(),
  external: z.boolean().optional(),
  dependencies: z.array(z.string()).optional(),
  aliases: z.array(z.string()).optional(),
  propertyDependencies: z.record(z.string(), z.array(z.string())).optional(),
  importID: z.string().optional(),
  pendingReplacement: z.boolean().optional(),
});
export type StateResource = z.infer<typeof stateResourceSchema>;

export const stackExportSchema = z.object({
  version: z.union([z.literal(3), z.literal(4)], { error: "must be 3 or 4 (the deployment versions pulumi stack export writes)" }),
  features: z.array(z.string()).optional(),
  deployment: z.object({
    manifest: z.object({ time: z.string(), magic: z.string(), version: z.string() }),
    secrets_providers: z.object({ type: z.string() }).optional(),
    resources: z.array(stateResourceSchema).default([]),
  }),
});
export type StackExport = z.infer<typeof stackExportSchema>;

export class StackExportError extends Error {}

/**
 * The export's resources, their secrets redacted; a StackExportError names what is wrong (never a value).
 * `source` names the file in messages.
 */
export function readStackExport(json: unknown, source: string): StateResource[] {
  const parsed = stackExportSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `  - ${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new StackExportError(`${source} is not what \`pulumi stack export\` writes:\n${issues.join("\n")}`);
  }
  try {
    return parsed.data.deployment.resources.map((r, i) => ({
      ...r,
      inputs: redactStateSecrets(r.inputs ?? {}, `resources[${i}].inputs`) as Record<string, unknown>,
      outputs: redactStateSecrets(r.outputs ?? {}, `resources[${i}].outputs`) as Record<string, unknown>,
    }));
  } catch (err) {
    if (err instanceof StateSecretError) throw new StackExportError(`${source}: ${err.message}`);
    throw err;
  }
}
