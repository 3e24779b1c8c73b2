/** Where an image variant lives: `users/<userId>/images/<imageId>/<variant>.<ext>`. */
export function imageObjectKey(userId: string, imageId: string, variant: string, ext: string): string {
  return `users/${userId}/images/${imageId}/${variant}.${ext}`;
}
