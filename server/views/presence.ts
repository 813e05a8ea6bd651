import type { Hub } from '../collab/hub.ts';
import type { PresentParticipant } from '../../shared/api.ts';

/** Who has a document open now, in the API's shape. */
export function presentIn(hub: Hub, documentId: string): PresentParticipant[] {
  return hub.presence(documentId).map(({ name, person, delegation, role, color }) => ({ name, person, delegation, role, color }));
}
