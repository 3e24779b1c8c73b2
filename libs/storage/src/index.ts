export * from './storage-driver';
export * from './storage-keys';
export * from './storage-drivers';
export * from './storage.service';
export * from './storage.module';
export * from './storage.http.module';
export * from './content-disposition';
export { UrlSigner } from './url-signer';
export * from './send-stored-object';
