import { createContext, useContext } from 'react';

import type { ApiClient } from '../api/client.js';
import type { Session } from '../api/types.js';

export interface StudioContext {
  api: ApiClient;
  session: Session;
  /** True when the user may change integrations (`integrations.write`). */
  canWrite: boolean;
  /** True when the user may connect integrations (`integrations.connect`). */
  canConnect: boolean;
  signOut(): void;
}

export const SessionContext = createContext<StudioContext | null>(null);

export function useStudio(): StudioContext {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useStudio must be called inside a signed-in page.');
  return value;
}

/** Reads the permission list of a session; a `user` role never writes, whatever it lists. */
export function permissionsOf(session: Session): { canWrite: boolean; canConnect: boolean } {
  const readOnlyRole = session.user.role === 'user';
  return {
    canWrite: !readOnlyRole && session.permissions.includes('integrations.write'),
    canConnect: !readOnlyRole && session.permissions.includes('integrations.connect'),
  };
}
