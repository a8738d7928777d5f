/**
 * The shape of the codebase, checked: lib/ is pure domain logic (no file, network or
 * process I/O, nothing from the tools), components/ wire lib to resources, the policy pack
 * imports nothing from outside its folder, and tools/ hold everything that touches the world.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    if (d.name === "node_modules" || d.name === "bin") return [];
    const rel = path.join(dir, d.name);
    return d.isDirectory() ? sources(rel) : d.name.endsWith(".ts") && !d.name.endsWith(".d.ts") ? [rel] : [];
  });
}

/** Every module a file imports or requires: a package name, or a repository path for a relative import. */
function importsOf(file: string): Array<{ pkg?: string; local?: string }> {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"|\b(?:require|import)\(\s*"([^"]+)"\s*\)/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  return specs.map((spec) => (spec.startsWith(".") ? { local: path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)) } : { pkg: spec }));
}

const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|dns|dgram|http|https|http2|tls|os|worker_threads)$/;

describe("layout: what may depend on what", () => {
  it("lib/ does no I/O and uses no tool", () => {
    for (const file of sources("lib")) {
      for (const { pkg, local } of importsOf(file)) {
        assert.ok(!pkg || !IO_MODULES.test(pkg), `${file} imports ${pkg}`);
        assert.ok(!local || /^(lib|policies\/shared)\//.test(local), `${file} imports ${local}`);
      }
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      assert.doesNotMatch(text, /process\.(exit|env|argv|stdout|stderr|stdin|cwd|hrtime)\b/, `${file} touches the process`);
    }
  });

  it("the policy pack imports nothing from outside policies/", () => {
    const packDeps = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "package.json"), "utf8")).dependencies);
    for (const file of sources("policies")) {
      for (const { pkg, local } of importsOf(file)) {
        if (local) assert.ok(local.startsWith("policies/"), `${file} imports ${local}`);
        // A package must be the pack's own dependency (or Node's): it is installed alone.
        else
          assert.ok(
            packDeps.some((d) => pkg === d || pkg!.startsWith(`${d}/`)) || /^(node:)?[a-z_]+$/.test(pkg!),
            `${file} imports ${pkg}, not a dependency of the pack`,
          );
      }
    }
  });

  it("the policy pack reads no stack config, only its policy config (the suite's kept analyzer servers rely on it)", () => {
    for (const file of sources("policies")) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      assert.doesNotMatch(
        text,
        /\bnew\s+(pulumi\.)?Config\(|\bruntime\.(getConfig|allConfig|isConfigSecret)\b|PULUMI_CONFIG/,
        `${file} reads the stack's config`,
      );
    }
  });

  it("every command-line module exports main(argv, io) and does nothing on import but run it as a script", () => {
    const ts = require("typescript") as typeof import("typescript");
    for (const file of sources(path.join("tools", "cli"))) {
      const src = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
      const main = src.statements.find((st) => ts.isFunctionDeclaration(st) && st.name?.text === "main") as
        import("typescript").FunctionDeclaration | undefined;
      assert.ok(
        main?.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
        `${file} exports no main`,
      );
      assert.ok(main!.parameters.length >= 2 && main!.parameters[0].name.getText() === "argv", `${file}: main(argv, io...)`);
      // Top level: declarations, and at most `if (require.main === module) ...`.
      for (const st of src.statements) {
        const runs = ts.isExpressionStatement(st) || (ts.isIfStatement(st) && !/^require\.main === module$/.test(st.expression.getText()));
        assert.ok(!runs, `${file} runs "${st.getText().split("\n")[0]}" on import`);
      }
    }
  });

  it("components/ wire lib to resources and use no tool", () => {
    for (const file of sources("components")) {
      for (const { pkg, local } of importsOf(file))
        assert.ok(local ? /^(lib|components|policies\/shared)\//.test(local) : !IO_MODULES.test(pkg!), `${file} imports ${local ?? pkg}`);
    }
  });

  it("every command-line entry lives in tools/cli and every npm script runs one", () => {
    const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
    // The commands the launch-ready bin dispatches run through it (build/ when fresh), each a tools/cli module.
    const bin: { COMMANDS: Record<string, string> } = require(path.join(ROOT, "tools", "launch-ready.js"));
    for (const name of ["plan", "verify", "handover", "adopt"]) {
      assert.equal(scripts[name], `node tools/launch-ready.js ${name}`);
      assert.equal(bin.COMMANDS[name], `tools/cli/${name}`);
    }
    for (const rel of Object.values(bin.COMMANDS)) assert.match(rel, /^tools\/cli\/[a-z-]+$/);
    assert.equal(scripts.bench, "ts-node tools/cli/bench.ts");
    for (const cmd of Object.values(scripts)) {
      const file = /ts-node (\S+\.ts)/.exec(cmd)?.[1];
      if (file) assert.ok(fs.existsSync(path.join(ROOT, file)), `${cmd}: no ${file}`);
    }
  });

  it("DNS record text has one module: the plan, adopt, verify and the pack import it, and nothing else decodes TXT or CAA", () => {
    const DNS_TEXT = "policies/shared/dns-text";
    for (const caller of [
      "lib/dns/extra.ts",
      "lib/email/records.ts",
      "lib/adopt/phases.ts",
      "lib/adopt/match.ts",
      "tools/verify/dns-checks.ts",
      "policies/rules/launch.ts",
    ])
      assert.ok(
        importsOf(caller).some((i) => i.local === DNS_TEXT),
        `${caller} reads DNS text through ${DNS_TEXT}`,
      );
    const own = /\bfunction (unquoteTxt|txtContent|caaText|parseCaaText|comparableContent|comparable)\b|\/\^\\s\*\(\\d\+\)\\s\+/;
    for (const file of [...sources("lib"), ...sources("tools"), ...sources("policies"), ...sources("components")]) {
      if (file === `${DNS_TEXT}.ts`) continue;
      assert.doesNotMatch(fs.readFileSync(path.join(ROOT, file), "utf8"), own, `${file} has its own DNS text codec`);
    }
  });
});
