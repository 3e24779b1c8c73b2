import { join } from 'node:path';
import { type LibSource, readLibSources, type TableOwner, tableOwners, tableWrites } from './table-writes';

/**
 * One owner per table: only the lib that declares a table's entity (`@Entity('table')`) writes
 * that table, through a repository, a query builder or raw SQL; other libs call the owner's
 * service. Ownership is read from the entity declarations, so a new table is covered the day it
 * is added. A write from elsewhere needs an entry below, with the reason it cannot go through the
 * owner.
 */
const ALLOWED_FOREIGN_WRITES: ReadonlyArray<{ path: string; table: string; reason: string }> = [];

const root = join(__dirname, '..', '..');
const sources = readLibSources(root);
const owners = tableOwners(sources);

describe('table ownership', () => {
  it('knows every table and its single owner', () => {
    expect(owners.length).toBeGreaterThan(20);
    const ownersOf = new Map<string, Set<string>>();
    for (const { table, lib } of owners) ownersOf.set(table, (ownersOf.get(table) ?? new Set()).add(lib));
    const shared = [...ownersOf].filter(([, libs]) => libs.size > 1).map(([table]) => table);
    expect(shared).toEqual([]);
    // Entity classes are matched by name: two with one name would make the guard guess.
    const names = owners.map((o) => o.entity);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('has no write to a table from outside the lib that owns it', () => {
    const ownerOf = new Map(owners.map((o) => [o.table, o.lib]));
    const foreign = sources
      .flatMap((source) => tableWrites(source, owners))
      .filter((w) => w.lib !== ownerOf.get(w.table))
      .filter((w) => !ALLOWED_FOREIGN_WRITES.some((a) => a.path === w.path && a.table === w.table))
      .map(
        (w) => `${w.path}:${w.line} ${w.lib} writes ${w.table} (owned by ${ownerOf.get(w.table)}): ${w.how}`,
      );
    expect(foreign).toEqual([]);
  });

  it('lists only exceptions that are still needed', () => {
    const stale = ALLOWED_FOREIGN_WRITES.filter(
      (allowed) =>
        !sources
          .filter((source) => source.path === allowed.path)
          .some((source) => tableWrites(source, owners).some((w) => w.table === allowed.table)),
    );
    expect(stale).toEqual([]);
  });
});

describe('the write finder', () => {
  const fixtureOwners: TableOwner[] = [
    { entity: 'Image', table: 'images', lib: 'images', path: 'libs/images/src/entities/image.entity.ts' },
    {
      entity: 'ImageTag',
      table: 'image_tags',
      lib: 'images',
      path: 'libs/images/src/entities/image-tag.entity.ts',
    },
  ];
  const writesIn = (text: string) =>
    tableWrites({ path: 'libs/moderation/src/example.ts', text } satisfies LibSource, fixtureOwners).map(
      (w) => `${w.table} ${w.how}`,
    );

  it.each([
    [
      'raw SQL UPDATE',
      'db.query(`UPDATE images SET moderation_state = $2 WHERE id = $1`)',
      'images raw SQL UPDATE images',
    ],
    [
      'raw SQL UPDATE with an alias',
      "db.query('UPDATE images AS i SET title = NULL')",
      'images raw SQL UPDATE images',
    ],
    [
      'raw SQL INSERT',
      "db.query('INSERT INTO image_tags (image_id, tag) VALUES ($1, $2)')",
      'image_tags raw SQL INSERT INTO',
    ],
    [
      'raw SQL DELETE',
      'db.query(`DELETE FROM image_tags WHERE image_id = ${id}`)',
      'image_tags raw SQL DELETE FROM',
    ],
    [
      'getRepository(X).update',
      'manager.getRepository(Image).update({ id }, { isPublic: false })',
      'images entity Image.update',
    ],
    [
      'an injected repository',
      'class S { constructor(@InjectRepository(Image) private readonly images: Repository<Image>) {} f() { return this.images.softDelete({ id }); } }',
      'images entity Image.softDelete',
    ],
    [
      'a Repository<X> field',
      'class S { private readonly tags: Repository<ImageTag>; f() { return this.tags.increment({}, "n", 1); } }',
      'image_tags entity ImageTag.increment',
    ],
    [
      'the entity manager',
      'manager.insert(ImageTag, [{ imageId, tag }])',
      'image_tags entity ImageTag.insert',
    ],
    [
      'save of a created entity',
      'manager.save(manager.create(Image, { title }))',
      'images entity Image.save',
    ],
    [
      'save of a variable holding a created entity',
      'const image = manager.create(Image, {}); manager.save(image);',
      'images entity Image.save',
    ],
    [
      'query builder update(X)',
      'manager.createQueryBuilder().update(Image).set({ title }).execute()',
      'images entity Image.update',
    ],
    [
      'query builder insert().into(X)',
      'manager.createQueryBuilder().insert().into(Image).values({}).execute()',
      'images entity Image.into',
    ],
    [
      'query builder delete().from(X)',
      'db.createQueryBuilder().delete().from(ImageTag).where("1=1").execute()',
      'image_tags entity ImageTag.from',
    ],
    [
      'a repository query builder',
      'const qb = repo.getRepository(Image).createQueryBuilder("i"); qb.update().set({}).execute();',
      'images entity Image.update',
    ],
  ])('finds %s', (_name, text, expected) => {
    expect(writesIn(text)).toEqual([expected]);
  });

  it.each([
    ['reads', 'manager.getRepository(Image).findOneBy({ id }); db.query("SELECT id FROM images")'],
    ['a select with from(X)', 'db.createQueryBuilder().select("i.id").from(Image, "i").getMany()'],
    ['other objects with write-like methods', 'this.storage.delete(key); set.delete(id)'],
    [
      'an upsert into an unknown table',
      "db.query('INSERT INTO job_stats AS s VALUES (1) ON CONFLICT DO UPDATE SET n = 1')",
    ],
    ['prose', "logger.warn('could not update images in time')"],
    ['a row lock', "db.query('SELECT 1 FROM images WHERE id = $1 FOR UPDATE')"],
  ])('ignores %s', (_name, text) => {
    expect(writesIn(text)).toEqual([]);
  });
});
