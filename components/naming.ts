/**
 * Child resources are named after their component, `<component>-<child>`, the way awsx and
 * SST name theirs: two components of one kind in one program never collide. Releases before
 * this named children by the child alone ("ssl", "www-web"); that name, and any older one a
 * child had, stays an alias, so an existing stack moves its resources instead of replacing
 * them (test/program/urn-pin.test.ts proves it for the shipped stacks).
 */
import type * as pulumi from "@pulumi/pulumi";

export function childName(component: string, child: string): string {
  return `${component}-${child}`;
}

/** `parent`, plus aliases from the child's bare name and any `previous` names, merged with `opts`. */
export function childOptions<T extends pulumi.CustomResourceOptions | pulumi.ComponentResourceOptions>(
  parent: pulumi.Resource,
  child: string,
  previous: readonly string[] = [],
  opts?: T,
): T {
  return { ...opts, parent, aliases: [...[child, ...previous].map((name) => ({ name })), ...(opts?.aliases ?? [])] } as T;
}
