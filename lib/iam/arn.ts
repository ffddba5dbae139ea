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
