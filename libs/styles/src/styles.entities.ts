import { StyleCategory } from './entities/style-category.entity';
import { StyleExample } from './entities/style-example.entity';
import { StyleRating } from './entities/style-rating.entity';
import { Style } from './entities/style.entity';
import { UserStylePreference } from './entities/user-style-preference.entity';

export const STYLES_ENTITIES = [StyleCategory, Style, StyleExample, UserStylePreference, StyleRating];
