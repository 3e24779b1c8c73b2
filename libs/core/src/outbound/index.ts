export * from './outbound-http';
export * from './outbound.module';
export { OutboundRequestError, type OutboundResponse } from './outbound-request';
export { classifyAddress, UnsafeUrlError, type UnsafeUrlReason } from './public-address';
