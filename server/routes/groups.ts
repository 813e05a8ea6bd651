import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CreateDocumentBody, DocumentDetail, ErrorBody, Group, GroupSummary } from '../../shared/api.ts';
import type { CreateDocumentBody as CreateDocumentInput } from '../../shared/api.ts';
import { canManageDocuments } from '../../shared/roles.ts';
import { groupMembership } from '../auth/access.ts';
import { audit } from '../storage/audit.ts';
import { forbidden } from '../http/http-error.ts';
import { presentIn } from '../views/presence.ts';
import { describeDocument } from '../views/document-detail.ts';

export const groupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores, hub } = app;
  const { brackets } = app.services;
  const { threads } = stores;

  app.get('/groups', { schema: { tags: ['groups'], summary: 'Working groups the user belongs to', response: { 200: Type.Array(GroupSummary), 401: ErrorBody } } }, async (request) => {
    return stores.accounts.memberships(request.caller.user.id).map((m) => ({ slug: m.group.slug, name: m.group.name }));
  });

  app.get(
    '/groups/:slug',
    {
      schema: {
        tags: ['groups'],
        summary: "A working group: the user's role, its delegations and documents with who is editing now",
        params: Type.Object({ slug: Type.String() }),
        response: { 200: Group, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const membership = groupMembership(stores, request.caller.user, request.params.slug);
      const group = membership.group;
      const documents = stores.documents.list(group.id);
      const openThreads = threads.openCounts(
        documents.map((d) => d.id),
        {
          userId: request.caller.user.id,
          role: membership.role,
          delegationId: membership.delegation?.id ?? null,
          delegationName: membership.delegation?.name ?? null,
        },
      );
      return {
        slug: group.slug,
        name: group.name,
        role: membership.role,
        delegation: membership.delegation && { id: membership.delegation.id, name: membership.delegation.name, color: membership.delegation.color },
        delegations: stores.accounts.delegations(group.id).map(({ id, name, color }) => ({ id, name, color })),
        documents: documents.map((d) => ({
          id: d.id,
          symbol: d.symbol,
          title: d.title,
          type: d.type,
          status: d.status,
          updatedAt: d.updatedAt,
          present: presentIn(hub, d.id),
          brackets: brackets.of(d.id),
          openThreads: openThreads.get(d.id) ?? 0,
          source: d.source,
        })),
      };
    },
  );

  app.post(
    '/groups/:slug/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Create an empty document (chair and secretariat)',
        params: Type.Object({ slug: Type.String() }),
        body: CreateDocumentBody,
        response: { 201: DocumentDetail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = request.caller.user;
      const membership = groupMembership(stores, user, request.params.slug);
      if (!canManageDocuments(membership.role)) {
        throw forbidden(`only the chair and the secretariat create documents; you are ${membership.role} in ${membership.group.slug}`);
      }
      const document = stores.documents.create({ groupId: membership.group.id, createdBy: user.id, ...(request.body as CreateDocumentInput) });
      audit(stores.db, { userId: user.id, groupId: membership.group.id, action: 'document.create', detail: { id: document.id, symbol: document.symbol } });
      reply.code(201);
      return describeDocument(app, document, membership);
    },
  );
};
