/**
 * Stack files read as the Pulumi CLI reads them (gopkg.in/yaml.v3 v3.0.1, lib/provider-facts/engine.json
 * facts.stackFileYaml, yamlDuplicateKey, yamlAliasExpansion): a syntax error names file, line and
 * column; a key given twice is an error; alias expansion stops where yaml.v3's alias ratio stops it.
 */
import { strict as assert } from "assert";
import { parseStackYaml, StackFileError } from "../../lib/config/stack-yaml";
import { aliasBomb } from "../helpers/alias-bomb";

function problemsOf(text: string, file = "Pulumi.tidepool.yaml"): StackFileError {
  try {
    parseStackYaml(text, file);
  } catch (err) {
    assert.ok(err instanceof StackFileError, `expected a StackFileError, got ${(err as Error)?.stack}`);
    return err;
  }
  assert.fail("the file was accepted");
}

describe("stack files: read as the Pulumi CLI reads them", () => {
  it("a syntax error names the file, the line and the column, and shows the line", () => {
    const text = "config:\n  tidepool:domain: tidepool.studio\n  tidepool:hosts: [app, api\n  tidepool:plan: free\n";
    const err = problemsOf(text);
    assert.deepEqual(
      err.problems.map((p) => [p.line, p.col]),
      [[4, 3]],
    );
    // yaml finds the list unclosed where the next key starts, and shows the line that opened it above.
    assert.match(err.message, /^Pulumi\.tidepool\.yaml:4:3: not valid YAML: Flow sequence .*end with a \]\n/);
    assert.match(err.message, /\n3 \| {3}tidepool:hosts: \[app, api\n4 \| {3}tidepool:plan: free\n {6}\^$/);
  });

  it("a tab where YAML needs spaces is a syntax error at its line and column", () => {
    const err = problemsOf("config:\n\ttidepool:domain: tidepool.studio\n");
    assert.match(
      err.message,
      /^Pulumi\.tidepool\.yaml:2:1: not valid YAML: Tabs are not allowed as indentation\n1 \| config:\n2 \| \ttidepool:domain: tidepool.studio\n {4}\^$/,
    );
  });

  it("a key given twice is an error naming the key, the file and both lines, never an overwrite", () => {
    const text = ["config:", "  tidepool:zone:", "    name: tidepool.studio", "    plan: free", "    plan: pro", "  tidepool:domain: a", ""].join("\n");
    const err = problemsOf(text);
    assert.equal(err.problems.length, 1);
    assert.match(err.message, /^Pulumi\.tidepool\.yaml:5:5: the key "plan" is given twice in one mapping \(first at line 4\)/);
    assert.match(err.message, /mapping key "plan" already defined at line 4/);
  });

  it('compares keys as yaml.v3 does: 1 and "1" are one key, every duplicate is listed, and keys in different mappings do not clash', () => {
    const err = problemsOf('config:\n  tidepool:ports:\n    1: a\n    "1": b\n  tidepool:x: 1\n  tidepool:x: 2\n');
    assert.deepEqual(
      err.problems.map((p) => p.line),
      [4, 6],
    );
    assert.deepEqual(parseStackYaml("config:\n  a:\n    name: x\n  b:\n    name: y\n", "Pulumi.ok.yaml"), { config: { a: { name: "x" }, b: { name: "y" } } });
  });

  it("a nine-level alias bomb is refused at the alias that trips yaml.v3's alias ratio, without expanding it", function () {
    // Finishing at all is the point: expanded, the file is 9^9 strings (the mocha timeout stops a runaway).
    this.timeout(10_000);
    const err = problemsOf(aliasBomb(9));
    assert.equal(err.problems.length, 1);
    assert.match(
      err.problems[0].message,
      /^the alias \*l\d expands the file more than the Pulumi CLI accepts \(yaml\.v3: "document contains excessive aliasing"/,
    );
    // By yaml.v3's counting an alias of l1 decodes 100 values inside it per one outside (99.01%), which line 4's nine
    // cannot lift the whole share over 99%; an alias of l2 decodes 910, and the fourth of them on line 5 does.
    assert.equal(err.problems[0].line, 5);
    assert.equal(err.problems[0].col, "  tidepool:l3: &l3 [*l2, *l2, *l2, ".length + 1);
  });

  it("an anchor aliased many times passes while each alias adds less than 99% of what it decodes (the CLI's rule, not a count)", () => {
    // A mapping merged into 300 others: each use decodes 6 values outside the alias (its own, and its keys again) and 8 inside.
    const uses = Array.from({ length: 300 }, (_, i) => `    - { <<: *probe, path: /p${i} }`).join("\n");
    const text = `config:\n  tidepool:probe: &probe { interval: 60, regions: [us, eu], path: / }\n  tidepool:checks:\n${uses}\n`;
    const config = parseStackYaml(text, "Pulumi.tidepool.yaml").config as Record<string, any>;
    assert.equal(config["tidepool:checks"].length, 300);
    assert.deepEqual(config["tidepool:checks"][299], { interval: 60, regions: ["us", "eu"], path: "/p299" });
  });

  it("an anchor of 200 values aliased 202 times or more is refused, as yaml.v3 refuses it; 201 times passes", () => {
    // yaml.v3 decodes 208 values outside aliases first (the document, two mappings, three keys, the uses list, the
    // 201-value sequence), then 1 outside and 201 inside per alias: after m aliases, 201m / (208 + 202m) > 0.99 once m > 201.9.
    const file = (aliases: number) =>
      `config:\n  tidepool:big: &big [${Array.from({ length: 200 }, (_, i) => i).join(", ")}]\n  tidepool:uses: [${Array(aliases).fill("*big").join(", ")}]\n`;
    assert.equal((parseStackYaml(file(150), "Pulumi.tidepool.yaml").config as Record<string, unknown[]>)["tidepool:uses"].length, 150);
    assert.match(problemsOf(file(250)).problems[0].message, /excessive aliasing/);
    assert.equal((parseStackYaml(file(201), "Pulumi.tidepool.yaml").config as Record<string, unknown[]>)["tidepool:uses"].length, 201);
    assert.match(problemsOf(file(202)).problems[0].message, /excessive aliasing/);
  });

  it("an anchor that contains its own alias, and an alias before its anchor, are refused as yaml.v3 refuses them", () => {
    assert.match(problemsOf("config:\n  tidepool:loop: &a [1, *a]\n").message, /^Pulumi\.tidepool\.yaml:2:25: anchor 'a' value contains itself/);
    assert.match(
      problemsOf("config:\n  tidepool:x: *later\n  tidepool:y: &later 1\n").message,
      /^Pulumi\.tidepool\.yaml:2:15: unknown anchor 'later' referenced/,
    );
  });

  it("merge keys merge as the CLI merges them (the mapping's own keys win, wherever they stand), a quoted << is a key", () => {
    const text = [
      "config:",
      "  base: &base { target: vercel, healthPath: / }",
      "  before: { healthPath: /login, <<: *base }",
      "  after: { <<: *base, healthPath: /api/health }",
      '  quoted: { "<<": 1 }',
      "",
    ].join("\n");
    assert.deepEqual(parseStackYaml(text, "Pulumi.tidepool.yaml").config, {
      base: { target: "vercel", healthPath: "/" },
      before: { healthPath: "/login", target: "vercel" },
      after: { target: "vercel", healthPath: "/api/health" },
      quoted: { "<<": 1 },
    });
  });

  it("an empty file is an empty stack, a byte-order mark is skipped; a list, a scalar config or a second document is refused", () => {
    assert.deepEqual(parseStackYaml("", "Pulumi.empty.yaml"), {});
    assert.deepEqual(parseStackYaml("# only a comment\n", "Pulumi.empty.yaml"), {});
    assert.deepEqual(parseStackYaml("\ufeffconfig:\n  tidepool:plan: free\n", "Pulumi.bom.yaml"), { config: { "tidepool:plan": "free" } });
    assert.match(problemsOf("- config\n").message, /^Pulumi\.tidepool\.yaml:1:1: the file must be a mapping/);
    assert.match(problemsOf("config: free\n").message, /^Pulumi\.tidepool\.yaml:1:9: config: must be a mapping/);
    assert.match(
      problemsOf("config:\n  a: 1\n---\nconfig:\n  b: 2\n").message,
      /^Pulumi\.tidepool\.yaml:3:1: a second YAML document \(after ---\): the Pulumi CLI reads only the first/,
    );
  });
});
