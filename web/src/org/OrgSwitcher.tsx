import type { Membership } from '../api/types';
import { may } from '../permissions';
import { navigate } from '../router';
import { SECTIONS } from './sections';

/** Switches to the same page in another organization (its settings if that page is not theirs to see). */
export function OrgSwitcher({ memberships, current, section }: { memberships: Membership[]; current: Membership; section: string }) {
  const switchTo = (orgId: string) => {
    const target = memberships.find((m) => m.organizationId === orgId);
    const page = SECTIONS.find((s) => s.path === section);
    const keep = target && page && may(target, page.needs[0], page.needs[1]);
    navigate(`/orgs/${orgId}/${keep ? section : 'settings'}`);
  };
  return (
    <select className="org-switcher" aria-label="Organization" value={current.organizationId} onChange={(e) => switchTo(e.target.value)}>
      {memberships.map((m) => (
        <option key={m.organizationId} value={m.organizationId}>
          {m.organizationName}
        </option>
      ))}
    </select>
  );
}
