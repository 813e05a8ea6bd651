import { Type } from 'typebox';
import type { Static } from 'typebox';
import { ROLES } from './roles.ts';
import { DOCUMENT_STATUSES, DOCUMENT_TYPES, SYMBOL_PATTERN } from './documents.ts';

/**
 * Request and response schemas of the HTTP API. The server validates with them and publishes them
 * as OpenAPI; the client imports only their types.
 */

export const ErrorBody = Type.Object({ error: Type.String(), message: Type.String(), statusCode: Type.Integer() });
export type ErrorBody = Static<typeof ErrorBody>;

export const Delegation = Type.Object({ id: Type.Integer(), name: Type.String(), color: Type.String() });
export type Delegation = Static<typeof Delegation>;

export const GroupSummary = Type.Object({ slug: Type.String(), name: Type.String() });

export const Membership = Type.Object({
  group: GroupSummary,
  role: Type.Enum(ROLES),
  delegation: Type.Union([Delegation, Type.Null()]),
});
export type Membership = Static<typeof Membership>;

export const Me = Type.Object({
  user: Type.Object({ id: Type.Integer(), username: Type.String(), displayName: Type.String() }),
  memberships: Type.Array(Membership),
});
export type Me = Static<typeof Me>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const PresentParticipant = Type.Object({
  name: Type.String(),
  person: Type.String(),
  delegation: Type.Union([Type.String(), Type.Null()]),
  role: Type.Enum(ROLES),
  color: Type.String(),
});
export type PresentParticipant = Static<typeof PresentParticipant>;

export const DocumentSummary = Type.Object({
  id: Type.String(),
  symbol: Type.String(),
  title: Type.String(),
  type: Type.Enum(DOCUMENT_TYPES),
  status: Type.Enum(DOCUMENT_STATUSES),
  updatedAt: Type.String(),
  present: Type.Array(PresentParticipant),
  /** Open questions (a bracket, or an alternatives group counted once), the alternatives groups and their options, and the share of the text still in brackets (null when the text cannot be read). */
  brackets: Type.Union([Type.Object({ open: Type.Integer(), alternatives: Type.Integer(), options: Type.Integer(), share: Type.Number() }), Type.Null()]),
  /** Open comment threads the user may see (public, and private to their delegation). */
  openThreads: Type.Integer(),
  /** The delegations the document comes from (a proposal's source). */
  source: Type.Array(Type.String()),
});
export type DocumentSummary = Static<typeof DocumentSummary>;

export const Group = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  role: Type.Enum(ROLES),
  delegation: Type.Union([Delegation, Type.Null()]),
  delegations: Type.Array(Delegation),
  documents: Type.Array(DocumentSummary),
});
export type Group = Static<typeof Group>;

export const DocumentDetail = Type.Object({
  id: Type.String(),
  symbol: Type.String(),
  title: Type.String(),
  type: Type.Enum(DOCUMENT_TYPES),
  status: Type.Enum(DOCUMENT_STATUSES),
  schemaVersion: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  group: GroupSummary,
  access: Type.Object({ role: Type.Enum(ROLES), canEdit: Type.Boolean(), canManage: Type.Boolean() }),
  present: Type.Array(PresentParticipant),
  /** The delegations the document comes from (a proposal's source). */
  source: Type.Array(Type.String()),
  /** Compiled from proposals: it has a compilation table (GET /api/documents/:id/compilation). */
  compiled: Type.Boolean(),
});
export type DocumentDetail = Static<typeof DocumentDetail>;

export const CreateDocumentBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300 }),
  symbol: Type.String({ pattern: SYMBOL_PATTERN, maxLength: 64 }),
  type: Type.Enum(DOCUMENT_TYPES),
});
export type CreateDocumentBody = Static<typeof CreateDocumentBody>;

export const UpdateDocumentBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    symbol: Type.Optional(Type.String({ pattern: SYMBOL_PATTERN, maxLength: 64 })),
    status: Type.Optional(Type.Enum(DOCUMENT_STATUSES)),
  },
  { minProperties: 1 },
);
export type UpdateDocumentBody = Static<typeof UpdateDocumentBody>;

export const Health = Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptimeSeconds: Type.Number() });

export const ImportProblem = Type.Object({ line: Type.Integer(), text: Type.String(), message: Type.String() });

export const ImportBody = Type.Object({
  symbol: Type.String({ pattern: SYMBOL_PATTERN, maxLength: 64 }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  type: Type.Optional(Type.Enum(DOCUMENT_TYPES)),
  /** The text as pasted (fixture layout). */
  text: Type.Optional(Type.String({ maxLength: 2_000_000 })),
  /** A .docx file, base64-encoded. */
  docx: Type.Optional(Type.String({ maxLength: 14_000_000 })),
  /** Start a proposal from this text as its base: every provision starts as NOC. */
  fromBase: Type.Optional(Type.Boolean()),
  baseReference: Type.Optional(Type.String({ maxLength: 300 })),
  /** The delegations a proposal comes from (its source), for compiling it with others. */
  source: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
});
export type ImportBody = Static<typeof ImportBody>;

export const ImportResponse = Type.Object({ document: DocumentDetail, problems: Type.Array(ImportProblem) });
export type ImportResponse = Static<typeof ImportResponse>;

/** A chair's decision (POST /api/documents/:id/decisions). */
export const DecisionBody = Type.Object({
  action: Type.Enum(['accept', 'reject', 'choose', 'status']),
  /** accept / reject: these brackets (a selection). */
  bracketIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 })),
  /** accept / reject in bulk: every open bracket of a delegation and/or a section. */
  scope: Type.Optional(
    Type.Object({
      delegation: Type.Optional(Type.String({ maxLength: 100 })),
      sectionId: Type.Optional(Type.String({ maxLength: 64 })),
    }),
  ),
  /** choose: the alternative option that stays. */
  optionId: Type.Optional(Type.String({ maxLength: 64 })),
  /** status: the provision and its new status. */
  provisionId: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.Enum(['open', 'agreed_ad_ref', 'agreed'])),
});
export type DecisionBody = Static<typeof DecisionBody>;

export const DecisionEntry = Type.Object({
  id: Type.Integer(),
  action: Type.Enum(['accept', 'reject', 'choose', 'status', 'undo']),
  summary: Type.String(),
  by: Type.String(),
  at: Type.String(),
  brackets: Type.Array(
    Type.Object({
      id: Type.String(),
      delegation: Type.String(),
      kind: Type.String(),
      text: Type.String(),
      provisionLabel: Type.Union([Type.String(), Type.Null()]),
      section: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  textBefore: Type.String(),
  textAfter: Type.String(),
  provisionId: Type.Union([Type.String(), Type.Null()]),
  undoes: Type.Union([Type.Integer(), Type.Null()]),
  undoneBy: Type.Union([Type.Integer(), Type.Null()]),
});
export type DecisionEntry = Static<typeof DecisionEntry>;

export const DecisionList = Type.Object({ decisions: Type.Array(DecisionEntry) });
export type DecisionList = Static<typeof DecisionList>;

/** A comment of a thread, as its reader may see it. */
export const CommentView = Type.Object({
  id: Type.Integer(),
  author: Type.String({ description: "the person's name" }),
  speaksFor: Type.String({ description: 'the delegation (or office) the author spoke for' }),
  body: Type.String({ description: 'plain text; empty when deleted' }),
  createdAt: Type.String(),
  editedAt: Type.Union([Type.String(), Type.Null()]),
  deleted: Type.Boolean(),
  mine: Type.Boolean(),
  mentions: Type.Array(Type.String(), { description: 'delegations mentioned ("@Brazil") in the comment' }),
});
export type CommentView = Static<typeof CommentView>;

export const ThreadView = Type.Object({
  id: Type.Integer(),
  visibility: Type.Enum(['public', 'private']),
  owner: Type.String({ description: 'the delegation or office that opened it' }),
  anchor: Type.Object({ start: Type.String(), end: Type.String() }, { description: 'Yjs relative positions, base64' }),
  quote: Type.String(),
  provisionId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  resolved: Type.Boolean(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  resolvedBy: Type.Union([Type.String(), Type.Null()]),
  mentionsMe: Type.Boolean(),
  mayResolve: Type.Boolean(),
  comments: Type.Array(CommentView),
});
export type ThreadView = Static<typeof ThreadView>;

export const ThreadList = Type.Object({ threads: Type.Array(ThreadView) });
export type ThreadList = Static<typeof ThreadList>;

export const NewThreadBody = Type.Object({
  visibility: Type.Enum(['public', 'private'], { description: 'public: the whole working group; private: your delegation (or office) only' }),
  anchor: Type.Object({
    start: Type.String({ maxLength: 512, description: 'Yjs relative position (base64) of the first selected character' }),
    end: Type.String({ maxLength: 512, description: 'Yjs relative position (base64) just after the last one' }),
  }),
  quote: Type.Optional(Type.String({ maxLength: 2000, description: 'ignored: the server quotes the anchored words from its own copy of the text' })),
  provisionId: Type.Optional(Type.String({ maxLength: 64, description: 'ignored: the server finds the provision holding the anchor' })),
  body: Type.String({ minLength: 1, maxLength: 4000, description: 'plain text; line breaks kept, links made clickable, "@Delegation" mentions' }),
});
export type NewThreadBody = Static<typeof NewThreadBody>;

export const CommentBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) });
export type CommentBody = Static<typeof CommentBody>;

export const VersionSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.Enum(['named', 'autosave']),
  by: Type.String(),
  at: Type.String(),
});
export type VersionSummary = Static<typeof VersionSummary>;
export const VersionList = Type.Object({ versions: Type.Array(VersionSummary) });
export type VersionList = Static<typeof VersionList>;
export const NewVersionBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

export const Comparison = Type.Object({
  from: Type.String(),
  to: Type.String(),
  entries: Type.Array(
    Type.Object({
      where: Type.String(),
      kind: Type.Enum(['changed', 'added', 'removed']),
      parts: Type.Array(Type.Object({ kind: Type.Enum(['same', 'inserted', 'deleted']), text: Type.String() })),
      proposedBy: Type.Array(Type.String()),
    }),
  ),
  /** Brackets of the older text gone from the newer one: their words kept (accepted, chosen) or gone (rejected, set aside, withdrawn). */
  brackets: Type.Array(
    Type.Object({
      where: Type.String(),
      delegation: Type.String(),
      kind: Type.String(),
      text: Type.String(),
      option: Type.Union([Type.String(), Type.Null()]),
      outcome: Type.Enum(['kept', 'gone']),
    }),
  ),
  /** Provisions whose status changed ("open" → "agreed"). */
  statuses: Type.Array(Type.Object({ where: Type.String(), from: Type.String(), to: Type.String() })),
  /** The chair's decisions taken between the two, oldest first, from the decision log. */
  decisions: Type.Array(Type.Object({ id: Type.Integer(), at: Type.String(), by: Type.String(), action: Type.String(), summary: Type.String() })),
});
export type Comparison = Static<typeof Comparison>;

/** A thread's anchor moved to where its words now are (after a provision was split). */
export const ThreadAnchorBody = Type.Object({ anchor: NewThreadBody.properties.anchor });
export type ThreadAnchorBody = Static<typeof ThreadAnchorBody>;

/** Compile a negotiation text from proposals (POST /api/groups/:slug/compilations). */
export const CompileBody = Type.Object({
  symbol: Type.String({ pattern: SYMBOL_PATTERN, maxLength: 64 }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  /** The text the proposals are made against (e.g. the resolution in force). */
  baseDocumentId: Type.String({ maxLength: 64 }),
  /** Each proposal document and the delegation of the group it comes from. */
  sources: Type.Array(Type.Object({ documentId: Type.String({ maxLength: 64 }), delegation: Type.String({ minLength: 1, maxLength: 100 }) }), { maxItems: 40 }),
});
export type CompileBody = Static<typeof CompileBody>;
