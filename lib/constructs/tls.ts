/**
 * The tls provider's bindings, loaded only when thumbprints are computed at plan time
 * (`thumbprints: "tls"`). `@cdktf/provider-tls` is an optional peer: a project that never asks for
 * "tls" need not install it, and CDK Terrain (cdktn) has no npm build of it at all.
 */
import type { DataTlsCertificate } from "@cdktf/provider-tls/lib/data-tls-certificate";
import type { TlsProvider } from "@cdktf/provider-tls/lib/provider";

/** The two classes this package uses from `@cdktf/provider-tls`. */
export interface TlsBindings {
  readonly DataTlsCertificate: typeof DataTlsCertificate;
  readonly TlsProvider: typeof TlsProvider;
}

/** Loads the bindings; throws naming the package to install when it is missing. */
export function tlsBindings(): TlsBindings {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
      DataTlsCertificate: (require("@cdktf/provider-tls/lib/data-tls-certificate") as typeof import("@cdktf/provider-tls/lib/data-tls-certificate")).DataTlsCertificate,
      TlsProvider: (require("@cdktf/provider-tls/lib/provider") as typeof import("@cdktf/provider-tls/lib/provider")).TlsProvider,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (e) {
    throw new Error(
      `thumbprints: "tls" needs the optional peer dependency @cdktf/provider-tls (npm install @cdktf/provider-tls@^11), which could not be loaded (${(e as Error).message.split("\n")[0]}); or use thumbprints "none" (IAM checks Bitbucket's certificate itself) or a pinned list`,
    );
  }
}
