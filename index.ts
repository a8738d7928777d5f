/**
 * Launch Ready: the Pulumi program. It reads and validates the stack config first
 * and declares nothing when it is wrong; then it declares the site.
 */
import * as pulumi from "@pulumi/pulumi";
import { LaunchReadySite } from "./components/site";
import { CONFIG_KEYS, PROJECT } from "./lib/config/schema";
import { ConfigError, validateStackConfig } from "./lib/config/validate";

const config = new pulumi.Config(PROJECT);
const stack = pulumi.getStack();

function readRawConfig(): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = pulumi.runtime.getConfig(`${PROJECT}:${key}`);
    if (value === undefined) continue;
    try {
      raw[key] = JSON.parse(value);
    } catch {
      raw[key] = value; // a plain string such as `environment: production`
    }
  }
  return raw;
}

function validated() {
  try {
    return validateStackConfig(readRawConfig(), stack, {
      has: (key) => pulumi.runtime.getConfig(`${PROJECT}:${key}`) !== undefined,
      // The SDK tracks which keys came from `pulumi config set --secret` (whole keys only).
      isSecret: (key) => (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(`${PROJECT}:${key}`),
      keys: () => Object.keys(pulumi.runtime.allConfig()).flatMap((k) => (k.startsWith(`${PROJECT}:`) ? [k.slice(PROJECT.length + 1)] : [])),
    });
  } catch (err) {
    // RunError prints the message alone, without a stack trace.
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

const { plan } = validated();
const site = new LaunchReadySite(PROJECT, { plan, secret: (key) => config.requireSecret(key) });

/** What points where: hosts, records, email, edge rules, env var names, monitors. No secret values. */
export const domainMap = site.domainMap;
export const canonicalUrl = site.domainMap.canonicalOrigin;
export const monitors = site.domainMap.monitors.map((m) => ({ name: m.name, url: m.url }));
export const envVarNames = site.hosting.envNames;
export const alertTopicArn = site.uptime.topicArn;
