/**
 * `kube-netsim matrix INPUT... [--by workload|pod] [--json] [--html OUT.html]`:
 * who may talk to whom under the NetworkPolicies of the input — Kubernetes
 * manifests (files and folders, as kubectl prints them or a repository keeps
 * them) or a topology's `kubernetes:` sources. Exit 0 when it ran; 2 for an
 * unusable invocation or input, with one `file:line:column` line on stderr.
 */
import { dirname, relative, resolve } from 'node:path';
import type { CliIO } from './io';
import { EXIT_OK, EXIT_USAGE, oneLine } from './io';
import { parseFlags } from './flags';
import { folderReader } from './read-topology';
import { type KubeSources, readKubernetesSources } from '../core/parse/kubernetes/read-sources';
import { emptyKubeObjects, mergeKubeObjects } from '../core/parse/kubernetes/parse-kubernetes';
import { matrixOf } from '../core/policy/matrix';
import { matrixJson, matrixText } from '../render/matrix-words';
import { renderMatrixHtml } from '../render/matrix-html';

const USAGE = 'usage: kube-netsim matrix INPUT... [--by workload|pod] [--json] [--html OUT.html]\n';

/** Runs `kube-netsim matrix`. */
export function cmdMatrix(args: string[], io: CliIO): number {
  const { flags, positional, error } = parseFlags(args, ['by', 'html']);
  const unknown = Object.keys(flags).find((k) => !['by', 'html', 'json'].includes(k));
  if (error || unknown || positional.length === 0) {
    io.stderr(`kube-netsim matrix: ${error ?? (unknown ? `unknown option --${unknown}` : 'give at least one INPUT (a file or folder of manifests, or a topology)')}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const by = flags.by ?? 'workload';
  if (by !== 'workload' && by !== 'pod') {
    io.stderr(`kube-netsim matrix: --by must be workload or pod, not '${String(by)}'\n${USAGE}`);
    return EXIT_USAGE;
  }
  const src: KubeSources = { objects: emptyKubeObjects(), issues: [], files: [] };
  for (const path of positional) {
    // the workspace of an input named on the command line: the current folder, or the input's own folder when outside it
    const abs = resolve(io.cwd, path);
    const cwd = resolve(io.cwd);
    const inside = !relative(cwd, abs).startsWith('..');
    const reader = folderReader(io, cwd, 'the current folder', { absolute: true, root: inside ? cwd : (io.listDir?.(abs) && !('error' in io.listDir(abs)) ? abs : dirname(abs)) });
    const one = readKubernetesSources(reader, [{ path }]);
    const unreadable = one.issues.find((i) => i.code === 'kube-source-unreadable' && i.file === undefined);
    if (unreadable) {
      io.stderr(`${path}:1:1: error: ${oneLine(unreadable.message)}\n`);
      return EXIT_USAGE;
    }
    mergeKubeObjects(src.objects, one.objects);
    src.issues.push(...one.issues);
    src.files.push(...one.files);
  }
  const m = matrixOf(src.objects, by);
  if (typeof flags.html === 'string') {
    const w = io.writeFile(resolve(io.cwd, flags.html), renderMatrixHtml(m, `Connectivity: ${positional.join(' ')}`));
    if (w.error) {
      io.stderr(`kube-netsim matrix: ${flags.html}: ${w.error}\n`);
      return EXIT_USAGE;
    }
  }
  io.stdout(flags.json ? `${JSON.stringify(matrixJson(m, src.issues), null, 2)}\n` : matrixText(m, src.issues));
  return EXIT_OK;
}
