import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthenticatedRequest, bearerToken, JwtAuthGuard } from '@atelier/core';

/**
 * JwtAuthGuard for Server-Sent Events: a browser's EventSource cannot send an Authorization
 * header, so the access token may also come as `?access_token=` (request logs redact it). The
 * header wins when both are present.
 */
@Injectable()
export class EventStreamAuthGuard extends JwtAuthGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const query = request.query as { access_token?: unknown } | undefined;
    const fromQuery = typeof query?.access_token === 'string' ? query.access_token : undefined;
    request.user = await this.verify(bearerToken(request.headers.authorization) ?? fromQuery);
    return true;
  }
}
