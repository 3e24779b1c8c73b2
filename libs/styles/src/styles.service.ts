import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Style } from './entities/style.entity';
import { planForbidsStyle, styleNotFound } from './styles.errors';
import { renderStyleTemplate } from './style-template';

/** What a generation job needs from a style. */
export interface ResolvedStyle {
  style: Style;
  /** The user's prompt wrapped in the style's template. */
  renderPrompt(userPrompt: string): string;
  /** The style's operations for the `local` provider, as stored (the provider validates them). */
  operations: unknown[];
  /**
   * The parameters the style sets, as a client would request them; `auto` is left out since it
   * means "the provider decides", which is also what an absent value means.
   */
  defaults: StyleDefaults;
}

export interface StyleDefaults {
  size?: string;
  quality?: string;
  background?: string;
  outputFormat?: string;
}

/** The part of a plan that decides access to premium styles. */
export interface StylePlan {
  premium: boolean;
}

/** The styles API for the processing lib: resolve a style for a job, count its use when it succeeds. */
@Injectable()
export class StylesService {
  private readonly logger = new Logger(StylesService.name);

  constructor(
    @InjectRepository(Style) private readonly styles: Repository<Style>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** 404 `style_not_found` for an unknown or inactive style; 403 `plan_forbids` for premium on a free plan. */
  async resolveForJob(userId: string, styleId: string, plan: StylePlan): Promise<ResolvedStyle> {
    const style = await this.styles.findOne({ where: { id: styleId, active: true } });
    if (!style) throw styleNotFound();
    if (style.premium && !plan.premium) {
      this.logger.debug({ userId, styleId }, 'premium style refused for a plan without premium');
      throw planForbidsStyle();
    }
    return {
      style,
      renderPrompt: (userPrompt) =>
        renderStyleTemplate(style.promptTemplate, { prompt: userPrompt, styleName: style.name }),
      operations: style.imageOperations ?? [],
      defaults: styleDefaults(style),
    };
  }

  /**
   * Counts one successful use: the style's usage count and the user's preference row (usage count,
   * last used). Both are single atomic statements, so concurrent jobs never lose a count. A style
   * deleted while the job ran is skipped rather than failing the job that already succeeded.
   */
  async recordUse(userId: string, styleId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [updated] = (await manager.query(
        'UPDATE styles SET usage_count = usage_count + 1 WHERE id = $1 RETURNING id',
        [styleId],
      )) as [unknown[], number];
      if (!updated.length) {
        this.logger.warn({ userId, styleId }, 'use of a style that no longer exists was not counted');
        return;
      }
      await manager.query(
        `INSERT INTO user_style_preferences (user_id, style_id, usage_count, last_used_at)
         VALUES ($1, $2, 1, now())
         ON CONFLICT (user_id, style_id) DO UPDATE
           SET usage_count = user_style_preferences.usage_count + 1,
               last_used_at = now(),
               updated_at = now()`,
        [userId, styleId],
      );
    });
  }
}

function styleDefaults(style: Style): StyleDefaults {
  const values: StyleDefaults = {
    size: style.defaultSize,
    quality: style.defaultQuality,
    background: style.defaultBackground,
    outputFormat: style.defaultOutputFormat,
  };
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== 'auto'),
  ) as StyleDefaults;
}
