import { allowsWebIdentity, asList, Finding, GuardedRole, GuardrailRule } from "../rule";

/**
 * BBO-T003: only the workspace's Bitbucket OIDC provider may be the principal of a statement that
 * allows sts:AssumeRoleWithWebIdentity; any other principal (an account, `*`, another provider) is
 * an unintended way in.
 */
export const webIdentityPrincipal: GuardrailRule = {
  id: "BBO-T003",
  title: "sts:AssumeRoleWithWebIdentity for a principal other than the Bitbucket provider",
  check(role: GuardedRole): Finding[] {
    const findings: Finding[] = [];
    const fix = `allow only { "Federated": "arn:${role.partition ?? "aws"}:iam::<account>:oidc-provider/${role.issuers[0]}" } (the provider's ARN or a reference to it)`;
    role.trustStatements.forEach((statement, i) => {
      if (!allowsWebIdentity(statement)) return;
      if (statement.NotPrincipal !== undefined) {
        findings.push({ message: `trust statement ${i} allows web identities with NotPrincipal ${JSON.stringify(statement.NotPrincipal)}`, fix });
        return;
      }
      const principal = statement.Principal;
      const others: string[] = [];
      if (typeof principal === "string" || principal === undefined || principal === null || typeof principal !== "object") {
        others.push(JSON.stringify(principal ?? null));
      } else {
        for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) {
          for (const p of asList(value)) {
            if (kind !== "Federated" || !role.isBitbucketProvider(p)) others.push(`${kind}: ${JSON.stringify(p)}`);
          }
        }
      }
      if (others.length > 0) {
        findings.push({ message: `trust statement ${i} allows sts:AssumeRoleWithWebIdentity for ${others.join(", ")}`, fix });
      }
    });
    return findings;
  },
};
