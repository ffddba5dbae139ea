import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import type { DataTlsCertificate } from "@cdktf/provider-tls/lib/data-tls-certificate";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { issuerHostPath, issuerUrl, providerArn } from "../bitbucket/bitbucket";
import { checkAdoption, checkProvider, ThumbprintSource } from "./provider-rules";
import { ProblemList, throwIfProblems } from "../core/problems";
import { tlsBindings } from "./tls";

/**
 * What roles need to know of a workspace's identity provider, whether this stack creates it or it
 * already exists.
 */
export interface IBitbucketOidcProvider {
  /** The provider's ARN (a Terraform reference when the provider is created here). */
  readonly arn: string;
  /** The workspace slug, e.g. `acme`. */
  readonly workspaceSlug: string;
  /** The issuer URL, `https://api.bitbucket.org/2.0/workspaces/<slug>/pipelines-config/identity/oidc`. */
  readonly issuerUrl: string;
  /** The issuer without `https://`: the prefix of the IAM condition keys `<prefix>:aud` and `<prefix>:sub`. */
  readonly conditionKeyPrefix: string;
  /** The audiences (client ids) the provider accepts. */
  readonly audiences: readonly string[];
}

/**
 * Props of {@link BitbucketOidcProvider}.
 * @example { workspaceSlug: "acme", workspaceUuid: "{0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40}" }
 */
export interface BitbucketOidcProviderProps {
  /**
   * The workspace slug, as in `bitbucket.org/<slug>/`.
   * @example "acme"
   */
  readonly workspaceSlug: string;
  /**
   * The workspace UUID (Repository settings -> Pipelines -> OpenID Connect), braces optional. It makes
   * the default audience `ari:cloud:bitbucket::workspace/<uuid without braces>`.
   * @default required unless `audiences` is given
   * @example "{0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40}"
   */
  readonly workspaceUuid?: string;
  /**
   * Custom audiences, when steps request them with `oidc: audiences: [...]`.
   * @default the workspace's default audience
   * @example ["sts.amazonaws.com"]
   */
  readonly audiences?: readonly string[];
  /**
   * TLS thumbprints: `"none"` lets IAM verify the issuer through its trusted root CAs; `"tls"` computes
   * them at plan time with the tls provider's `tls_certificate` data source (the stack must configure
   * the tls provider); a list pins them.
   * @default "none"
   * @example ["a031c46782e6e6c662c2c87c76da9aa62ccabd8e"]
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html
   */
  readonly thumbprints?: ThumbprintSource;
  /**
   * Guards the provider with Terraform's `prevent_destroy`: destroying it breaks every pipeline of the
   * workspace at once.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /** Tags on the provider. @default none @example { team: "platform" } */
  readonly tags?: Readonly<Record<string, string>>;
  /** The AWS provider to create it with, e.g. an aliased one. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /**
   * Adopts the workspace's provider that exists already (made by hand in the IAM console): the
   * synthesized JSON gets a Terraform `import` block (Terraform >= 1.5) for it, so the next plan shows
   * it as "will be imported" and any difference from these props as an update, instead of creating a
   * second provider (IAM allows one per issuer URL and would answer `EntityAlreadyExists`). Remove the
   * flag once the import has been applied. To use the existing provider without managing it, use
   * {@link BitbucketOidcProvider.fromArn} instead.
   * @default false: the provider is created
   * @example true
   */
  readonly adopt?: boolean;
  /**
   * ARN of the existing provider to adopt (the import id). Only with `adopt: true`.
   * @default built from `accountId`, else from the AWS provider's caller identity (a data source
   * Terraform reads at plan time, which an import id may reference from Terraform 1.6 on)
   * @example "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc"
   */
  readonly existingArn?: string;
  /**
   * Account of the existing provider to adopt, to build its ARN. Only with `adopt: true` and without
   * `existingArn`.
   * @default the AWS provider's caller identity
   * @example "123456789012"
   */
  readonly accountId?: string;
  /**
   * Partition of the existing provider to adopt (`aws`, `aws-cn`, `aws-us-gov`), to build its ARN.
   * Only with `adopt: true` and without `existingArn`.
   * @default the AWS provider's partition, read at plan time (`data "aws_partition"`)
   * @example "aws-us-gov"
   */
  readonly partition?: string;
}

/**
 * Attributes of a provider that already exists, for {@link BitbucketOidcProvider.fromArn}.
 * @example { arn: "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", workspaceSlug: "acme", workspaceUuid: "{0f3c...}" }
 */
export interface BitbucketOidcProviderAttributes {
  /** The existing provider's ARN. */
  readonly arn: string;
  /** The workspace slug the provider trusts. */
  readonly workspaceSlug: string;
  /** The workspace UUID, for the default audience. @default required unless `audiences` is given */
  readonly workspaceUuid?: string;
  /** The audiences registered on the existing provider. @default the workspace's default audience */
  readonly audiences?: readonly string[];
}

/**
 * The IAM OIDC identity provider for one Bitbucket workspace (`aws_iam_openid_connect_provider`).
 * One per workspace and account: IAM allows only one provider per issuer URL.
 */
export class BitbucketOidcProvider extends IamOpenidConnectProvider implements IBitbucketOidcProvider {
  /** Stands for a provider that already exists (made by hand or elsewhere), without creating one. */
  static fromArn(attributes: BitbucketOidcProviderAttributes): IBitbucketOidcProvider {
    const list = new ProblemList();
    const audiences = checkProvider({ ...attributes, existingArn: attributes.arn }, "", list);
    throwIfProblems("BitbucketOidcProvider.fromArn", list);
    return new ExistingBitbucketOidcProvider(attributes.arn, attributes.workspaceSlug, audiences);
  }

  /** The workspace slug, e.g. `acme`. */
  readonly workspaceSlug: string;
  /** The issuer URL, `https://api.bitbucket.org/2.0/workspaces/<slug>/pipelines-config/identity/oidc`. */
  readonly issuerUrl: string;
  /** The issuer without `https://`: the prefix of the IAM condition keys `<prefix>:aud` and `<prefix>:sub`. */
  readonly conditionKeyPrefix: string;
  /** The audiences (client ids) the provider accepts. */
  readonly audiences: readonly string[];
  /** The `tls_certificate` data source, when thumbprints are computed at plan time. */
  readonly issuerCertificate?: DataTlsCertificate;

  constructor(scope: Construct, id: string, props: BitbucketOidcProviderProps) {
    // 1. validate
    const list = new ProblemList();
    const audiences = checkProvider(props, "", list);
    checkAdoption(props, "", list);
    throwIfProblems(`BitbucketOidcProvider "${id}"`, list);

    // 2. prepare values
    const url = issuerUrl(props.workspaceSlug);
    const thumbprints = props.thumbprints ?? "none";

    // 3. build
    super(scope, id, {
      url,
      clientIdList: [...audiences],
      thumbprintList: Array.isArray(thumbprints) ? thumbprints.map((t) => t.toLowerCase()) : undefined,
      tags: props.tags ? { ...props.tags } : undefined,
      provider: props.provider,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.workspaceSlug = props.workspaceSlug;
    this.issuerUrl = url;
    this.conditionKeyPrefix = issuerHostPath(props.workspaceSlug);
    this.audiences = audiences;
    if (thumbprints === "tls") {
      this.issuerCertificate = new (tlsBindings().DataTlsCertificate)(this, "issuer-certificate", { url });
      this.thumbprintList = [this.issuerCertificate.certificates.get(0).sha1Fingerprint];
    }
    if (props.adopt === true) this.importFrom(props.existingArn ?? this.existingProviderArn(props));
  }

  private arnReference?: string;
  /**
   * The provider's ARN as a Terraform reference (`${aws_iam_openid_connect_provider.<id>.arn}`); the
   * same token at each read (every role's trust policy and checks read it: the generated getter makes,
   * and traces, a new token each time).
   */
  override get arn(): string {
    return (this.arnReference ??= super.arn);
  }

  /** The adopted provider's ARN: from `accountId` and `partition`, else from the caller identity and partition read at plan time. */
  private existingProviderArn(props: BitbucketOidcProviderProps): string {
    const partition = props.partition ?? new DataAwsPartition(this, "existing-partition", { provider: props.provider }).partition;
    if (props.accountId) return providerArn(props.accountId, props.workspaceSlug, partition);
    const caller = new DataAwsCallerIdentity(this, "existing-account", { provider: props.provider });
    return `arn:${partition}:iam::${caller.accountId}:oidc-provider/${this.conditionKeyPrefix}`;
  }
}

/** A provider that exists already: known by its ARN, created elsewhere. */
class ExistingBitbucketOidcProvider implements IBitbucketOidcProvider {
  readonly issuerUrl: string;
  readonly conditionKeyPrefix: string;

  constructor(
    readonly arn: string,
    readonly workspaceSlug: string,
    readonly audiences: readonly string[],
  ) {
    this.issuerUrl = issuerUrl(workspaceSlug);
    this.conditionKeyPrefix = issuerHostPath(workspaceSlug);
  }
}
