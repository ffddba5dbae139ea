/** DynamoDB locking (`dynamodbTable`) with the real terraform against s3rver and dynalite on 127.0.0.1. */
import { describeWithTerraform } from "../support/terraform";
import { lockingTests } from "./lock-scenario";

jest.setTimeout(240_000);

describeWithTerraform("remote state with a DynamoDB lock table", () => lockingTests("dynamodb"));
