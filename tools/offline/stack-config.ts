/**
 * The project and stack config the engine would hand a program (and a policy pack), read from
 * Pulumi.yaml and Pulumi.<stack>.yaml without loading the Pulumi SDK: `npm run plan` starts the
 * policy pack's server with it before the program runs. Secret values cannot be decrypted
 * offline (the backend encrypts them per stack), so each becomes a marked placeholder.
 */
import * as fs from "fs";
import * as path from "path";
import { parseStackYaml, StackFileError } from "../../lib/config/stack-yaml";
import { referencedSecretNames } from "../../lib/config/secret-refs";
import { configKey } from "../../lib/config/project";
import { missingStackMessage, ROOT } from "./stack-files";
import { PROGRAM } from "../repo";

export { ROOT };

export interface StackConfigOptions {
  /**
   * Directory holding the stack files. Default: the repository's root for its own program (which
   * may run compiled, from build/), the program's directory for another. Its own Pulumi.yaml, if
   * any, names the project; else the program's does (examples/acmechat holds stack files of this
   * repository's project).
   */
  dir?: string;
  /**
   * The program's entry module. Default: this repository's index.ts. Any TypeScript Pulumi
   * program can be planned; a missing stack file then means an empty config.
   */
  program?: string;
  /** Use this parsed stack file instead of reading Pulumi.<stack>.yaml (tests, benchmarks). */
  stackFile?: { config?: Record<string, unknown> };
  /**
   * Decrypted values for secret config keys ("project:key"), as the engine hands them to the
   * program on a real run; unset keys get placeholders. Tests plant recognisable values here.
   */
  secretValues?: Record<string, string>;
}

export function placeholderFor(key: string): string {
  return `offline-placeholder:${key}`;
}

/**
 * The project's name, the namespace of the program's config keys (lib/config/project.ts): Pulumi.yaml
 * `name` in `dir`; without a Pulumi.yaml (a program planned from elsewhere), the directory's name.
 */
export function projectName(dir = ROOT): string {
  const projectFile = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) return path.basename(dir);
  const name = readStackYaml(projectFile).name;
  if (typeof name !== "string" || name === "") throw new Error(`${projectFile}: needs a project name (name: <project>)`);
  return name;
}

export function readStackFile(stack: string, dir = ROOT): { config?: Record<string, unknown> } {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new Error(missingStackMessage(stack, dir));
  return readStackYaml(file) as { config?: Record<string, unknown> };
}

/** A stack file or Pulumi.yaml, parsed as the Pulumi CLI parses it; problems name the file as the user would open it. */
export function readStackYaml(file: string): Record<string, unknown> {
  const relative = path.relative(process.cwd(), file);
  return parseStackYaml(fs.readFileSync(file, "utf8"), relative && !relative.startsWith("..") ? relative : file);
}

/**
 * The stack's config keys as the CLI namespaces them: a key without one gets the project's name
 * (engine.json facts.stackFileYaml); `domain` beside `<project>:domain` is one key given twice.
 */
function namespacedConfig(config: Record<string, unknown>, project: string, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const full = key.includes(":") ? key : `${project}:${key}`;
    if (full in out) {
      throw new StackFileError(file, [
        { message: `config: ${key} and ${full} are the same key (the CLI adds the project's name to a key without one): keep one` },
      ]);
    }
    out[full] = value;
  }
  return out;
}

/**
 * The project and the config the engine would hand the program (and the policy pack) for this
 * stack: decrypted values where given (`secretValues`), placeholders for the rest.
 */
export function stackConfigFor(stack: string, options: StackConfigOptions = {}) {
  const program = path.resolve(options.program ?? PROGRAM);
  // This repository's program may run compiled (build/index.js): its stack files stay at the root.
  const dir = options.dir ?? (options.program ? path.dirname(program) : ROOT);
  // The stack folder's Pulumi.yaml, else the program's (the example's folder has none of its own).
  const project = projectName(fs.existsSync(path.join(dir, "Pulumi.yaml")) ? dir : options.program ? path.dirname(program) : ROOT);
  const stackFile = options.stackFile ?? (options.program && !fs.existsSync(path.join(dir, `Pulumi.${stack}.yaml`)) ? {} : readStackFile(stack, dir));
  const stackConfig = namespacedConfig(stackFile.config ?? {}, project, `Pulumi.${stack}.yaml`);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const encryptedSecrets: string[] = [];
  for (const [key, value] of Object.entries(stackConfig)) {
    if (isSecure(value)) {
      config[key] = placeholderFor(key);
      secretKeys.push(key);
      encryptedSecrets.push(key);
    } else {
      // As the engine does for `pulumi config set --secret --path`: the value arrives decrypted
      // and the whole key is marked secret (lib/provider-facts/engine.json, pulumi.configSecretKeys).
      const { value: decrypted, encrypted } = withPlaceholders(value, key);
      config[key] = typeof decrypted === "string" ? decrypted : JSON.stringify(decrypted);
      if (encrypted) {
        secretKeys.push(key);
        encryptedSecrets.push(key);
      }
    }
  }
  const unsetSecrets = referencedSecrets(stackConfig, project).filter((k) => !(k in config));
  for (const key of unsetSecrets) {
    config[key] = placeholderFor(key);
    secretKeys.push(key);
  }
  for (const [key, value] of Object.entries(options.secretValues ?? {})) {
    if (!secretKeys.includes(key)) throw new Error(`secretValues: ${key} is not a secret config key of this stack`);
    config[key] = value;
  }
  return { program, project, config, secretKeys, encryptedSecrets, unsetSecrets };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
}

/** A structured value with each nested `secure:` leaf replaced by a placeholder, and whether it had any. */
function withPlaceholders(value: unknown, at: string): { value: unknown; encrypted: boolean } {
  if (isSecure(value)) return { value: placeholderFor(at), encrypted: true };
  if (Array.isArray(value)) {
    const items = value.map((v, i) => withPlaceholders(v, `${at}[${i}]`));
    return { value: items.map((x) => x.value), encrypted: items.some((x) => x.encrypted) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, `${at}.${k}`)] as const);
    return { value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])), encrypted: entries.some(([, x]) => x.encrypted) };
  }
  return { value, encrypted: false };
}

/**
 * The secret config keys that `{ secret: name }` references name, as full config keys,
 * wherever they sit in the project's config (env values, alert webhooks).
 */
function referencedSecrets(config: Record<string, unknown>, project: string): string[] {
  const own = Object.entries(config)
    .filter(([k]) => k.startsWith(configKey(project, "")))
    .map(([, v]) => v);
  return referencedSecretNames(own).map((name) => configKey(project, name));
}
