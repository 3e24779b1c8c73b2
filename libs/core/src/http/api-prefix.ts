/** Every REST route lives under this prefix (Swagger, health and the queue dashboard do not). */
export const API_PREFIX = 'api/v1';
