import { describeWithMoto, startMoto } from "./moto";

describeWithMoto("moto_server test support", () => {
  it("starts on a free loopback port, answers STS, and stops by PID", async () => {
    const moto = await startMoto();
    try {
      expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${moto.endpoint}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          // moto routes a request to a service by the credential scope of its signature.
          authorization: "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0",
        },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      });
      expect(await res.text()).toContain("GetCallerIdentityResult");
    } finally {
      await moto.stop();
    }
    await expect(fetch(`${moto.endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
