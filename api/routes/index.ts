import type { AuthConfig } from '../auth/tokens';
import type { RouteDef } from '../http/route';
import { approvalRoutes } from './approvals';
import { auditLogRoutes } from './audit-log';
import { botChatRoutes } from './bot-chat';
import { botGraphRoutes } from './bot-graph';
import { botConversationRoutes } from './bot-conversations';
import { botHandoffRoutes } from './bot-handoffs';
import { botKnowledgeRoutes } from './bot-knowledge';
import { botRoutes } from './bots';
import { botWidgetRoutes } from './bot-widget';
import { commissionActionRoutes } from './commission-actions';
import { commissionPlanRoutes } from './commission-plans';
import { commissionReadRoutes } from './commission-reads';
import { commissionSettingsRoutes } from './commission-settings';
import { contactRoutes } from './contacts';
import { eventRoutes } from './events';
import { executionRoutes } from './executions';
import { authLimiters, authRoutes } from './auth';
import { ghlOauthRoutes } from './ghl-oauth';
import { integrationRoutes } from './integrations';
import { invitationRoutes } from './invitations';
import { memberRoutes } from './members';
import { orgRoutes } from './orgs';
import { receiptRoutes } from './receipts';
import { receiptSettingsRoutes } from './receipt-settings';
import { dataRetentionRoutes } from './data-retention';
import { contactForgetRoutes } from './contact-forget';
import { teamImportRoutes } from './team-import';
import { teamMemberRoutes } from './team-members';
import { workflowRunRoutes } from './workflow-runs';
import { workflowTrashRoutes } from './workflow-trash';
import { workflowVersionRoutes } from './workflow-versions';
import { workflowRoutes } from './workflows';

/** The route table of /api/v1: each entry declares who may call it (see http/route.ts). */
export function apiRoutes(auth: AuthConfig): RouteDef[] {
  return [
    ...authRoutes(auth),
    ...orgRoutes,
    ...memberRoutes,
    ...invitationRoutes(auth, authLimiters(auth).perIp),
    ...teamMemberRoutes,
    ...auditLogRoutes,
    ...workflowRoutes,
    ...workflowTrashRoutes,
    ...workflowVersionRoutes,
    ...workflowRunRoutes,
    ...executionRoutes,
    ...approvalRoutes,
    ...eventRoutes,
    ...integrationRoutes,
    ...ghlOauthRoutes(auth),
    ...teamImportRoutes,
    ...contactRoutes,
    ...contactForgetRoutes,
    ...commissionSettingsRoutes,
    ...commissionPlanRoutes,
    ...commissionReadRoutes,
    ...commissionActionRoutes,
    ...botRoutes,
    ...botKnowledgeRoutes,
    ...botChatRoutes,
    ...botGraphRoutes,
    ...botConversationRoutes,
    ...botHandoffRoutes,
    ...botWidgetRoutes(auth),
    ...receiptRoutes,
    ...receiptSettingsRoutes,
    ...dataRetentionRoutes,
  ];
}
