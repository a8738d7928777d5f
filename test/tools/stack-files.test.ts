/**
 * Which stack file a command reads (tools/offline/stack-files.ts), on stand-in repository roots
 * holding no, one or several founder stack files.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chooseStack, EXAMPLE_DIR, missingStackMessage, ROOT, StackChoiceError, stackNamesIn } from "../../tools/offline/stack-files";

describe("stack files: the founder's at the root, the example in examples/acmechat", () => {
  let root: string;
  const write = (...stacks: string[]) => stacks.forEach((s) => fs.writeFileSync(path.join(root, `Pulumi.${s}.yaml`), "config: {}\n"));
  const refused = (request: Parameters<typeof chooseStack>[0]) => {
    try {
      chooseStack(request, root);
    } catch (err) {
      assert.ok(err instanceof StackChoiceError, String(err));
      return { message: err.message, usage: err.usage };
    }
    assert.fail("expected a StackChoiceError");
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-stacks-"));
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: mybot\n");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("lists the stacks whose files a directory holds, not Pulumi.yaml", () => {
    write("prod", "mybot-staging");
    fs.writeFileSync(path.join(root, "Pulumi.prod.yaml.bak"), "");
    assert.deepEqual(stackNamesIn(root), ["mybot-staging", "prod"]);
    assert.deepEqual(stackNamesIn(EXAMPLE_DIR), ["prod", "staging"]);
    assert.deepEqual(stackNamesIn(path.join(root, "nowhere")), []);
  });

  it("with no stack file at the root and no --stack: the example's prod, said in one line", () => {
    const choice = chooseStack({}, root);
    assert.deepEqual({ ...choice, note: undefined }, { stack: "prod", dir: EXAMPLE_DIR, note: undefined });
    assert.equal(
      choice.note,
      "No stack file at the repository root: planning the AcmeChat example (examples/acmechat/Pulumi.prod.yaml); write one with `npm run init` for your own.",
    );
  });

  it("with the founder's one stack file: that one, whatever its name; with several: --stack, naming them", () => {
    write("mybot");
    assert.deepEqual(chooseStack({}, root), { stack: "mybot", dir: root });
    write("prod");
    assert.deepEqual(refused({}), { message: `several stack files in ${root} (mybot, prod): name one with --stack`, usage: true });
    assert.deepEqual(chooseStack({ stack: "prod" }, root), { stack: "prod", dir: root });
  });

  it("--stack NAME reads the root's Pulumi.NAME.yaml, never the example's, even when the example has that name", () => {
    write("mybot");
    assert.deepEqual(refused({ stack: "prod" }), {
      message:
        `no stack file Pulumi.prod.yaml in ${root} (stack files there: mybot): write one with \`npm run init\`; ` +
        "the AcmeChat example's stacks are planned with --dir examples/acmechat --stack prod (or staging)",
      usage: false,
    });
  });

  it("--dir DIR: the stack files in DIR, by the same rule, and no example in its place", () => {
    assert.deepEqual(chooseStack({ dir: EXAMPLE_DIR, stack: "staging" }, root), { stack: "staging", dir: EXAMPLE_DIR });
    assert.deepEqual(refused({ dir: EXAMPLE_DIR }), {
      message: "several stack files in examples/acmechat (prod, staging): name one with --stack",
      usage: true,
    });
    const empty = path.join(root, "empty");
    fs.mkdirSync(empty);
    assert.deepEqual(refused({ dir: empty }), { message: `no stack file in ${empty}: write one with \`npm run init\``, usage: false });
    assert.equal(
      missingStackMessage("nope", EXAMPLE_DIR),
      "no stack file Pulumi.nope.yaml in examples/acmechat (stack files there: prod, staging): write one with `npm run init`",
    );
    assert.match(missingStackMessage("nope", ROOT), /^no stack file Pulumi\.nope\.yaml at the repository root \(/);
  });

  it("--program: its own directory's stack files; a missing one is an empty config, as before", () => {
    const program = path.join(root, "index.ts");
    assert.deepEqual(chooseStack({ program }, ROOT), { stack: "prod", dir: root });
    assert.deepEqual(chooseStack({ program, stack: "dev" }, ROOT), { stack: "dev", dir: root });
    write("dev");
    assert.deepEqual(chooseStack({ program }, ROOT), { stack: "dev", dir: root });
  });
});
