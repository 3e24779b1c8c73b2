// Regenerates src/openapi.ts from the committed openapi.json (`npm run client:generate`).
// Binary bodies (`format: binary`: uploads, image bytes) become Blob rather than string, so an
// upload is typed as the Blob it is and needs no cast.
import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier('Blob'));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());

const document = new URL('../../openapi.json', import.meta.url);
const target = new URL('./src/openapi.ts', import.meta.url);
const ast = await openapiTS(JSON.parse(readFileSync(document, 'utf8')), {
  transform(schema) {
    if (schema.format !== 'binary') return undefined;
    return schema.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
  },
});
writeFileSync(target, astToString(ast));
