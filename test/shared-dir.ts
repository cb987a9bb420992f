/**
 * Where the shared reference material (corpus, seed, spec) lives: beside the
 * repository (`../shared`), as on every developer machine and in CI; override
 * with KUBE_NETSIM_SHARED.
 */
import { resolve } from 'node:path';

/** Absolute path of the shared folder. */
export const SHARED = process.env.KUBE_NETSIM_SHARED ?? resolve(__dirname, '../../shared');
