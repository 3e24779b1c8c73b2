import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation, ProblemException } from '@atelier/core';
import { ProcessingErrorCode } from '../processing.errors';
import { Template } from './template.entity';

export type TemplateInput = Partial<
  Pick<Template, 'name' | 'description' | 'jobType' | 'provider' | 'model' | 'defaultParams' | 'active'>
>;

/** Processing templates: presets a job can name to take its defaults. */
@Injectable()
export class TemplatesService {
  constructor(@InjectRepository(Template) private readonly templates: Repository<Template>) {}

  list(includeInactive: boolean): Promise<Template[]> {
    return this.templates.find({
      where: includeInactive ? {} : { active: true },
      order: { name: 'ASC' },
    });
  }

  async get(id: string): Promise<Template> {
    const template = await this.templates.findOneBy({ id });
    if (!template)
      throw ProblemException.notFound(ProcessingErrorCode.TemplateNotFound, 'Template not found.');
    return template;
  }

  async getActive(id: string): Promise<Template> {
    const template = await this.get(id);
    if (!template.active) {
      throw ProblemException.notFound(ProcessingErrorCode.TemplateNotFound, 'Template not found.');
    }
    return template;
  }

  async create(input: TemplateInput): Promise<Template> {
    return this.saveUnique(this.templates.create(input));
  }

  async update(id: string, input: TemplateInput): Promise<Template> {
    const template = await this.get(id);
    return this.saveUnique(this.templates.merge(template, input));
  }

  async remove(id: string): Promise<void> {
    const template = await this.get(id);
    await this.templates.remove(template);
  }

  private async saveUnique(template: Template): Promise<Template> {
    try {
      return await this.templates.save(template);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw ProblemException.conflict(
          'template_name_taken',
          `A template "${template.name}" already exists.`,
        );
      }
      throw err;
    }
  }
}
