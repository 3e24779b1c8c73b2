import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isForeignKeyViolation, isUniqueViolation, ProblemException } from '@atelier/core';
import type { CreateStyleCategoryDto, UpdateStyleCategoryDto } from './dto/style-category.dto';
import { slugify } from './dto/style-category.dto';
import type { CreateStyleExampleDto, UpdateStyleExampleDto } from './dto/style-example.dto';
import type { CreateStyleDto, UpdateStyleDto } from './dto/style.dto';
import { StyleCategory } from './entities/style-category.entity';
import { StyleExample } from './entities/style-example.entity';
import { Style } from './entities/style.entity';
import { templateProblem } from './style-template';
import { categoryNotFound, exampleNotFound, StyleErrorCode, styleNotFound } from './styles.errors';

/** Catalogue writes for administrators: categories, styles and examples. */
@Injectable()
export class StyleAdminService {
  constructor(
    @InjectRepository(Style) private readonly styles: Repository<Style>,
    @InjectRepository(StyleCategory) private readonly categories: Repository<StyleCategory>,
    @InjectRepository(StyleExample) private readonly examples: Repository<StyleExample>,
  ) {}

  async createCategory(input: CreateStyleCategoryDto): Promise<StyleCategory> {
    const category = this.categories.create({ ...input, slug: input.slug ?? requiredSlug(input.name) });
    return this.saveUnique(() => this.categories.save(category), StyleErrorCode.CategorySlugTaken);
  }

  async updateCategory(id: string, input: UpdateStyleCategoryDto): Promise<StyleCategory> {
    const category = await this.categories.findOneBy({ id });
    if (!category) throw categoryNotFound();
    return this.saveUnique(
      () => this.categories.save(this.categories.merge(category, input)),
      StyleErrorCode.CategorySlugTaken,
    );
  }

  async deleteCategory(id: string): Promise<void> {
    try {
      const { affected } = await this.categories.delete({ id });
      if (!affected) throw categoryNotFound();
    } catch (err) {
      if (!isForeignKeyViolation(err)) throw err;
      throw ProblemException.conflict(
        StyleErrorCode.CategoryNotEmpty,
        'This category still has styles: move or delete them first.',
      );
    }
  }

  async createStyle(input: CreateStyleDto): Promise<Style> {
    assertTemplate(input.promptTemplate);
    await this.assertCategory(input.categoryId);
    const style = this.styles.create({ ...input, slug: input.slug ?? requiredSlug(input.name) });
    const saved = await this.saveUnique(() => this.styles.save(style), StyleErrorCode.SlugTaken);
    return this.withCategory(saved.id);
  }

  async updateStyle(id: string, input: UpdateStyleDto): Promise<Style> {
    const style = await this.styles.findOneBy({ id });
    if (!style) throw styleNotFound();
    if (input.promptTemplate !== undefined) assertTemplate(input.promptTemplate);
    if (input.categoryId !== undefined) await this.assertCategory(input.categoryId);
    // The loaded relation would win over a changed categoryId on save; write the column alone.
    delete style.category;
    await this.saveUnique(() => this.styles.save(this.styles.merge(style, input)), StyleErrorCode.SlugTaken);
    return this.withCategory(id);
  }

  /**
   * Deletes a style nothing else points at. Jobs and images keep their style reference, so a
   * style that was used answers 409: deactivate it instead (`PATCH {active: false}`).
   */
  async deleteStyle(id: string): Promise<void> {
    try {
      const { affected } = await this.styles.delete({ id });
      if (!affected) throw styleNotFound();
    } catch (err) {
      if (!isForeignKeyViolation(err)) throw err;
      throw ProblemException.conflict(
        StyleErrorCode.InUse,
        'This style is referenced by jobs or images; deactivate it with PATCH {"active": false} instead.',
      );
    }
  }

  async createExample(styleId: string, input: CreateStyleExampleDto): Promise<StyleExample> {
    if (!(await this.styles.existsBy({ id: styleId }))) throw styleNotFound();
    assertExampleImages(input);
    return this.examples.save(this.examples.create({ ...input, styleId }));
  }

  async updateExample(
    styleId: string,
    exampleId: string,
    input: UpdateStyleExampleDto,
  ): Promise<StyleExample> {
    const example = await this.examples.findOneBy({ id: exampleId, styleId });
    if (!example) throw exampleNotFound();
    const merged = this.examples.merge(example, input);
    assertExampleImages(merged);
    return this.examples.save(merged);
  }

  async deleteExample(styleId: string, exampleId: string): Promise<void> {
    const { affected } = await this.examples.delete({ id: exampleId, styleId });
    if (!affected) throw exampleNotFound();
  }

  private async assertCategory(categoryId: string): Promise<void> {
    if (!(await this.categories.existsBy({ id: categoryId }))) {
      throw ProblemException.invalidField('categoryId', 'is not an existing style category');
    }
  }

  private async withCategory(id: string): Promise<Style> {
    return this.styles.findOneOrFail({ where: { id }, relations: { category: true } });
  }

  private async saveUnique<T>(save: () => Promise<T>, code: string): Promise<T> {
    try {
      return await save();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw ProblemException.conflict(code, 'The slug is already taken; choose another one.');
      }
      throw err;
    }
  }
}

function assertTemplate(template: string): void {
  const problem = templateProblem(template);
  if (problem) throw ProblemException.invalidField('promptTemplate', problem);
}

function requiredSlug(name: string): string {
  const slug = slugify(name);
  if (!slug) throw ProblemException.invalidField('slug', 'cannot be derived from the name; give one');
  return slug;
}

/** The "after" image is what shows the style; "before" is optional (a text-to-image example). */
function assertExampleImages(example: { afterImageUrl?: string | null; afterImageId?: string | null }): void {
  if (!example.afterImageUrl && !example.afterImageId) {
    throw ProblemException.invalidField('afterImageUrl', 'an example needs afterImageUrl or afterImageId');
  }
}
