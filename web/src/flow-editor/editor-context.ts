import { createContext, useContext } from 'react';
import type { Problem } from '../../../flows/types';
import type { NodeRunStatus } from '../api/flows';

/** What the node cards show beside their config: validation problems and the last run's statuses. */
export interface CanvasOverlay {
  problems: ReadonlyMap<string, Problem[]>;
  statuses: Readonly<Record<string, NodeRunStatus>>;
}

export const CanvasOverlayContext = createContext<CanvasOverlay>({ problems: new Map(), statuses: {} });

export const useCanvasOverlay = () => useContext(CanvasOverlayContext);
