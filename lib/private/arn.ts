/** ARN shapes this project accepts in its inputs. */
export const IAM_POLICY_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:iam::(?:aws|\d{12}):policy\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,128}$/;
export const IAM_POLICY_ARN_EXPECTED = 'an IAM policy ARN, e.g. "arn:aws:iam::aws:policy/ReadOnlyAccess"';

export const OIDC_PROVIDER_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:oidc-provider\/.+$/;
export const OIDC_PROVIDER_ARN_EXPECTED =
  'an IAM OIDC provider ARN, e.g. "arn:aws:iam::123456789012:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc"';

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const ACCOUNT_ID_EXPECTED = 'a 12-digit AWS account id, quoted, e.g. "123456789012"';

export const THUMBPRINT_PATTERN = /^[0-9a-fA-F]{40}$/;
export const THUMBPRINT_EXPECTED = 'a SHA-1 thumbprint of 40 hex digits, e.g. "a031c46782e6e6c662c2c87c76da9aa62ccabd8e"';

/** S3 bucket names (general purpose buckets): 3-63 of a-z 0-9 . -, no IP form, no reserved prefixes/suffixes. */
export const S3_BUCKET_PATTERN = /^(?!xn--)(?!sthree-)(?!.*-s3alias$)(?!.*--ol-s3$)(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const S3_BUCKET_EXPECTED = 'an S3 bucket name: 3-63 characters of lower-case letters, digits, "." and "-", starting and ending with a letter or digit';
