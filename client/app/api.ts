import type {
  CompileBody,
  Comparison,
  CreateDocumentBody,
  DecisionBody,
  DecisionEntry,
  DecisionList,
  DocumentDetail,
  Group,
  ImportBody,
  ImportResponse,
  Me,
  NewThreadBody,
  ThreadAnchorBody,
  ThreadList,
  ThreadView,
  VersionList,
  VersionSummary,
} from '../../shared/api.ts';
import type { CompilationTable } from '../../shared/compile/compile.ts';

/**
 * The HTTP API as the browser uses it. Every failure becomes an `ApiError` whose message is the
 * server's own sentence (or ours, when the server cannot be reached), ready to show to the user.
 */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never reached the server. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The Concord server cannot be reached. Check your network connection and try again.');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, errorMessage(response, payload));
  return payload as T;
}

function errorMessage(response: Response, payload: unknown): string {
  if (payload && typeof payload === 'object' && 'message' in payload && typeof payload.message === 'string' && payload.message) {
    return payload.message;
  }
  if (response.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (response.status >= 500) return `The server had a problem (${response.status}). Try again in a moment.`;
  return `${response.status} ${response.statusText}`.trim();
}

export const api = {
  me: () => request<Me>('GET', '/me'),
  login: (username: string, password: string) => request<Me>('POST', '/auth/login', { username, password }),
  // Fastify rejects a JSON content-type with an empty body, hence the `{}`.
  logout: () => request<{ ok: boolean }>('POST', '/auth/logout', {}),
  group: (slug: string) => request<Group>('GET', `/groups/${encodeURIComponent(slug)}`),
  document: (id: string) => request<DocumentDetail>('GET', `/documents/${encodeURIComponent(id)}`),
  createDocument: (slug: string, body: CreateDocumentBody) => request<DocumentDetail>('POST', `/groups/${encodeURIComponent(slug)}/documents`, body),
  decisions: (id: string) => request<DecisionList>('GET', `/documents/${encodeURIComponent(id)}/decisions`),
  decide: (id: string, body: DecisionBody) => request<DecisionEntry>('POST', `/documents/${encodeURIComponent(id)}/decisions`, body),
  undoDecision: (id: string, decisionId: number) => request<DecisionEntry>('POST', `/documents/${encodeURIComponent(id)}/decisions/${decisionId}/undo`, {}),
  threads: (id: string) => request<ThreadList>('GET', `/documents/${encodeURIComponent(id)}/threads`),
  openThread: (id: string, body: NewThreadBody) => request<ThreadView>('POST', `/documents/${encodeURIComponent(id)}/threads`, body),
  reply: (threadId: number, body: string) => request<ThreadView>('POST', `/threads/${threadId}/comments`, { body }),
  editComment: (commentId: number, body: string) => request<ThreadView>('PATCH', `/comments/${commentId}`, { body }),
  deleteComment: (commentId: number) => request<ThreadView>('DELETE', `/comments/${commentId}`),
  setResolved: (threadId: number, resolved: boolean) => request<ThreadView>('POST', `/threads/${threadId}/${resolved ? 'resolve' : 'reopen'}`, {}),
  reattachThread: (threadId: number, body: ThreadAnchorBody) => request<ThreadView>('POST', `/threads/${threadId}/anchor`, body),
  versions: (id: string) => request<VersionList>('GET', `/documents/${encodeURIComponent(id)}/versions`),
  takeVersion: (id: string, name: string) => request<VersionSummary>('POST', `/documents/${encodeURIComponent(id)}/versions`, { name }),
  restoreVersion: (id: string, versionId: number) => request<VersionSummary>('POST', `/documents/${encodeURIComponent(id)}/versions/${versionId}/restore`, {}),
  compare: (id: string, from: string, to: string) => request<Comparison>('GET', `/documents/${encodeURIComponent(id)}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
  importDocument: (slug: string, body: ImportBody) => request<ImportResponse>('POST', `/groups/${encodeURIComponent(slug)}/documents/import`, body),
  compile: (slug: string, body: CompileBody) => request<{ document: DocumentDetail }>('POST', `/groups/${encodeURIComponent(slug)}/compilations`, body),
  compilation: (id: string) => request<{ table: CompilationTable }>('GET', `/documents/${encodeURIComponent(id)}/compilation`),
};
