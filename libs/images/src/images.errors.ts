/** Error codes of the images lib (the `code` member of problem+json responses). */
export const ImageErrorCode = {
  NotFound: 'image_not_found',
  FolderNotFound: 'folder_not_found',
  FolderNameTaken: 'folder_name_taken',
  DefaultFolderLocked: 'default_folder_locked',
  UnsupportedMediaType: 'unsupported_media_type',
  FileTooLarge: 'file_too_large',
  ImageTooLarge: 'image_too_large',
  CorruptImage: 'corrupt_image',
  FileMissing: 'file_missing',
  ModerationBlocked: 'moderation_blocked',
  IllegalTransition: 'illegal_transition',
} as const;
export type ImageErrorCode = (typeof ImageErrorCode)[keyof typeof ImageErrorCode];
