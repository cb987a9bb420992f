/**
 * Label selectors as the API defines them (`metav1.LabelSelector`): every
 * matchLabels pair and every matchExpressions term must hold; a selector with
 * no terms selects everything.
 */
import type { LabelSelector } from '../model/kubernetes';

/** Does `sel` select an object with `labels`? */
export function selects(sel: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const k in sel.matchLabels) if (labels[k] !== sel.matchLabels[k]) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(labels[e.key])) return false; break;
      // NotIn also holds when the label is absent (apimachinery's labels.Selector)
      case 'NotIn': if (has && e.values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

/** Does the selector have no terms (select everything)? */
export function selectsAll(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}
