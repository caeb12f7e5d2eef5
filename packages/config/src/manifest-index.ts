export type { OptionalPeer } from './optional-peer.js';
export { optionalPeer } from './optional-peer.js';
export type { PackageManifest } from './package-manifest.js';
export { readPackageManifest } from './package-manifest.js';
