import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SerializedOkResponse, serializeResponsesFrom } from '@atelier/core';
import { GalleryRow, LibraryRow, toGalleryItem, toImageListItem } from './image-list-item.response';
import { GalleryPage, ImagePage } from './pages.response';

// Fastify writes these pages with fast-json-stringify compiled from the DTO's schema, which
// leaves out properties it does not name and coerces values to the type it names: each item
// must come out exactly as JSON.stringify would write it.

const row = {
  id: '6a8f1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  width: 512,
  height: 768,
  preview_key: 'users/u/images/i/thumbnail.webp',
  created_at: new Date('2026-12-02T10:11:12.345Z'),
};
const libraryRows: LibraryRow[] = [
  {
    ...row,
    title: 'Harbour "at night"',
    source: 'generated',
    status: 'validated',
    moderation_state: 'safe',
    is_public: true,
    folder_id: '0b7e1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  },
  {
    ...row,
    title: null,
    source: 'upload',
    status: 'generated',
    moderation_state: 'pending',
    is_public: false,
    folder_id: null,
  },
];
const galleryRows: GalleryRow[] = [
  { ...row, title: 'Harbour', favorites_count: 3, rating_avg: 4.333333 },
  { ...row, title: null, favorites_count: 0, rating_avg: 0 },
];
const url = 'http://127.0.0.1:3000/api/v1/files/users/u/images/i/thumbnail.webp?expires=1&sig=abc';
const pages = {
  library: { items: libraryRows.map((r) => toImageListItem(r, url)), nextCursor: 'eyJ2IjoxfQ' },
  gallery: { items: galleryRows.map((r) => toGalleryItem(r, url)), nextCursor: null },
};

@Controller()
class ListsController {
  @Get('library')
  @SerializedOkResponse(ImagePage)
  library() {
    return pages.library;
  }

  @Get('gallery')
  @SerializedOkResponse(GalleryPage)
  gallery() {
    return pages.gallery;
  }

  @Get('undeclared')
  @SerializedOkResponse(GalleryPage)
  undeclared() {
    return { items: [{ ...pages.gallery.items[0], prompt: 'not in GalleryItem' }], nextCursor: null };
  }
}

@Module({ controllers: [ListsController] })
class ListsModule {}

describe('list pages through their response schema', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(ListsModule, new FastifyAdapter(), {
      logger: false,
    });
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    serializeResponsesFrom(app.getHttpAdapter().getInstance(), document);
    await app.init();
  });
  afterAll(() => app.close());

  it.each(['library', 'gallery'] as const)(
    '%s items come out as JSON.stringify writes them',
    async (name) => {
      const res = await app.inject({ method: 'GET', url: `/${name}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(pages[name])));
    },
  );

  it('writes only what the document declares', async () => {
    const res = await app.inject({ method: 'GET', url: '/undeclared' });
    expect(res.json().items[0]).not.toHaveProperty('prompt');
    expect(res.json().items[0]).toEqual(JSON.parse(JSON.stringify(pages.gallery.items[0])));
  });
});
