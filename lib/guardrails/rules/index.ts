import { GuardrailRule } from "../rule";
import { unknownAction } from "./bbo-p001-unknown-action";
import { wildcardAdmin } from "./bbo-p002-wildcard-admin";
import { accountWideManagedPolicy } from "./bbo-p003-account-wide-managed-policy";
import { policySize } from "./bbo-q001-policy-size";
import { managedPolicyCount } from "./bbo-q002-managed-policy-count";
import { audienceCheck } from "./bbo-t001-audience-check";
import { anchoredSubject } from "./bbo-t002-anchored-subject";
import { webIdentityPrincipal } from "./bbo-t003-web-identity-principal";

/** Every guardrail, in the order findings are reported. */
export const RULES: readonly GuardrailRule[] = [audienceCheck, anchoredSubject, webIdentityPrincipal, unknownAction, wildcardAdmin, accountWideManagedPolicy, policySize, managedPolicyCount];

/** The ids acknowledgements may name. */
export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
