"use strict";
/**
 * The CDK Terrain (cdktn) build of the package: what is renamed, and the versions it is tested with.
 * One place for scripts/build-cdktn.js, scripts/consumer-cache.js and test/consumer.
 */
module.exports = {
  /** Name of the second package, built from the same sources by scripts/build-cdktn.js. */
  packageName: "cdktn-bitbucket-oidc",
  /** Module specifiers rewritten in the compiled JavaScript and the declarations. */
  renames: { cdktf: "cdktn", "@cdktf/provider-aws": "@cdktn/provider-aws" },
  /** Peer ranges of the cdktn package (cdktn 0.24 requires constructs >=10.6.0 <10.8.0). */
  peerDependencies: { cdktn: ">=0.24.0 <0.25.0", "@cdktn/provider-aws": ">=25.7.0 <26.0.0", constructs: ">=10.6.0 <10.8.0" },
  /** The exact versions the consumer test installs (scripts/setup.sh puts them in the npm cache). */
  tested: { cdktn: "0.24.0", "@cdktn/provider-aws": "25.7.0", constructs: "10.7.2" },
};
