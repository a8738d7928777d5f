/**
 * Reads resource argument shapes from the installed provider SDKs' type declarations
 * (`<package>/<module>/<resource>.d.ts` and `types/input.d.ts`) with the TypeScript
 * compiler, so the shape check always matches the exact installed version. Parsing
 * `types/input.d.ts` costs 0.3-0.5 s, so extracted shapes are cached on disk per
 * package version (node_modules/.cache/launch-ready/shapes); a new SDK version starts
 * a new cache file.
 */
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import type { ObjectShape, Shape, ShapeLookup } from "../../lib/conformance";

/** The npm package of each Pulumi provider the checks know. */
export const PROVIDER_PACKAGES: Record<string, string> = {
  cloudflare: "@pulumi/cloudflare",
  aws: "@pulumi/aws",
  vercel: "@pulumiverse/vercel",
  random: "@pulumi/random",
};

interface CacheFile {
  package: string;
  version: string;
  resources: Record<string, ObjectShape | null>;
  objects: Record<string, ObjectShape | null>;
}

let ts: typeof TS | undefined;
const compiler = () => (ts ??= require("typescript") as typeof TS);

/** Shapes for every provider package installed where `fromDir` resolves modules. */
export function sdkShapes(fromDir: string, cacheDir = path.join(fromDir, "node_modules", ".cache", "launch-ready", "shapes")): ShapeLookup & { save(): void } {
  const packages = new Map<string, PackageShapes | null>();
  const pkgFor = (provider: string): PackageShapes | null => {
    if (!packages.has(provider)) {
      const name = PROVIDER_PACKAGES[provider];
      let dir: string | undefined;
      try {
        dir = name ? path.dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] })) : undefined;
      } catch {
        dir = undefined;
      }
      packages.set(provider, dir ? new PackageShapes(name, dir, cacheDir) : null);
    }
    return packages.get(provider)!;
  };
  return {
    resource: (type) => pkgFor(type.split(":")[0])?.resource(type),
    object: (ref) => pkgFor(ref.split(":")[0])?.object(ref.slice(ref.indexOf(":") + 1)),
    save: () => packages.forEach((p) => p?.save()),
  };
}

class PackageShapes {
  private cache: CacheFile;
  private dirty = false;
  private inputs?: Map<string, TS.InterfaceDeclaration>;
  private readonly cacheFile: string;
  private readonly provider: string;

  constructor(
    private readonly name: string,
    private readonly dir: string,
    cacheDir: string,
  ) {
    const version = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
    this.provider = Object.entries(PROVIDER_PACKAGES).find(([, n]) => n === name)![0];
    this.cacheFile = path.join(cacheDir, `${name.replace("/", "+")}@${version}.json`);
    this.cache = { package: name, version, resources: {}, objects: {} };
    try {
      const read = JSON.parse(fs.readFileSync(this.cacheFile, "utf8")) as CacheFile;
      if (read.version === version && read.package === name) this.cache = read;
    } catch {
      // no cache yet
    }
  }

  private get label(): string {
    return `${this.name}@${this.cache.version}`;
  }

  resource(type: string): ObjectShape | undefined {
    if (!(type in this.cache.resources)) {
      this.cache.resources[type] = this.readResource(type) ?? null;
      this.dirty = true;
    }
    return this.cache.resources[type] ?? undefined;
  }

  object(ref: string): ObjectShape | undefined {
    if (!(ref in this.cache.objects)) {
      this.cache.objects[ref] = this.readInput(ref) ?? null;
      this.dirty = true;
    }
    return this.cache.objects[ref] ?? undefined;
  }

  save(): void {
    if (!this.dirty) return;
    try {
      fs.mkdirSync(path.dirname(this.cacheFile), { recursive: true });
      fs.writeFileSync(this.cacheFile, JSON.stringify(this.cache));
      this.dirty = false;
    } catch {
      // A read-only install still works, only slower.
    }
  }

  /** "aws:route53/healthCheck:HealthCheck" -> <pkg>/route53/healthCheck.d.ts, interface HealthCheckArgs. */
  private readResource(type: string): ObjectShape | undefined {
    const [, module, cls] = type.split(":");
    if (!module || !cls) return undefined;
    const [mod, file] = module.split("/");
    const rel = mod === "index" ? `${file}.d.ts` : `${mod}/${file}.d.ts`;
    const full = path.join(this.dir, rel);
    if (!fs.existsSync(full)) return undefined;
    const source = compiler().createSourceFile(full, fs.readFileSync(full, "utf8"), compiler().ScriptTarget.Latest, false);
    const decl = source.statements.find((s): s is TS.InterfaceDeclaration => compiler().isInterfaceDeclaration(s) && s.name.text === `${cls}Args`);
    return decl ? this.objectShape(decl, `${this.label} ${rel} ${cls}Args`) : undefined;
  }

  /** "route53.HealthCheckFoo" or "RulesetRule" -> types/input.d.ts. */
  private readInput(ref: string): ObjectShape | undefined {
    if (!this.inputs) {
      this.inputs = new Map();
      const full = path.join(this.dir, "types", "input.d.ts");
      if (fs.existsSync(full)) {
        const source = compiler().createSourceFile(full, fs.readFileSync(full, "utf8"), compiler().ScriptTarget.Latest, false);
        const visit = (statements: readonly TS.Statement[], prefix: string) => {
          for (const s of statements) {
            if (compiler().isInterfaceDeclaration(s)) this.inputs!.set(`${prefix}${s.name.text}`, s);
            if (compiler().isModuleDeclaration(s) && s.body && compiler().isModuleBlock(s.body))
              visit(s.body.statements, `${prefix}${s.name.getText(source)}.`);
          }
        };
        visit(source.statements, "");
      }
    }
    const decl = this.inputs.get(ref);
    return decl ? this.objectShape(decl, `${this.label} types/input.d.ts ${ref}`) : undefined;
  }

  private objectShape(decl: TS.InterfaceDeclaration, source: string): ObjectShape {
    const props: ObjectShape["props"] = {};
    for (const m of decl.members) {
      if (!compiler().isPropertySignature(m) || !m.type) continue;
      const name = compiler().isIdentifier(m.name) || compiler().isStringLiteral(m.name) ? m.name.text : undefined;
      if (!name) continue;
      props[name] = { shape: this.shapeOf(m.type), required: !m.questionToken };
    }
    return { source, props };
  }

  private shapeOf(node: TS.TypeNode): Shape {
    const t = compiler();
    if (t.isParenthesizedTypeNode(node)) return this.shapeOf(node.type);
    if (node.kind === t.SyntaxKind.StringKeyword) return { kind: "string" };
    if (node.kind === t.SyntaxKind.NumberKeyword) return { kind: "number" };
    if (node.kind === t.SyntaxKind.BooleanKeyword) return { kind: "boolean" };
    if (t.isLiteralTypeNode(node)) {
      if (t.isStringLiteral(node.literal)) return { kind: "string" };
      if (t.isNumericLiteral(node.literal)) return { kind: "number" };
      if (node.literal.kind === t.SyntaxKind.TrueKeyword || node.literal.kind === t.SyntaxKind.FalseKeyword) return { kind: "boolean" };
      return { kind: "any" };
    }
    if (t.isArrayTypeNode(node)) return { kind: "array", items: this.shapeOf(node.elementType) };
    if (t.isUnionTypeNode(node)) {
      const options = node.types
        .filter((x) => x.kind !== t.SyntaxKind.UndefinedKeyword && !(t.isLiteralTypeNode(x) && x.literal.kind === t.SyntaxKind.NullKeyword))
        .map((x) => this.shapeOf(x));
      if (options.some((o) => o.kind === "any")) return { kind: "any" };
      const unique = options.filter((o, i) => options.findIndex((p) => JSON.stringify(p) === JSON.stringify(o)) === i);
      return unique.length === 1 ? unique[0] : { kind: "union", options: unique };
    }
    if (t.isTypeLiteralNode(node)) {
      const index = node.members.find(t.isIndexSignatureDeclaration);
      if (index?.type && node.members.length === 1) return { kind: "map", values: this.shapeOf(index.type) };
      return { kind: "any" };
    }
    if (t.isTypeReferenceNode(node)) {
      const name = entityName(node.typeName);
      if (name === "pulumi.Input" && node.typeArguments?.length === 1) return this.shapeOf(node.typeArguments[0]);
      if (name === "Array" && node.typeArguments?.length === 1) return { kind: "array", items: this.shapeOf(node.typeArguments[0]) };
      if (name.startsWith("inputs.")) return { kind: "object", ref: `${this.provider}:${name.slice("inputs.".length)}` };
      // String enums (enums.*) and anything else this check does not model.
      if (name.startsWith("enums.")) return { kind: "string" };
      return { kind: "any" };
    }
    return { kind: "any" };
  }
}

function entityName(n: TS.EntityName): string {
  return compiler().isIdentifier(n) ? n.text : `${entityName(n.left)}.${n.right.text}`;
}
