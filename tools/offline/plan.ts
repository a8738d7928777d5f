/**
 * The offline plan: reads Pulumi.yaml and Pulumi.<stack>.yaml, evaluates index.ts
 * under the SDK's mocks, and returns the resources it declares plus its outputs.
 * Secret config values cannot be decrypted offline (they are encrypted per stack by
 * the Pulumi backend), so every secret becomes a marked placeholder: it flows
 * through the program as a secret and is never printed.
 */
import type { DomainMap } from "../../lib/domain-map";
import { recordProgram } from "./recorder";
import { stackConfigFor, StackConfigOptions } from "./stack-config";
import type { PlannedResource } from "../../lib/planned/types";

export { placeholderFor, readStackFile, ROOT, stackConfigFor } from "./stack-config";

export interface OfflinePlan {
  project: string;
  stack: string;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  domainMap: DomainMap;
  /** Secret config keys the stack file does not hold yet (placeholders were used). */
  unsetSecrets: string[];
  /** Secret config keys present in the stack file (encrypted; placeholders were used). */
  encryptedSecrets: string[];
  /** The config the program saw ("project:key" -> string; secrets as placeholders). */
  config: Record<string, string>;
}

export interface PlanOptions extends StackConfigOptions {
  /** Keep full stack traces while the program runs (slower; for debugging). */
  stackTraces?: boolean;
  /** Outputs a provider would compute, by resource type, as known values (tests plant a generated secret); otherwise unknown. */
  computed?: Record<string, Record<string, unknown>>;
}

export async function planStack(stack: string, options: PlanOptions = {}): Promise<OfflinePlan> {
  const { program, project, config, secretKeys, encryptedSecrets, unsetSecrets } = stackConfigFor(stack, options);
  const run = await recordProgram({ project, stack, config, secretKeys, program, stackTraces: options.stackTraces, computed: options.computed });
  return {
    project,
    stack,
    resources: run.resources,
    outputs: run.outputs,
    domainMap: run.outputs.domainMap as DomainMap,
    unsetSecrets,
    encryptedSecrets,
    config,
  };
}
