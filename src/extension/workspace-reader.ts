/**
 * The FileReader a topology gets in the editor: `{file: …}` paths resolve against
 * the topology's folder, must stay inside its workspace folder (restricted mode
 * relies on this), and an open, possibly unsaved editor wins over the disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileReader } from '../core/parse/topology-model';
import { resolveInside } from './logic/contain-path';

/** Largest referenced file read at all (a 46 MB iptables-save fits). */
const MAX_BYTES = 256 * 1024 * 1024;

/** The workspace folder that bounds what a topology may read: its own folder when it is in no workspace folder. */
export function boundaryOf(topology: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(topology)?.uri.fsPath ?? path.dirname(topology.fsPath);
}

/** The text of an open document at `fsPath`, if one is open. */
export function openText(fsPath: string): string | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === fsPath);
  return doc?.getText();
}

/** A reader for `topology`; every path read (absolute) is reported to `onRead`. */
export function workspaceReader(topology: vscode.Uri, onRead: (abs: string, rel: string) => void): FileReader {
  const dir = path.dirname(topology.fsPath);
  const root = boundaryOf(topology);
  return {
    read(rel: string) {
      const r = resolveInside(root, dir, rel);
      if ('error' in r) return r;
      onRead(r.path, rel);
      const open = openText(r.path);
      if (open !== undefined) return { text: open };
      try {
        const st = fs.statSync(r.path);
        if (!st.isFile()) return { error: `${rel} is not a file` };
        if (st.size > MAX_BYTES) return { error: `${rel} is larger than ${MAX_BYTES / 1024 / 1024} MB` };
        return { text: fs.readFileSync(r.path, 'utf8') };
      } catch {
        return { error: `${rel} does not exist` };
      }
    },
  };
}
