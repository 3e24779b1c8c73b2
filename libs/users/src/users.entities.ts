import { AdminAuditEntry } from './admin/admin-audit-entry.entity';
import { UserToken } from './auth/user-token.entity';
import { Plan } from './plans/plan.entity';
import { QuotaUsage } from './quotas/quota-usage.entity';
import { RefreshToken } from './sessions/refresh-token.entity';
import { User } from './user.entity';

export const USERS_ENTITIES = [User, Plan, QuotaUsage, RefreshToken, UserToken, AdminAuditEntry];
