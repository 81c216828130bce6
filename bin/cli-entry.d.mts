/** True when out/cli/main.js exists and no source it was built from changed (or vanished) since. */
export declare function bundleIsFresh(root: string): boolean;
