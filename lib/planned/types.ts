/**
 * A resource as the program declared it, captured offline from the Pulumi SDK's
 * registration request (see tools/offline/recorder.ts). It carries what the Pulumi
 * engine would hand a policy pack: type, name, URN, input properties (with secrets
 * still marked), parent and resource options.
 */
export interface PlannedResource {
  type: string;
  name: string;
  urn: string;
  /** The parent's URN; undefined for the stack itself. */
  parent?: string;
  /** false for component resources. */
  custom: boolean;
  /**
   * Input properties, as the SDK serialised them. A secret is kept as
   * `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`;
   * use `isSecretValue` / `revealForPolicy` from lib/planned/secrets.ts.
   */
  props: Record<string, unknown>;
  opts: {
    protect: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    retainOnDelete: boolean;
    importId?: string;
    provider?: string;
    dependsOn: string[];
    /** URNs this resource answers to besides its own (its `aliases`): an existing resource at one of them is moved, not replaced. */
    aliases?: string[];
  };
  /** URNs of every resource this one's inputs depend on. */
  dependencies: string[];
  /** Per input property, the URNs it depends on (how an alarm names its health check). */
  propertyDependencies: Record<string, string[]>;
}
