import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { STYLES_ENTITIES } from './styles.entities';
import { StyleAdminService } from './style-admin.service';
import { StyleCatalogService } from './style-catalog.service';
import { StylePreferencesService } from './style-preferences.service';
import { StylesService } from './styles.service';

/** Domain module: the style catalogue, preferences and the API jobs use (StylesService). */
@Module({
  imports: [TypeOrmModule.forFeature(STYLES_ENTITIES)],
  providers: [StylesService, StyleCatalogService, StylePreferencesService, StyleAdminService],
  exports: [StylesService, StyleCatalogService, StylePreferencesService, StyleAdminService],
})
export class StylesModule {}
