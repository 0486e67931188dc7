/** What the extension host and the explainer webview post to each other. Types only. */
import type { CodeContexts, ExplainResult, HazardReference } from '../server/protocol';

/** Host → webview: draw this finding. */
export interface ExplainMessage {
  type: 'explain';
  reference: HazardReference;
  result: ExplainResult;
}

/** Host → webview: draw where this code runs. */
export interface ContextsMessage {
  type: 'contexts';
  contexts: CodeContexts;
}

export type HostMessage = ExplainMessage | ContextsMessage;

/** Webview → host. */
export type ViewMessage =
  /** The script has loaded (again, after the panel was hidden): send the current finding or answer. */
  | { type: 'ready' }
  /** Show this 0-based line of a place the current answer names. */
  | { type: 'open'; uri: string; line: number }
  /** Show this 0-based line of the finding's document in the editor. */
  | { type: 'reveal'; line: number }
  /** Open the rule's documentation page. */
  | { type: 'openDocumentation' };
