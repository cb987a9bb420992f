/**
 * The service's view of files: the text of open editors (sent by the extension
 * host as overlays, possibly unsaved) wins over the disk, and every text has a
 * version key so that nothing is parsed twice for the same content.
 */
import * as fs from 'node:fs';

/** Largest file read at all (a 46 MB iptables-save fits). */
export const MAX_BYTES = 256 * 1024 * 1024;

/** A text and the key of its version. */
export interface VersionedText {
  text: string;
  key: string;
}

/** Open-editor texts layered over the file system. */
export class Documents {
  private readonly overlays = new Map<string, { text: string; version: number }>();
  private counter = 0;

  /** Sets (or, with null, drops) the editor text of `path`. */
  set(path: string, text: string | null): void {
    if (text === null) this.overlays.delete(path);
    else {
      const prev = this.overlays.get(path);
      if (prev && prev.text === text) return;
      this.overlays.set(path, { text, version: ++this.counter });
    }
  }

  /** The version key of `path` without reading it. */
  key(path: string): string {
    const o = this.overlays.get(path);
    if (o) return `o${o.version}`;
    try {
      const st = fs.statSync(path);
      return `m${st.mtimeMs}:${st.size}`;
    } catch {
      return 'missing';
    }
  }

  /** The text of `path`, or why it cannot be read. */
  read(path: string): VersionedText | { error: string } {
    const o = this.overlays.get(path);
    if (o) return { text: o.text, key: `o${o.version}` };
    try {
      const st = fs.statSync(path);
      if (!st.isFile()) return { error: 'not a file' };
      if (st.size > MAX_BYTES) return { error: `larger than ${MAX_BYTES / 1024 / 1024} MB` };
      return { text: fs.readFileSync(path, 'utf8'), key: `m${st.mtimeMs}:${st.size}` };
    } catch {
      return { error: 'does not exist' };
    }
  }
}
