/**
 * Test support: DynamoDB on 127.0.0.1 (dynalite, in memory) for the S3 backend's `dynamodb_table`
 * locking. The lock table is created with one plain JSON request, as the DynamoDB API takes it.
 */
import { Server } from "node:http";
import { AddressInfo } from "node:net";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite");

/** A running local DynamoDB; call stop() when done. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Calls a DynamoDB API action, e.g. `("Scan", { TableName })`, and returns the parsed answer. */
  call(action: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Creates the table Terraform locks in: hash key `LockID` (string), on demand. */
  createLockTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts dynalite on a free port of 127.0.0.1. */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", () => resolve()).on("error", reject));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": `DynamoDB_20120810.${action}`,
        // dynalite wants a signature's shape, not a valid one.
        Authorization: "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        "X-Amz-Date": "20250101T000000Z",
      },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`DynamoDB ${action} failed: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  return {
    endpoint,
    call,
    createLockTable: async (name) => {
      await call("CreateTable", {
        TableName: name,
        AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      });
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
