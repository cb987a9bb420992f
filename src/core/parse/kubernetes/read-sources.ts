/**
 * Kubernetes objects from files and folders: a folder means every `*.yaml`,
 * `*.yml` and `*.json` below it (a GitOps repository, kustomize or `helm
 * template` output), read in name order; symbolic links that leave the
 * workspace are not followed, and a file that holds no Kubernetes object
 * (a Helm values.yaml, a Chart.yaml) is skipped with an `info` issue.
 */
import type { Issue, Span } from '../../source';
import type { KubeObjects } from '../../model/kubernetes';
import type { FileReader } from '../../model/topology';
import { emptyKubeObjects, mergeKubeObjects, parseKubernetes } from './parse-kubernetes';

/** A source as named by the user, with where it was named (a topology's `{file: …}`), if anywhere. */
export interface KubeSourceRef {
  path: string;
  /** Where the reference is written, for issues about the path itself. */
  at?: { file: string; span: Span };
}

/** What reading the sources gave: the objects, every issue, and the files read. */
export interface KubeSources {
  objects: KubeObjects;
  issues: Issue[];
  files: string[];
}

/** Folders deeper than this are not entered; more files than this are not read. */
const MAX_DEPTH = 32;
const MAX_FILES = 20_000;

const MANIFEST = /\.(?:ya?ml|json)$/i;

function pathIssue(ref: KubeSourceRef, code: string, severity: Issue['severity'], message: string): Issue {
  const span = ref.at?.span ?? { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { code, severity, message, span, ...(ref.at ? { file: ref.at.file } : {}) };
}

/** Reads every source (file or folder) through `reader`. */
export function readKubernetesSources(reader: FileReader, refs: KubeSourceRef[]): KubeSources {
  const out: KubeSources = { objects: emptyKubeObjects(), issues: [], files: [] };
  const readFile = (ref: KubeSourceRef, path: string, text: string, inFolder: boolean): void => {
    out.files.push(path);
    if (inFolder && !/^\s*kind\s*:|"kind"\s*:/m.test(text)) {
      out.issues.push({ ...pathIssue(ref, 'kube-file-skipped', 'info', `${path} holds no Kubernetes object (no "kind"): skipped`), file: path, span: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } });
      return;
    }
    const r = parseKubernetes(text, path);
    mergeKubeObjects(out.objects, r.value);
    for (const i of r.issues) out.issues.push({ ...i, file: path });
  };
  const walk = (ref: KubeSourceRef, path: string, depth: number): void => {
    if (!reader.list) { out.issues.push(pathIssue(ref, 'kube-source-unreadable', 'error', `${path} is a folder, and folders cannot be read here`)); return; }
    const l = reader.list(path);
    if ('error' in l) { out.issues.push(pathIssue(ref, 'kube-source-unreadable', 'error', `${path}: ${l.error}`)); return; }
    for (const e of [...l.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = `${path.replace(/\/+$/, '')}/${e.name}`;
      if (e.outside) { out.issues.push(pathIssue(ref, 'kube-source-outside', 'warning', `${p} is a symbolic link leaving the workspace: not followed`)); continue; }
      if (e.dir) {
        if (e.name.startsWith('.')) continue;
        if (depth >= MAX_DEPTH) { out.issues.push(pathIssue(ref, 'kube-source-too-deep', 'warning', `${p} is more than ${MAX_DEPTH} folders deep: not read`)); continue; }
        walk(ref, p, depth + 1);
      } else if (MANIFEST.test(e.name)) {
        if (out.files.length >= MAX_FILES) { out.issues.push(pathIssue(ref, 'kube-source-too-many', 'warning', `more than ${MAX_FILES} files: ${p} and later ones not read`)); return; }
        const f = reader.read(p);
        if ('error' in f) out.issues.push(pathIssue(ref, 'kube-source-unreadable', 'error', `${p}: ${f.error}`));
        else readFile(ref, p, f.text, true);
      }
    }
  };
  for (const ref of refs) {
    const f = reader.read(ref.path);
    if ('text' in f) readFile(ref, ref.path, f.text, false);
    else if (f.error === 'is a directory') walk(ref, ref.path, 0);
    else out.issues.push(pathIssue(ref, 'kube-source-unreadable', 'error', `${ref.path}: ${f.error}`));
  }
  return out;
}
