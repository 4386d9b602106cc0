import { fail, invalid } from '../errors';
import { queryInt, queryString, V_2021_07_28, type RouteDef } from '../context';

export const userRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/users/search',
    version: V_2021_07_28,
    handler(req, ctx) {
      const companyId = queryString(req, 'companyId');
      if (!companyId) throw invalid('companyId should not be empty', 'companyId must be a string');
      if (companyId !== ctx.companyId) throw fail(403, 'The token does not have access to this company.');
      const locationId = queryString(req, 'locationId');
      if (locationId && locationId !== ctx.locationId) throw fail(403, 'The token does not have access to this location.');
      const skip = queryInt(req, 'skip', 0, 1_000_000) ?? 0;
      const limit = queryInt(req, 'limit', 1, 100) ?? 25;
      const q = queryString(req, 'query')?.toLowerCase();
      const role = queryString(req, 'role');
      const type = queryString(req, 'type');
      const all = [...ctx.state.users.values()]
        .filter((u) => !u.deleted && u.roles.locationIds.includes(ctx.locationId))
        .filter((u) => !q || [u.name, u.email, u.phone].some((v) => v.toLowerCase().includes(q)))
        .filter((u) => (!role || u.roles.role === role) && (!type || u.roles.type === type))
        .sort((a, b) => a.name.localeCompare(b.name));
      const users = all.slice(skip, skip + limit).map(({ companyId: _c, ...u }) => ({ ...u, permissions: {}, scopes: '', lcPhone: {} }));
      return { users, count: all.length };
    },
  },
];
