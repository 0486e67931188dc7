/** What the extension host and the explainer webview post to each other. Types only. */
import type { ExplainResult, HazardReference } from '../server/protocol';

/** Host → webview: draw this finding. */
export interface ExplainMessage {
  type: 'explain';
  reference: HazardReference;
  result: ExplainResult;
}

/** Webview → host. */
export type ViewMessage =
  /** The script has loaded (again, after the panel was hidden): send the current finding. */
  | { type: 'ready' }
  /** Show this 0-based line of the finding's document in the editor. */
  | { type: 'reveal'; line: number }
  /** Open the rule's documentation page. */
  | { type: 'openDocumentation' };
