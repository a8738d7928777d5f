/**
 * The project and stack config the engine would hand a program (and a policy pack), read from
 * Pulumi.yaml and Pulumi.<stack>.yaml without loading the Pulumi SDK: `npm run plan` starts the
 * policy pack's server with it before the program runs. Secret values cannot be decrypted
 * offline (the backend encrypts them per stack), so each becomes a marked placeholder.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { PROJECT } from "../../lib/config/project";
import { referencedSecretNames } from "../../lib/config/secret-refs";
import { PROGRAM, REPO } from "../repo";

export const ROOT = REPO;

export interface StackConfigOptions {
  /** Directory holding Pulumi.yaml and the stack files. Default: the program's directory (the repository's, for its own program). */
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

export function readStackFile(stack: string, dir = ROOT): { config?: Record<string, unknown> } {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    const stacks = fs
      .readdirSync(dir)
      .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
      .map((f) => f.split(".")[1]);
    throw new Error(`no stack file ${path.basename(file)}; stacks here: ${stacks.join(", ") || "none"}`);
  }
  return (yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> }) ?? {};
}

/**
 * The project and the config the engine would hand the program (and the policy pack) for this
 * stack: decrypted values where given (`secretValues`), placeholders for the rest.
 */
export function stackConfigFor(stack: string, options: StackConfigOptions = {}) {
  const program = path.resolve(options.program ?? PROGRAM);
  // This repository's program may run compiled (build/index.js): its stack files stay at the root.
  const dir = options.dir ?? (options.program ? path.dirname(program) : ROOT);
  const projectFile = path.join(dir, "Pulumi.yaml");
  const project = fs.existsSync(projectFile) ? ((yaml.load(fs.readFileSync(projectFile, "utf8")) as { name?: string })?.name ?? PROJECT) : path.basename(dir);
  const stackFile = options.stackFile ?? (options.program && !fs.existsSync(path.join(dir, `Pulumi.${stack}.yaml`)) ? {} : readStackFile(stack, dir));
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const encryptedSecrets: string[] = [];
  for (const [key, value] of Object.entries(stackFile.config ?? {})) {
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
  const unsetSecrets = referencedSecrets(stackFile.config ?? {}).filter((k) => !(k in config));
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
function referencedSecrets(config: Record<string, unknown>): string[] {
  const own = Object.entries(config)
    .filter(([k]) => k.startsWith(`${PROJECT}:`))
    .map(([, v]) => v);
  return referencedSecretNames(own).map((name) => `${PROJECT}:${name}`);
}
