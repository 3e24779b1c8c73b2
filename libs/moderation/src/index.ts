export * from './moderation-driver';
export * from './moderation-drivers';
export * from './moderation.service';
export * from './moderation.module';
export * from './moderation.worker.module';
export * from './admin/moderation-audit.entity';
export * from './admin/moderation.http.module';
