import type { Services } from '../services.ts';
import { takeVersion } from './versions.ts';

/**
 * Autosave points: every `intervalMs`, each document open in a room that changed since its last
 * point gets a new one, so nothing of a day's work is more than a few minutes from recoverable.
 */
export function startAutosave(services: Services, intervalMs: number, log: { warn(obj: object, msg: string): void }): () => void {
  const { stores, hub } = services;
  const savedAt = new Map<string, number>();
  const timer = setInterval(() => {
    for (const documentId of hub.loadedDocuments()) {
      const version = stores.log.lastUpdateId(documentId);
      if (savedAt.get(documentId) === version) continue;
      const document = stores.documents.get(documentId);
      if (!document) continue;
      try {
        if (savedAt.has(documentId)) takeVersion(services, document, 'Autosave', 'autosave', null);
        savedAt.set(documentId, version);
      } catch (error) {
        log.warn({ documentId, error: (error as Error).message }, 'autosave failed');
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
