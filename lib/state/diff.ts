/**
 * The offline state diff: what `pulumi up` would do to the deployed stack, from its state
 * (`pulumi stack export`, ./export.ts) and the offline plan. Matched by URN, or by an alias URN
 * (the engine moves such a resource); inputs compared property by property; a change to a
 * replace-forcing property (lib/provider-facts replaceOnChanges) is a replace.
 */
import { factsFor } from "../provider-facts";
import { isSecretValue } from "../planned/secrets";
import type { PlannedResource } from "../planned/types";
import { UNKNOWN } from "../conformance/values-path";
import { RESOURCE_TYPES } from "../../policies/shared/resource-types";
import type { StateResource } from "./export";

export const CHANGE_KINDS = ["create", "import", "update", "replace", "delete", "unchanged"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** A resource option that lives in the state only (engine.json protectIsStateOnly): changing it changes nothing at the provider. */
export interface OptionChange {
  option: "protect" | "retainOnDelete";
  from: boolean;
  to: boolean;
}

export interface StateChange {
  kind: ChangeKind;
  /** The planned URN; for a delete, the deployed one. */
  urn: string;
  type: string;
  name: string;
  /** The deployed URN when it differs (an alias moves the resource). */
  movedFrom?: string;
  /** update: the changed properties; replace: those that force it. */
  properties?: string[];
  /** replace: the old resource is deleted before the new one exists. */
  deleteBeforeReplace?: boolean;
  /** replace of a DNS record, deleted first: the name has no such record between the delete and the create. */
  dnsGap?: boolean;
  options?: OptionChange[];
  /** Properties that could not be compared offline: secrets (never decrypted) or values known after `pulumi up`. */
  notCompared?: string[];
  /** Protected in the state or in the plan. */
  protected: boolean;
  /** Protected in the state: the engine itself refuses a delete (and, protected in the plan too, a replace) until `pulumi state unprotect`. */
  protectedInState?: boolean;
  /** delete: the state says retainOnDelete, so the resource stays where it is (Pulumi only forgets it). */
  retained?: boolean;
  /** The deployed inputs (secrets redacted), for the guard's messages. */
  deployedInputs?: Record<string, unknown>;
}

/** Resources the program never declares itself: the stack and the default providers. */
const notDiffed = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? sortedObject(x) : x));
const sortedObject = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
const containsUnknown = (v: unknown): boolean =>
  v === UNKNOWN || (Array.isArray(v) ? v.some(containsUnknown) : !!v && typeof v === "object" && Object.values(v).some(containsUnknown));
const containsSecret = (v: unknown): boolean =>
  isSecretValue(v) || (Array.isArray(v) ? v.some(containsSecret) : !!v && typeof v === "object" && Object.values(v).some(containsSecret));

/**
 * Changed top-level input properties, and those not comparable. Bridged providers keep their own
 * bookkeeping under `__` keys (`__defaults` lists the inputs the provider filled in, which the
 * program never declares): neither counts as a change.
 */
function inputChanges(planned: PlannedResource, deployed: Record<string, unknown>): { changed: string[]; notCompared: string[] } {
  const filledIn = new Set(Array.isArray(deployed.__defaults) ? (deployed.__defaults as unknown[]).map(String) : []);
  const ignored = new Set(planned.opts.ignoreChanges.map((path) => path.split(/[.[]/)[0]));
  const keys = new Set([...Object.keys(planned.props), ...Object.keys(deployed)].filter((k) => !k.startsWith("__") && !ignored.has(k)));
  const changed: string[] = [];
  const notCompared: string[] = [];
  for (const key of [...keys].sort()) {
    const [now, before] = [planned.props[key], deployed[key]];
    if (now === undefined && filledIn.has(key)) continue;
    if (containsSecret(now) || containsSecret(before) || containsUnknown(now)) {
      notCompared.push(key);
      continue;
    }
    if (canonical(now) !== canonical(before)) changed.push(key);
  }
  return { changed, notCompared };
}

function optionChanges(planned: PlannedResource, deployed: StateResource): OptionChange[] {
  const pairs: Array<[OptionChange["option"], boolean, boolean]> = [
    ["protect", !!deployed.protect, planned.opts.protect],
    ["retainOnDelete", !!deployed.retainOnDelete, planned.opts.retainOnDelete],
  ];
  return pairs.filter(([, from, to]) => from !== to).map(([option, from, to]) => ({ option, from, to }));
}

function changeOf(planned: PlannedResource, deployed: StateResource): StateChange {
  const { changed, notCompared } = inputChanges(planned, deployed.inputs ?? {});
  const forcing = new Set(factsFor(planned.type)?.replaceOnChanges.props ?? []);
  const replacing = changed.filter((k) => forcing.has(k));
  const options = optionChanges(planned, deployed);
  const base: StateChange = {
    kind: replacing.length ? "replace" : changed.length ? "update" : "unchanged",
    urn: planned.urn,
    type: planned.type,
    name: planned.name,
    ...(deployed.urn !== planned.urn ? { movedFrom: deployed.urn } : {}),
    ...(changed.length ? { properties: replacing.length ? replacing : changed } : {}),
    ...(options.length ? { options } : {}),
    ...(notCompared.length ? { notCompared } : {}),
    protected: !!deployed.protect || planned.opts.protect,
    protectedInState: !!deployed.protect,
    deployedInputs: deployed.inputs ?? {},
  };
  if (base.kind !== "replace") return base;
  const deleteFirst = planned.opts.deleteBeforeReplace;
  return { ...base, deleteBeforeReplace: deleteFirst, dnsGap: deleteFirst && planned.type === RESOURCE_TYPES.dnsRecord };
}

/** Every planned and deployed custom resource, with what `pulumi up` would do to it, in the plan's order (deletes last). */
export function diffState(deployed: readonly StateResource[], planned: readonly PlannedResource[]): StateChange[] {
  const live = deployed.filter((r) => r.custom && !r.delete && !notDiffed(r.type));
  const byUrn = new Map(live.map((r) => [r.urn, r]));
  const declared = planned.filter((r) => r.custom && !notDiffed(r.type));
  const claimed = new Set(declared.filter((r) => byUrn.has(r.urn)).map((r) => r.urn));
  const changes: StateChange[] = [];
  for (const r of declared) {
    // The engine looks a resource up by its own URN first, then by each alias (pkg/resource/deploy/step_generator.go).
    const alias = byUrn.has(r.urn) ? undefined : (r.opts.aliases ?? []).find((a) => byUrn.has(a) && !claimed.has(a));
    const match = byUrn.get(r.urn) ?? (alias ? byUrn.get(alias) : undefined);
    if (alias) claimed.add(alias);
    if (!match) {
      changes.push({ kind: r.opts.importId ? "import" : "create", urn: r.urn, type: r.type, name: r.name, protected: r.opts.protect });
      continue;
    }
    changes.push(changeOf(r, match));
  }
  for (const r of live.filter((x) => !claimed.has(x.urn))) {
    changes.push({
      kind: "delete",
      urn: r.urn,
      type: r.type,
      name: nameOf(r.urn),
      protected: !!r.protect,
      protectedInState: !!r.protect,
      ...(r.retainOnDelete ? { retained: true } : {}),
      deployedInputs: r.inputs ?? {},
    });
  }
  return changes;
}

/** How many changes of each kind. */
export function countChanges(changes: readonly StateChange[]): Record<ChangeKind, number> {
  return Object.fromEntries(CHANGE_KINDS.map((k) => [k, changes.filter((c) => c.kind === k).length])) as Record<ChangeKind, number>;
}
