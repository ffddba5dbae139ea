/** IAM policy documents as plain values, rendered to the compact JSON IAM stores. */

/** A condition block: operator -> condition key -> value(s), e.g. `{ StringEquals: { "aws:SourceVpc": "vpc-1" } }`. */
export type ConditionBlock = Record<string, Record<string, string | string[]>>;

/** One statement in IAM's own JSON shape. */
export interface IamStatement {
  /** Statement id. */
  Sid?: string;
  /** Allow or Deny. */
  Effect: "Allow" | "Deny";
  /** Who the statement applies to (trust policies only), e.g. `{ Federated: "<provider ARN>" }`. */
  Principal?: Record<string, string | string[]>;
  /** One action or a list, e.g. `"sts:AssumeRoleWithWebIdentity"`. */
  Action: string | string[];
  /** One resource ARN or a list (identity policies). */
  Resource?: string | string[];
  /** Every resource except these (identity policies), e.g. a Deny on objects outside one state key. */
  NotResource?: string | string[];
  /** Conditions: operator -> condition key -> value(s). */
  Condition?: ConditionBlock;
}

/** A policy document in IAM's own JSON shape. */
export interface IamPolicyDocument {
  /** The policy language version. */
  Version: "2012-10-17";
  /** The statements, in order. */
  Statement: IamStatement[];
}

/**
 * A permission statement as users write it (camelCase), in config files and in TypeScript.
 * @example { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::my-bucket/*"] }
 */
export interface PolicyStatementProps {
  /** Statement id, letters and digits only. @default none */
  readonly sid?: string;
  /** Allow or Deny. @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  /** IAM actions, e.g. `["ecr:PutImage"]`. */
  readonly actions: readonly string[];
  /** Resource ARNs, e.g. `["arn:aws:s3:::my-bucket/*"]`. */
  readonly resources: readonly string[];
  /** Conditions: operator -> key -> value(s). @default none @example { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Converts a user's statement to IAM's shape (single values stay scalar, as IAM prints them). */
export function toIamStatement(statement: PolicyStatementProps): IamStatement {
  const out: IamStatement = {
    Effect: statement.effect ?? "Allow",
    Action: scalarOrList(statement.actions),
    Resource: scalarOrList(statement.resources),
  };
  if (statement.sid) out.Sid = statement.sid;
  if (statement.conditions && Object.keys(statement.conditions).length > 0) {
    const condition: ConditionBlock = {};
    for (const [operator, keys] of Object.entries(statement.conditions)) {
      condition[operator] = {};
      for (const [key, value] of Object.entries(keys)) {
        condition[operator][key] = typeof value === "string" ? value : scalarOrList(value);
      }
    }
    out.Condition = condition;
  }
  return ordered(out);
}

/** Builds a document from statements. */
export function policyDocument(statements: readonly IamStatement[]): IamPolicyDocument {
  return { Version: "2012-10-17", Statement: [...statements] };
}

/** Renders a document as compact JSON, the form IAM stores and counts. */
export function renderPolicy(document: IamPolicyDocument): string {
  return JSON.stringify(document);
}

function scalarOrList(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values];
}

/** Keeps keys in IAM's customary order so that rendered JSON reads the way the console shows it. */
function ordered(statement: IamStatement): IamStatement {
  const { Sid, Effect, Principal, Action, Resource, NotResource, Condition } = statement;
  return JSON.parse(JSON.stringify({ Sid, Effect, Principal, Action, Resource, NotResource, Condition })) as IamStatement;
}
