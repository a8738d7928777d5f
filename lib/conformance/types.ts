/**
 * The conformance stage's contract: what it checks a declared resource against, and
 * what it reports. A finding always names the resource, the property, the value given
 * (never a secret), what is allowed and where that fact comes from.
 */
import type { PlannedResource } from "../planned/types";
import type { Tier } from "../provider-facts";

export type ConformanceCheck = "shape" | "value" | "plan-limit" | "region" | "engine";

export interface ConformanceFinding {
  check: ConformanceCheck;
  urn: string;
  type: string;
  name: string;
  /** The property as declared, e.g. "rules[2].ratelimit.period". */
  property?: string;
  /** The value given, printable: secrets print as [secret]. */
  given?: string;
  allowed?: string;
  /** Where the fact comes from: a provider source path at the version we install, or a doc URL. */
  source: string;
  message: string;
}

/** A property's type as the provider SDK declares it (tools/conformance/shapes.ts reads it from the .d.ts files). */
export type Shape =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "any" }
  | { kind: "array"; items: Shape }
  | { kind: "map"; values: Shape }
  | { kind: "object"; ref: string }
  | { kind: "union"; options: Shape[] };

export interface ObjectShape {
  /** Where it was read, e.g. "@pulumi/cloudflare@6.22.1 ruleset.d.ts RulesetArgs". */
  source: string;
  props: Record<string, { shape: Shape; required: boolean }>;
}

/** Resolves a resource type's args, and the nested input types they refer to. */
export interface ShapeLookup {
  resource(type: string): ObjectShape | undefined;
  object(ref: string): ObjectShape | undefined;
}

export interface ConformanceOptions {
  /** Shapes from the installed provider SDKs; without them the shape check is skipped. */
  shapes?: ShapeLookup;
  /** Cloudflare plan per zone id; a zone not listed gets `defaultZoneTier`, or no plan-limit check. */
  zoneTiers?: Record<string, Tier>;
  defaultZoneTier?: Tier;
  /** The AWS provider's default region (`aws:region`), for resources that set none. */
  awsRegion?: string;
  /** Live values `npm run adopt` recorded for phase one, by import id: an import must declare exactly these. */
  adoptedLive?: Record<string, Record<string, unknown>>;
}

export interface ConformanceResult {
  findings: ConformanceFinding[];
  /** What was checked, for the summary line. */
  checked: { resources: number; withShapes: number; withFacts: number };
  /** Checks that could not run, and why (e.g. no Cloudflare plan known for a zone). */
  skipped: string[];
}

export type Resource = PlannedResource;
