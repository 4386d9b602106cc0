import type { GhlTransport } from './http';
import { VERSION_2021_07_28 as V } from './http';
import * as s from './schemas';

export interface UserSearch {
  /** GHL requires the agency (company) id; it comes with the OAuth token or the connection's settings. */
  companyId: string;
  query?: string;
  skip?: number;
  limit?: number;
  role?: string;
  type?: string;
}

export function usersModule(http: GhlTransport, locationId: string) {
  return {
    search: async (q: UserSearch) => {
      const r = await http.request({
        method: 'GET',
        path: '/users/search',
        version: V,
        query: { companyId: q.companyId, locationId, query: q.query, skip: q.skip, limit: q.limit, role: q.role, type: q.type },
        schema: s.userSearchResult,
      });
      return { users: r.users, count: r.count };
    },
  };
}
