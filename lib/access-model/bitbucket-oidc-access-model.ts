import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IStackSynthesizer, ISynthesisSession, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ACCESS_MODEL_FILE, AccessModel } from "./access-model";
import { accessModelOf, accessModelProblems, arnOutputsOf, roleAddress, roleArnOutputName, stackAccess, terraformText } from "./access-model-of";

/**
 * Props of {@link BitbucketOidcAccessModel}. Every field is optional: by default everything is read
 * from the stack.
 * @example { workspace: { name: "Acme Corp" }, accountId: "123456789012" }
 */
export interface BitbucketOidcAccessModelProps {
  /**
   * The workspace's UUID and display name, as `review` and `explain` show them.
   * @default uuid: from the provider's default audience (`ari:cloud:bitbucket::workspace/<uuid>`),
   * required with custom audiences; name: none
   * @example { uuid: "{0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40}", name: "Acme Corp" }
   */
  readonly workspace?: { readonly uuid?: string; readonly name?: string };
  /**
   * The region the roles live in.
   * @default the region of the stack's default (unaliased) AWS provider, when it is a literal
   * @example "eu-west-1"
   */
  readonly region?: string;
  /**
   * The account id, so that the model holds literal role and provider ARNs.
   * @default none: the ARNs are Terraform references, read from the outputs after apply
   * @example "123456789012"
   */
  readonly accountId?: string;
  /**
   * The ARN of an identity provider created in this stack whose ARN is known already (an adopted one).
   * @default built from `accountId` when given, else the Terraform reference
   */
  readonly providerArn?: string;
}

/** The construct id of the one BitbucketOidcAccessModel of a stack. */
const ID = "bitbucket-oidc-access-model";

/**
 * Writes `access-model.json` next to its stack's `cdk.tf.json` whenever the app is synthesized (by
 * `cdktf synth` or `app.synth()`), so that `bitbucket-oidc review`, `explain` and `snippet` work on the
 * stack's `cdktf.out`. Add it in one line to any `TerraformStack` holding `BitbucketPipelinesRole`s:
 * `new BitbucketOidcAccessModel(stack)`. (`BitbucketOidcStack` has one already.)
 *
 * The model describes the roles of the stack and the one identity provider they trust; a stack with
 * roles of two workspaces fails validation. A role without a Terraform output of its ARN gets one,
 * `role_arn_<role name>`, which the pipeline snippets name. Nothing is written when synth finds
 * errors. It wraps the stack's synthesizer: set a custom `stack.synthesizer` before adding it.
 */
export class BitbucketOidcAccessModel extends Construct {
  /** The access model of `stack`'s BitbucketOidcAccessModel, computed once at synth; undefined before synth or without one. */
  static of(stack: TerraformStack): AccessModel | undefined {
    const found = stack.node.tryFindChild(ID);
    return found instanceof BitbucketOidcAccessModel ? found.model : undefined;
  }

  private readonly stack: TerraformStack;
  private readonly props: BitbucketOidcAccessModelProps;
  private computed?: AccessModel;

  /** @param scope the stack (or any construct in it) whose access model to write */
  constructor(scope: Construct, props: BitbucketOidcAccessModelProps = {}) {
    const stack = TerraformStack.of(scope);
    if (stack.node.tryFindChild(ID) !== undefined) {
      throw new Error(`stack "${stack.node.id}" has a BitbucketOidcAccessModel already (one per stack; BitbucketOidcStack adds its own)`);
    }
    super(stack, ID);
    this.stack = stack;
    this.props = props;
    this.node.addValidation({ validate: () => accessModelProblems(stack, props) });
    stack.synthesizer = new AccessModelSynthesizer(stack.synthesizer, this);
  }

  /** The model, computed at the first synth (undefined before). */
  get model(): AccessModel | undefined {
    return this.computed;
  }

  /** Before the stack is synthesized: an ARN output for every role without one. */
  prepare(): void {
    if (accessModelProblems(this.stack, this.props).length > 0) return;
    const arnOutputs = arnOutputsOf(this.stack, terraformText(this.stack));
    for (const role of stackAccess(this.stack).roles) {
      if (arnOutputs.has(roleAddress(role))) continue;
      const name = roleArnOutputName(role.nameInput as string);
      if (this.stack.node.tryFindChild(name) !== undefined) continue;
      new TerraformOutput(this.stack, name, { value: role.arn, description: `ARN of role ${role.nameInput}: set it as AWS_ROLE_ARN / AWS_OIDC_ROLE_ARN in the pipeline step` });
    }
  }

  /** After the stack is synthesized into `dir` without errors: computes the model (once) and writes it there. */
  write(dir: string): void {
    if (accessModelProblems(this.stack, this.props).length > 0) return;
    this.computed ??= accessModelOf(this.stack, this.props);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, ACCESS_MODEL_FILE), `${JSON.stringify(this.computed, null, 2)}\n`);
  }
}

/** The stack's synthesizer, then the access model beside its output. */
class AccessModelSynthesizer implements IStackSynthesizer {
  constructor(
    private readonly inner: IStackSynthesizer,
    private readonly accessModel: BitbucketOidcAccessModel,
  ) {}

  synthesize(session: ISynthesisSession): void {
    this.accessModel.prepare();
    this.inner.synthesize(session);
    const stack = TerraformStack.of(this.accessModel);
    const manifest = session.manifest.forStack(stack);
    // With error annotations (collected, not thrown, when synth continues on them) nothing is written.
    if (manifest.annotations.some((a) => a.level === "@cdktf/error")) return;
    this.accessModel.write(join(session.outdir, manifest.workingDirectory));
  }
}
