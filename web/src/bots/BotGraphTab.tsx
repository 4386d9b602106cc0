import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { getBotGraph } from '../api/bots';
import { ErrorAlert, Loading } from '../components/Notices';
import { NodeKitContext } from '../flow-editor/node-kit';
import '../flow-editor/editor.css';
import { useLoad } from '../use-load';
import { BOT_KIT } from './bot-kit';
import { BotGraphEditor } from './BotGraphEditor';

interface Props {
  orgId: string;
  botId: string;
  /** The bot's goal ids: goal checks and AI-agent exits must name one. */
  goalIds: readonly string[];
  canEdit: boolean;
}

/** The bot page's Graph tab: the workflow canvas drawing the bot's conversation nodes. */
export function BotGraphTab({ orgId, botId, goalIds, canEdit }: Props) {
  const loaded = useLoad((signal) => getBotGraph(orgId, botId, signal), [orgId, botId]);
  if (!loaded.data) return loaded.error ? <ErrorAlert message={loaded.error.message} /> : <Loading what="the graph" />;
  return (
    <ReactFlowProvider>
      <NodeKitContext value={BOT_KIT}>
        <BotGraphEditor orgId={orgId} botId={botId} goalIds={goalIds} canEdit={canEdit} graph={loaded.data} />
      </NodeKitContext>
    </ReactFlowProvider>
  );
}
