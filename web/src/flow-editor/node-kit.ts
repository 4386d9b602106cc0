/*
 * The node types a canvas works with: their catalog (palette, cards, forms) and their outputs.
 * The workflow builder uses the flow registry; the bot graph editor passes its own kit, so the
 * same canvas, palette, inspector and connection rules draw conversation nodes.
 */
import { createContext, useContext } from 'react';
import { handlesOf, nodeCatalog, type NodeCatalogEntry } from '../../../flows/registry';

export interface NodeKit {
  catalog: readonly NodeCatalogEntry[];
  /** Output handles of a node as being edited; undefined for an unknown type. */
  handlesOf: (type: string, config: unknown) => string[] | undefined;
  /** Said when a connection would close a cycle: how this kind of graph repeats steps instead. */
  cycleHint: string;
  /** What the node id is for, under the id field of the inspector. */
  idHint: (nodeId: string) => string;
}

export const FLOW_KIT: NodeKit = {
  catalog: nodeCatalog(),
  handlesOf,
  cycleHint: 'use a Loop node to repeat steps',
  idHint: (id) => `Expressions read this node's result as {{ nodes.${id}.output }}.`,
};

export function entryOf(kit: NodeKit, type: string | undefined): NodeCatalogEntry | undefined {
  return kit.catalog.find((t) => t.type === type);
}

export const NodeKitContext = createContext<NodeKit>(FLOW_KIT);

export const useNodeKit = () => useContext(NodeKitContext);
