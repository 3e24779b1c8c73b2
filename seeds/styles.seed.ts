import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Style, StyleCategory, StyleExample } from '@atelier/styles';
import type { Seeder } from './run-seeds';
import { writeSeedRows } from './seed-rows';
import catalog from './styles.json';

type CategorySeed = Pick<StyleCategory, 'name' | 'slug' | 'icon' | 'color' | 'sortOrder'>;
type StyleSeed = Pick<
  Style,
  | 'name'
  | 'slug'
  | 'description'
  | 'promptTemplate'
  | 'defaultQuality'
  | 'defaultBackground'
  | 'defaultOutputFormat'
  | 'defaultSize'
  | 'supportsTransparency'
  | 'premium'
  | 'providerHints'
  | 'imageOperations'
> & { category: string; examples?: ExampleSeed[] };

/** A before/after pair shown with a style; `sortOrder` defaults to its place in the list. */
type ExampleSeed = Partial<Pick<StyleExample, 'beforeImageUrl' | 'afterImageUrl' | 'caption' | 'sortOrder'>>;

// The JSON's strings are checked by test/styles-seed.spec.ts, not by the compiler.
export const STYLE_CATALOG = catalog as unknown as { categories: CategorySeed[]; styles: StyleSeed[] };

/**
 * The starter catalogue by slug, with the examples of the styles written. Only seeded columns are
 * written, so usage counts and ratings always survive; an admin's edits to seeded text, `active`
 * switches and examples survive every start and are overwritten only by `npm run seed -- --reset`
 * (which replaces a seeded style's examples when the JSON lists some).
 */
export const stylesSeeder: Seeder = {
  name: 'styles',
  async run(dataSource: DataSource, _env, mode = 'missing'): Promise<number> {
    return dataSource.transaction(async (manager) => {
      const categories = await writeSeedRows(manager, StyleCategory, STYLE_CATALOG.categories, 'slug', mode);
      const categoryIds = await manager
        .getRepository(StyleCategory)
        .find({ select: { id: true, slug: true } });
      const categoryId = new Map(categoryIds.map((c) => [c.slug, c.id]));
      const rows = STYLE_CATALOG.styles.map(({ category, examples: _examples, ...style }) => {
        const id = categoryId.get(category);
        if (!id) throw new Error(`styles.json: style ${style.slug} names unknown category ${category}`);
        // TypeORM's deep-partial type cannot follow free-form JSON columns (providerHints).
        return { ...style, categoryId: id } as QueryDeepPartialEntity<Style>;
      });
      const styles = await writeSeedRows(manager, Style, rows, 'slug', mode);
      for (const { slug, examples } of STYLE_CATALOG.styles) {
        const styleId = styles.get(slug);
        if (styleId && examples?.length) await replaceExamples(manager, styleId, examples);
      }
      return categories.size + styles.size;
    });
  },
};

async function replaceExamples(
  manager: EntityManager,
  styleId: string,
  examples: ExampleSeed[],
): Promise<void> {
  const repository = manager.getRepository(StyleExample);
  await repository.delete({ styleId });
  await repository.insert(
    examples.map((example, index) => ({
      styleId,
      beforeImageUrl: example.beforeImageUrl ?? null,
      afterImageUrl: example.afterImageUrl ?? null,
      caption: example.caption ?? '',
      sortOrder: example.sortOrder ?? index * 10,
    })),
  );
}
