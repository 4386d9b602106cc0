import { useState } from 'react';
import type { NodeCatalogEntry } from '../../../flows/registry';
import type { NodeGroup } from '../../../flows/types';
import { useNodeKit } from './node-kit';

export const NODE_DRAG_TYPE = 'application/x-flowline-node';

const GROUPS: { group: NodeGroup; label: string }[] = [
  { group: 'triggers', label: 'Triggers' },
  { group: 'logic', label: 'Logic' },
  { group: 'data', label: 'Data' },
  { group: 'http', label: 'HTTP' },
  { group: 'waits', label: 'Waits' },
  { group: 'ai', label: 'AI' },
  { group: 'ghl', label: 'GoHighLevel' },
  { group: 'flow', label: 'Flow' },
  { group: 'bot', label: 'Conversation' },
];

/** Node types by group, generated from the node kit's catalog: drag one onto the canvas, or press Enter to add it. */
export function Palette({ onAdd, disabled }: { onAdd: (type: string) => void; disabled?: boolean }) {
  const { catalog } = useNodeKit();
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const matches = (t: NodeCatalogEntry) => !needle || `${t.label} ${t.type} ${t.description}`.toLowerCase().includes(needle);

  return (
    <aside className="palette" aria-label="Node palette">
      <input type="search" aria-label="Search nodes" placeholder="Search nodes" value={filter} onChange={(e) => setFilter(e.target.value)} />
      {GROUPS.map(({ group, label }) => {
        const types = catalog.filter((t) => t.group === group && matches(t));
        if (types.length === 0) return null;
        return (
          <section key={group} className="palette-group">
            <h3>{label}</h3>
            <ul>
              {types.map((t) => (
                <li key={t.type}>
                  <button
                    type="button"
                    className={`palette-item group-${t.group}`}
                    draggable={!disabled}
                    disabled={disabled}
                    title={t.description}
                    aria-label={t.label}
                    data-testid={`palette-${t.type}`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(NODE_DRAG_TYPE, t.type);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    onClick={() => onAdd(t.type)}
                  >
                    <span className="palette-item-label">{t.label}</span>
                    <span className="palette-item-desc">{t.description}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}
