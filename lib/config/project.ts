/**
 * Every config key this program reads lives under the project's name, the namespace Pulumi gives a
 * program's own keys (Pulumi.yaml `name`, the name `pulumi new` asks for first): `mybot:zone`,
 * `mybot:openaiApiKeyProduction`. Nothing keeps a copy of that name: the program has it from
 * `pulumi.getProject()`, the tools from Pulumi.yaml, and every key and command is built here.
 */

/** `<project>:<path>`, e.g. configKey("mybot", "zone.id") is "mybot:zone.id". */
export function configKey(project: string, path: string): string {
  return `${project}:${path}`;
}

/**
 * The command that stores a secret. No value on the command line (it would land in the shell's
 * history): the CLI prompts for it.
 */
export function setSecretCommand(project: string, key: string, stack: string): string {
  return setQualifiedSecretCommand(configKey(project, key), stack);
}

/** The same for a key already qualified ("mybot:openaiApiKeyProduction", "cloudflare:apiToken"). */
export function setQualifiedSecretCommand(qualifiedKey: string, stack: string): string {
  return `pulumi config set --secret ${qualifiedKey} --stack ${stack}`;
}

/** The command that sets one value inside a structured key. */
export function setPathCommand(project: string, path: string, value: string, stack: string): string {
  return `pulumi config set --path '${configKey(project, path)}' ${value} --stack ${stack}`;
}

/** The command that removes a key. */
export function removeCommand(project: string, key: string, stack: string): string {
  return `pulumi config rm ${configKey(project, key)} --stack ${stack}`;
}
