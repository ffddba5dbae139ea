/**
 * `use_lockfile` and a DynamoDB table at once, Terraform's migration path from DynamoDB locking, with
 * the real terraform against s3rver (conditional writes) and dynalite on 127.0.0.1.
 */
import { describeWithTerraform } from "../support/terraform";
import { lockingTests } from "./lock-scenario";

jest.setTimeout(240_000);

describeWithTerraform("remote state with both use_lockfile and a DynamoDB lock table", () => lockingTests("both"));
