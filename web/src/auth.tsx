import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, session, whenUnauthenticated, type Schema } from './api/client';

export type Me = Schema<'MeView'>;
export type Role = Me['roles'][number];

interface AuthState {
  me: Me | null;
  loading: boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => void;
  /** Reads the signed-in user again (after a password change, say). */
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/** Who is signed in in this tab: the token lives in sessionStorage, the user is read from /auth/me. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(() => session.token() !== null);

  const refresh = useCallback(async () => {
    if (!session.token()) {
      setMe(null);
      return;
    }
    try {
      setMe(await call(api.GET('/api/v1/auth/me')));
    } catch {
      session.clear();
      setMe(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    whenUnauthenticated(() => {
      session.clear();
      setMe(null);
    });
    void refresh();
  }, [refresh]);

  const value = useMemo<AuthState>(
    () => ({
      me,
      loading,
      refresh,
      async signIn(username, password) {
        const token = await call(api.POST('/api/v1/auth/login', { body: { username, password } }));
        session.set(token.accessToken);
        // Read here rather than by `refresh`, so a failure is said on the sign-in form instead of swallowed.
        try {
          setMe(await call(api.GET('/api/v1/auth/me')));
        } catch (e) {
          session.clear();
          throw e;
        }
      },
      signOut() {
        session.clear();
        setMe(null);
      },
    }),
    [me, loading, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

/** The signed-in user (inside the signed-in layout, where there always is one). */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a signed-in user');
  return me;
}

export function hasRole(me: Me, ...roles: Role[]): boolean {
  return me.roles.some((r) => roles.includes(r));
}
