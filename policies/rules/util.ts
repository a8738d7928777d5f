/**
 * Policy plumbing and value coercion shared by the policies (host names live in
 * hosts.ts, rule expressions in expressions.ts). Pure and side-effect free: only
 * *types* come from @pulumi/policy, so importing the rules never loads the policy server.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

export type LaunchPolicy = ResourceValidationPolicy | StackValidationPolicy;
export type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs };

/** Resource type tokens the pack judges (matched as strings: no provider SDK is loaded). */
import { RESOURCE_TYPES as T } from "../shared/resource-types";
export { T };

/** Stands for a value that is not known yet (a preview of a value computed by a provider). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** The sentinels the engine uses for unknown values (see @pulumi/policy proxy.js). */
const UNKNOWN_SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(v: unknown): v is Unknown {
  return v === UNKNOWN;
}

/**
 * The engine wraps props in a proxy that throws on any unknown value. Policies here
 * read a plain copy instead, with unknowns replaced by UNKNOWN, so one unknown field
 * (e.g. an alarm's health check id during preview) never stops a whole stack check.
 */
export function plain(props: unknown): Record<string, any> {
  let raw: any = props;
  try {
    const target = (props as any)?.__getSpecialProxyTarget;
    if (target && typeof target === "object") raw = target;
  } catch {
    /* not a proxy */
  }
  const out = copy(raw);
  return out && typeof out === "object" && !Array.isArray(out) ? (out as Record<string, any>) : {};
}

function copy(v: unknown): unknown {
  if (typeof v === "string" && UNKNOWN_SENTINELS.has(v)) return UNKNOWN;
  if (Array.isArray(v)) return v.map(copy);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** A string or undefined (unknown, missing or another type). */
export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function obj(v: unknown): Record<string, any> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) && !isUnknown(v) ? (v as Record<string, any>) : undefined;
}

/** One setting of a policy's config: its JSON schema, with the default stated there once. */
export const setting = {
  strings: (value: readonly string[] = []) => ({ type: "array" as const, items: { type: "string" as const }, default: [...value] }),
  boolean: (value: boolean) => ({ type: "boolean" as const, default: value }),
  integer: (value: number, range: { minimum?: number; maximum?: number } = {}) => ({ type: "integer" as const, ...range, default: value }),
  string: (value: string, extra: { enum?: readonly string[]; format?: string } = {}) => ({
    type: "string" as const,
    ...(extra.format ? { format: extra.format } : {}),
    ...(extra.enum ? { enum: [...extra.enum] } : {}),
    default: value,
  }),
};

type SettingSchema = { type: string; default: unknown };
type SettingsOf<P extends Record<string, SettingSchema>> = { [K in keyof P]: P[K]["default"] };

/**
 * A policy's config: `schema` is its configSchema (what the engine and `--policy-pack-config`
 * validate, with the defaults), `read(args)` the config merged over those same defaults.
 */
export function policySettings<P extends Record<string, SettingSchema>>(properties: P) {
  const defaults = Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, p.default])) as SettingsOf<P>;
  return {
    schema: { properties },
    read: (args: { getConfig<T extends object>(): T }): SettingsOf<P> => configOf(args, defaults),
  };
}

/** Config merged over defaults: works whether or not the engine applied schema defaults. */
function configOf<C extends object>(args: { getConfig<T extends object>(): T }, defaults: C): C {
  let given: Partial<C>;
  try {
    given = (args.getConfig<Partial<C>>() ?? {}) as Partial<C>;
  } catch {
    given = {};
  }
  const out: any = { ...defaults };
  for (const [k, v] of Object.entries(given)) if (v !== undefined && k !== "enforcementLevel") out[k] = v;
  return out as C;
}

/** For a resource policy: run `fn` on resources of `type` only, others are not applicable. */
export function forType(
  type: string | readonly string[],
  fn: (props: Record<string, any>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
) {
  const types = typeof type === "string" ? [type] : type;
  return (args: ResourceValidationArgs, report: ReportViolation): void | Promise<void> => {
    if (!types.includes(args.type)) {
      args.notApplicable(`applies to ${types.join(", ")} only`);
    }
    return fn(plain(args.props), args, report);
  };
}

/** A stack resource's props as plain data (unknowns replaced by UNKNOWN). */
export interface StackRes {
  type: string;
  urn: string;
  name: string;
  props: Record<string, any>;
  /** URNs this resource depends on (any input). */
  dependsOn: Set<string>;
  /** Per input property, URNs it depends on. */
  propertyDeps: Record<string, Set<string>>;
  parentUrn?: string;
}

export function stackResources(args: StackValidationArgs): StackRes[] {
  return args.resources.map((r: PolicyResource) => {
    const propertyDeps: Record<string, Set<string>> = {};
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) {
      propertyDeps[k] = new Set((deps ?? []).map((d) => d.urn));
    }
    return {
      type: r.type,
      urn: r.urn,
      name: r.name,
      props: plain(r.props),
      dependsOn: new Set((r.dependencies ?? []).map((d) => d.urn)),
      propertyDeps,
      parentUrn: r.parent?.urn ?? r.opts?.parent,
    };
  });
}

/** The stack name in a URN: urn:pulumi:<stack>::<project>::<type>::<name>. */
export function stackOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}

/** Zone-level Cloudflare configuration: settings or zone rulesets (one entrypoint per phase per zone). */
export function isZoneEdgeConfig(r: { type: string; props: Record<string, any> }): boolean {
  if (r.type === T.zoneSetting || r.type === T.botManagement) return true;
  if (r.type === T.ruleset) return r.props.kind === "zone" || r.props.zoneId !== undefined;
  return false;
}
