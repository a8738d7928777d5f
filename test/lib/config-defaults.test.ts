/**
 * Every default of the stack config is stated once, where the schema applies it: an object
 * left out gets exactly what an empty one gets (zod's prefault parses the default through the
 * schema; a literal default would bypass the inner defaults and could drift from them).
 */
import { strict as assert } from "assert";
import { z } from "zod";
import { stackConfigSchema } from "../../lib/config/schema";

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every schema reachable from `root`, with its config path. */
function walk(root: z.ZodType, path: string, visit: (s: z.ZodType, path: string) => void, seen = new Set<z.ZodType>()) {
  if (seen.has(root)) return;
  seen.add(root);
  visit(root, path);
  const d = defOf(root);
  if (d.shape) for (const [k, v] of Object.entries(d.shape)) walk(v, path ? `${path}.${k}` : k, visit, seen);
  for (const inner of [d.innerType, d.element, d.in, ...(d.options ?? [])]) if (inner) walk(inner, d.element === inner ? `${path}[]` : path, visit, seen);
}

const unwrap = (s: z.ZodType): z.ZodType => {
  const d = defOf(s);
  return ["optional", "nullable", "readonly", "pipe"].includes(d.type) && (d.innerType ?? d.in) ? unwrap((d.innerType ?? d.in)!) : s;
};

describe("config defaults, stated once", () => {
  it("each defaulted object: left out and given as {} parse the same", () => {
    const checked: string[] = [];
    walk(stackConfigSchema, "", (s, path) => {
      const d = defOf(s);
      if (d.type !== "default" && d.type !== "prefault") return;
      const inner = unwrap(d.innerType!);
      if (defOf(inner).type !== "object") return;
      checked.push(path);
      assert.deepEqual(s.parse(undefined), s.parse({}), `${path}: a default that is not what {} gives`);
      assert.equal(d.type, "prefault", `${path}: write .prefault({}) so the inner defaults apply (a literal .default() states them twice)`);
    });
    // The objects a founder may leave out: each is checked (a hand-written list, so a lost default shows).
    for (const key of [
      "site",
      "edge",
      "edge.hsts",
      "edge.cache",
      "edge.waf",
      "edge.securityHeaders",
      "uptime",
      "turnstile",
      "protect",
      "owners",
      "zone.caa",
      "hosting.env",
    ])
      assert.ok(checked.includes(key), `${key} is defaulted and checked (got ${checked.join(", ")})`);
  });
});
