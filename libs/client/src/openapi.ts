export interface paths {
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Ready (health) */
    get: operations['HealthController_ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Register (auth) */
    post: operations['AuthController_register'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/verify-email': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Verify email (account pages) */
    get: operations['AccountPagesController_verifyEmail'];
    put?: never;
    /** Verify email (auth) */
    post: operations['AuthController_verifyEmail'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/resend-verification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resend verification (auth) */
    post: operations['AuthController_resendVerification'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Login (auth) */
    post: operations['AuthController_login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refresh (auth) */
    post: operations['AuthController_refresh'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Logout (auth) */
    post: operations['AuthController_logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/password/reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Reset password form (account pages) */
    get: operations['AccountPagesController_resetPasswordForm'];
    put?: never;
    /** Reset (password) */
    post: operations['PasswordController_reset'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/password/forgot': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Forgot (password) */
    post: operations['PasswordController_forgot'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/password/change': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Change (password) */
    post: operations['PasswordController_change'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (me) */
    get: operations['MeController_get'];
    put?: never;
    post?: never;
    /** Delete (me) */
    delete: operations['MeController_delete'];
    options?: never;
    head?: never;
    /** Update (me) */
    patch: operations['MeController_update'];
    trace?: never;
  };
  '/api/v1/me/avatar': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Put avatar (me) */
    put: operations['MeController_putAvatar'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/avatar': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get avatar (me) */
    get: operations['MeController_getAvatar'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/quota': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Quota (me) */
    get: operations['MeController_quota'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (plans) */
    get: operations['PlansController_list'];
    put?: never;
    /** Create (plans) */
    post: operations['PlansController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove (plans) */
    delete: operations['PlansController_remove'];
    options?: never;
    head?: never;
    /** Update (plans) */
    patch: operations['PlansController_update'];
    trace?: never;
  };
  '/api/v1/users/{id}/plan': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Assign (plans) */
    put: operations['PlansController_assign'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/fief': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Receive (fief webhook) */
    post: operations['FiefWebhookController_receive'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (admin users) */
    get: operations['AdminUsersController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Detail (admin users) */
    get: operations['AdminUsersController_detail'];
    put?: never;
    post?: never;
    /** Remove (admin users) */
    delete: operations['AdminUsersController_remove'];
    options?: never;
    head?: never;
    /** Update (admin users) */
    patch: operations['AdminUsersController_update'];
    trace?: never;
  };
  '/api/v1/admin/users/{id}/deactivate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Deactivate (admin users) */
    post: operations['AdminUsersController_deactivate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/users/{id}/reactivate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reactivate (admin users) */
    post: operations['AdminUsersController_reactivate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/audit-log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (admin audit) */
    get: operations['AdminAuditController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/files/{path}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download a stored file through a signed, expiring URL (local storage) */
    get: operations['FilesController_download'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your images, newest first, with filters */
    get: operations['ImagesController_list'];
    put?: never;
    /** Upload an image (PNG, JPEG, WebP, GIF); metadata is stripped */
    post: operations['ImagesController_upload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Counts by status, source, provider and day; favorites, downloads, storage */
    get: operations['ImagesController_getStats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (images) */
    get: operations['ImagesController_get'];
    put?: never;
    post?: never;
    /** Delete an image (its files are removed in the background) */
    delete: operations['ImagesController_remove'];
    options?: never;
    head?: never;
    /** Change title, folder, tags or visibility (nothing else) */
    patch: operations['ImagesController_update'];
    trace?: never;
  };
  '/api/v1/images/{id}/content': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The image bytes (public images without a token; private ones for their owner) */
    get: operations['ImagesController_getContent'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{id}/share': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Show in the public gallery (409 moderation_blocked unless safe or skipped) */
    post: operations['ImageActionsController_share'];
    /** Make private again */
    delete: operations['ImageActionsController_unshare'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{id}/validate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** generated → validated | rejected (409 illegal_transition otherwise) */
    post: operations['ImageActionsController_validate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{id}/favorite': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Favorite your own or a public image */
    put: operations['ImageActionsController_favorite'];
    post?: never;
    /** Remove your favorite */
    delete: operations['ImageActionsController_unfavorite'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/images/{id}/rating': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Rate 1..5 (one rating per user, replaced when rated again) */
    put: operations['ImageActionsController_rate'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/folders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your folders (the default one is created on first use) */
    get: operations['FoldersController_list'];
    put?: never;
    /** Create a folder (409 folder_name_taken if the name is used) */
    post: operations['FoldersController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/folders/by-name': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of your folders by its exact name (404 folder_not_found otherwise) */
    get: operations['FoldersController_getByName'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/folders/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of your folders */
    get: operations['FoldersController_get'];
    put?: never;
    post?: never;
    /** Delete a folder; its images move to the default folder */
    delete: operations['FoldersController_remove'];
    options?: never;
    head?: never;
    /** Rename a folder (409 folder_name_taken if the name is used) */
    patch: operations['FoldersController_rename'];
    trace?: never;
  };
  '/api/v1/gallery': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Public images cleared by moderation; search, tag filter, recent or popular */
    get: operations['GalleryController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/gallery/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One gallery image in full: prompt, tags, model, both URLs */
    get: operations['GalleryController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your tags with how many images carry each */
    get: operations['GalleryController_listTags'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/styles/categories': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Categories (styles) */
    get: operations['StylesController_categories'];
    put?: never;
    /** Create category (style admin) */
    post: operations['StyleAdminController_createCategory'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/styles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (styles) */
    get: operations['StylesController_list'];
    put?: never;
    /** Create style (style admin) */
    post: operations['StyleAdminController_createStyle'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/styles/popular': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Popular (styles) */
    get: operations['StylesController_popular'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/styles/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (styles) */
    get: operations['StylesController_get'];
    put?: never;
    post?: never;
    /** Delete style (style admin) */
    delete: operations['StyleAdminController_deleteStyle'];
    options?: never;
    head?: never;
    /** Update style (style admin) */
    patch: operations['StyleAdminController_updateStyle'];
    trace?: never;
  };
  '/api/v1/styles/{id}/examples': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Examples (styles) */
    get: operations['StylesController_examples'];
    put?: never;
    /** Create example (style admin) */
    post: operations['StyleAdminController_createExample'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/styles/{id}/favorite': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Favorite (styles) */
    put: operations['StylesController_favorite'];
    post?: never;
    /** Unfavorite (styles) */
    delete: operations['StylesController_unfavorite'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/styles/{id}/rating': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Rate (styles) */
    put: operations['StylesController_rate'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/styles/categories/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete category (style admin) */
    delete: operations['StyleAdminController_deleteCategory'];
    options?: never;
    head?: never;
    /** Update category (style admin) */
    patch: operations['StyleAdminController_updateCategory'];
    trace?: never;
  };
  '/api/v1/styles/{id}/examples/{exampleId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete example (style admin) */
    delete: operations['StyleAdminController_deleteExample'];
    options?: never;
    head?: never;
    /** Update example (style admin) */
    patch: operations['StyleAdminController_updateExample'];
    trace?: never;
  };
  '/api/v1/me/style-preferences': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (style preferences) */
    get: operations['StylePreferencesController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/admin/images/{id}/moderation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (moderation admin) */
    get: operations['ModerationAdminController_get'];
    put?: never;
    /** Override (moderation admin) */
    post: operations['ModerationAdminController_override'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/jobs/webhook-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Webhook secret (jobs) */
    get: operations['JobsController_webhookSecret'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (jobs) */
    get: operations['JobsController_list'];
    put?: never;
    /** Submit (jobs) */
    post: operations['JobsController_submit'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/jobs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Detail (jobs) */
    get: operations['JobsController_detail'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/jobs/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel (jobs) */
    post: operations['JobsController_cancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/jobs/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Retry (jobs) */
    post: operations['JobsController_retry'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/jobs/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Events (job events) */
    get: operations['JobEventsController_events'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/providers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (providers) */
    get: operations['ProvidersController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/templates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (templates) */
    get: operations['TemplatesController_list'];
    put?: never;
    /** Create (templates) */
    post: operations['TemplatesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/templates/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (templates) */
    get: operations['TemplatesController_get'];
    put?: never;
    post?: never;
    /** Remove (templates) */
    delete: operations['TemplatesController_remove'];
    options?: never;
    head?: never;
    /** Update (templates) */
    patch: operations['TemplatesController_update'];
    trace?: never;
  };
  '/api/v1/me/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your finished jobs by status, provider, type and day (live), and your image counts */
    get: operations['MeStatsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/social-accounts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (social accounts) */
    get: operations['SocialAccountsController_list'];
    put?: never;
    /** Create (social accounts) */
    post: operations['SocialAccountsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/social-accounts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (social accounts) */
    get: operations['SocialAccountsController_get'];
    put?: never;
    post?: never;
    /** Remove (social accounts) */
    delete: operations['SocialAccountsController_remove'];
    options?: never;
    head?: never;
    /** Update (social accounts) */
    patch: operations['SocialAccountsController_update'];
    trace?: never;
  };
  '/api/v1/social-accounts/{id}/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Verify (social accounts) */
    post: operations['SocialAccountsController_verify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/posts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (posts) */
    get: operations['PostsController_list'];
    put?: never;
    /** Create (posts) */
    post: operations['PostsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/posts/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Stats (posts) */
    get: operations['PostsController_stats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/posts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (posts) */
    get: operations['PostsController_get'];
    put?: never;
    post?: never;
    /** Remove (posts) */
    delete: operations['PostsController_remove'];
    options?: never;
    head?: never;
    /** Update (posts) */
    patch: operations['PostsController_update'];
    trace?: never;
  };
  '/api/v1/posts/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel (posts) */
    post: operations['PostsController_cancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/posts/{id}/publish-now': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Publish now (posts) */
    post: operations['PostsController_publishNow'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/posts/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Retry (posts) */
    post: operations['PostsController_retry'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/posts/{id}/analytics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (post analytics) */
    get: operations['PostAnalyticsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/posts/{id}/analytics/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sync (post analytics) */
    post: operations['PostAnalyticsController_sync'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (schedules) */
    get: operations['SchedulesController_list'];
    put?: never;
    /** Create (schedules) */
    post: operations['SchedulesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (schedules) */
    get: operations['SchedulesController_get'];
    put?: never;
    post?: never;
    /** Remove (schedules) */
    delete: operations['SchedulesController_remove'];
    options?: never;
    head?: never;
    /** Update (schedules) */
    patch: operations['SchedulesController_update'];
    trace?: never;
  };
  '/api/v1/schedules/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause (schedules) */
    post: operations['SchedulesController_pause'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume (schedules) */
    post: operations['SchedulesController_resume'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{id}/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Runs (schedules) */
    get: operations['SchedulesController_runs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (models) */
    get: operations['ModelsController_list'];
    put?: never;
    /** Create (models) */
    post: operations['ModelsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/models/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (models) */
    get: operations['ModelsController_get'];
    put?: never;
    post?: never;
    /** Remove (models) */
    delete: operations['ModelsController_remove'];
    options?: never;
    head?: never;
    /** Update (models) */
    patch: operations['ModelsController_update'];
    trace?: never;
  };
  '/api/v1/workflows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List (workflows) */
    get: operations['WorkflowsController_list'];
    put?: never;
    /** Create (workflows) */
    post: operations['WorkflowsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/simplified': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Simplified (workflows) */
    get: operations['WorkflowsController_simplified'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get (workflows) */
    get: operations['WorkflowsController_get'];
    put?: never;
    post?: never;
    /** Remove (workflows) */
    delete: operations['WorkflowsController_remove'];
    options?: never;
    head?: never;
    /** Update (workflows) */
    patch: operations['WorkflowsController_update'];
    trace?: never;
  };
  '/api/v1/plans/{id}/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Models (plan links) */
    get: operations['PlanLinksController_models'];
    /** Set models (plan links) */
    put: operations['PlanLinksController_setModels'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/workflows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Workflows (plan links) */
    get: operations['PlanLinksController_workflows'];
    /** Set workflows (plan links) */
    put: operations['PlanLinksController_setWorkflows'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Live (health) */
    get: operations['HealthController_live'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    RegisterDto: {
      /** @example ada@example.com */
      email: string;
      /**
       * @description 3–32 letters, digits, _ . -
       * @example ada
       */
      username: string;
      password: string;
      displayName?: string;
    };
    PublicUserDto: {
      /** Format: uuid */
      id: string;
      email: string;
      username: string;
      displayName: string;
      bio: string;
      preferences: {
        [key: string]: unknown;
      };
      socialHandles: {
        [key: string]: string;
      };
      /** @description URL of the 256 px avatar */
      avatarUrl?: string | null;
      /** @enum {string} */
      role: 'user' | 'admin';
      emailVerified: boolean;
      /** Format: uuid */
      planId?: string | null;
      createdAt: string;
    };
    TokenDto: {
      /** @description The token from the link in the mail */
      token: string;
    };
    EmailDto: {
      email: string;
    };
    AcceptedDto: {
      /** @example true */
      accepted: boolean;
    };
    LoginDto: {
      /** @description Email or username */
      login: string;
      password: string;
    };
    LoginResponseDto: {
      accessToken: string;
      refreshToken: string;
      /** @description Seconds until the access token expires */
      expiresIn: number;
      /** @example Bearer */
      tokenType: string;
      user: components['schemas']['PublicUserDto'];
    };
    RefreshDto: {
      refreshToken: string;
    };
    TokenPairDto: {
      accessToken: string;
      refreshToken: string;
      /** @description Seconds until the access token expires */
      expiresIn: number;
      /** @example Bearer */
      tokenType: string;
    };
    ResetPasswordDto: {
      /** @description The token from the link in the mail */
      token: string;
      password: string;
    };
    ChangePasswordDto: {
      currentPassword: string;
      newPassword: string;
    };
    UpdateMeDto: {
      displayName?: string;
      bio?: string;
      /** @description Free-form UI settings (≤ 8 KB) */
      preferences?: {
        [key: string]: unknown;
      };
      /**
       * @example {
       *       "instagram": "@ada",
       *       "x": "@ada"
       *     }
       */
      socialHandles?: {
        [key: string]: string;
      };
      /** @description Changing it marks the account unverified until the new address is confirmed */
      email?: string;
    };
    DeleteMeDto: {
      /** @description The current password, as confirmation */
      password: string;
    };
    QuotaPlanDto: {
      /** Format: uuid */
      id: string;
      slug: string;
      name: string;
      premium: boolean;
    };
    QuotaKindDto: {
      limit: number;
      used: number;
      remaining: number;
    };
    QuotaUsageDto: {
      generation: components['schemas']['QuotaKindDto'];
      edit: components['schemas']['QuotaKindDto'];
      upload: components['schemas']['QuotaKindDto'];
    };
    QuotaReportDto: {
      plan: components['schemas']['QuotaPlanDto'];
      /**
       * @description The UTC day counted
       * @example 2026-01-31
       */
      day: string;
      /** @description Next UTC midnight */
      resetsAt: string;
      usage: components['schemas']['QuotaUsageDto'];
    };
    PlanDto: {
      /** @example pro */
      slug: string;
      /** @example Pro */
      name: string;
      priceCents: number;
      dailyGenerations: number;
      dailyEdits: number;
      dailyUploads: number;
      maxImageSide: number;
      allowedProviders: ('local' | 'openai' | 'huggingface' | 'comfyui')[];
      concurrency: number;
      /** @description Bull priority: 1 is served first */
      queuePriority: number;
      /** @default false */
      premium: boolean;
      /** @default true */
      active: boolean;
      /** Format: uuid */
      id: string;
    };
    PlanList: {
      items: components['schemas']['PlanDto'][];
      nextCursor: string | null;
    };
    CreatePlanDto: {
      /** @example pro */
      slug: string;
      /** @example Pro */
      name: string;
      priceCents: number;
      dailyGenerations: number;
      dailyEdits: number;
      dailyUploads: number;
      maxImageSide: number;
      allowedProviders: ('local' | 'openai' | 'huggingface' | 'comfyui')[];
      concurrency: number;
      /** @description Bull priority: 1 is served first */
      queuePriority: number;
      /** @default false */
      premium: boolean;
      /** @default true */
      active: boolean;
    };
    UpdatePlanDto: {
      /** @example pro */
      slug?: string;
      /** @example Pro */
      name?: string;
      priceCents?: number;
      dailyGenerations?: number;
      dailyEdits?: number;
      dailyUploads?: number;
      maxImageSide?: number;
      allowedProviders?: ('local' | 'openai' | 'huggingface' | 'comfyui')[];
      concurrency?: number;
      /** @description Bull priority: 1 is served first */
      queuePriority?: number;
      /** @default false */
      premium: boolean;
      /** @default true */
      active: boolean;
    };
    AssignPlanDto: {
      /** Format: uuid */
      planId: string;
    };
    FiefWebhookResponse: {
      /** @enum {string} */
      status: 'processed' | 'duplicate' | 'ignored';
    };
    AdminUserDto: {
      /** Format: uuid */
      id: string;
      email: string;
      username: string;
      displayName: string;
      /** @enum {string} */
      role: 'user' | 'admin';
      /** Format: uuid */
      planId?: string | null;
      /** @enum {string} */
      status: 'active' | 'deactivated';
      emailVerified: boolean;
      /** @description Signs in through the identity provider */
      externalId?: string | null;
      /** Format: date-time */
      deactivatedAt?: string | null;
      createdAt: string;
    };
    AdminUserPage: {
      items: components['schemas']['AdminUserDto'][];
      nextCursor: string | null;
    };
    AdminUserUsageDto: {
      quota: components['schemas']['QuotaReportDto'];
      /**
       * @description What the user owns, per feature
       * @example {
       *       "images": 12,
       *       "jobs": 30
       *     }
       */
      counts: {
        [key: string]: number;
      };
    };
    AdminUserDetailDto: {
      /** Format: uuid */
      id: string;
      email: string;
      username: string;
      displayName: string;
      /** @enum {string} */
      role: 'user' | 'admin';
      /** Format: uuid */
      planId?: string | null;
      /** @enum {string} */
      status: 'active' | 'deactivated';
      emailVerified: boolean;
      /** @description Signs in through the identity provider */
      externalId?: string | null;
      /** Format: date-time */
      deactivatedAt?: string | null;
      createdAt: string;
      usage: components['schemas']['AdminUserUsageDto'];
    };
    UpdateUserByAdminDto: {
      /** @enum {string} */
      role?: 'user' | 'admin';
      /** Format: uuid */
      planId?: string;
    };
    AuditEntryDto: {
      /** Format: uuid */
      id: string;
      /**
       * Format: uuid
       * @description The administrator who acted
       */
      actorId: string;
      /** @example user.deactivated */
      action: string;
      /** Format: uuid */
      targetUserId?: string | null;
      details: {
        [key: string]: unknown;
      };
      createdAt: string;
    };
    AuditPage: {
      items: components['schemas']['AuditEntryDto'][];
      nextCursor: string | null;
    };
    UploadImageDto: {
      /**
       * Format: binary
       * @description PNG, JPEG, WebP or GIF
       */
      file: Blob;
      title?: string;
      /**
       * Format: uuid
       * @description Defaults to your default folder
       */
      folderId?: string;
      /** @description Repeat the field (or send comma-separated) */
      tags?: string[];
    };
    ImageResponse: {
      /** Format: uuid */
      id: string;
      title?: string | null;
      /** @enum {string} */
      source: 'upload' | 'generated' | 'edited' | 'styled' | 'workflow';
      prompt?: string | null;
      provider?: string | null;
      model?: string | null;
      styleId?: string | null;
      width: number;
      height: number;
      mime: string;
      bytes: number;
      tags: string[];
      isPublic: boolean;
      /** Format: date-time */
      sharedAt?: string | null;
      favoritesCount: number;
      ratingAvg: number;
      ratingCount: number;
      downloadsCount: number;
      contentUrl: string;
      thumbnailUrl?: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: uuid */
      folderId?: string | null;
      /** Format: uuid */
      parentImageId?: string | null;
      /** Format: uuid */
      jobId?: string | null;
      jobIndex?: number | null;
      negativePrompt?: string | null;
      params: {
        [key: string]: unknown;
      };
      sha256: string;
      /** @enum {string} */
      status: 'pending' | 'generating' | 'generated' | 'validated' | 'rejected' | 'failed';
      validationNotes?: string | null;
      /** @enum {string} */
      moderationState: 'pending' | 'safe' | 'flagged' | 'skipped';
      moderationLabels: Record<string, never>[];
      /** Format: date-time */
      updatedAt: string;
    };
    ImageListItem: {
      /** Format: uuid */
      id: string;
      title: string | null;
      /** @enum {string} */
      source: 'upload' | 'generated' | 'edited' | 'styled' | 'workflow';
      /** @enum {string} */
      status: 'pending' | 'generating' | 'generated' | 'validated' | 'rejected' | 'failed';
      /** @enum {string} */
      moderationState: 'pending' | 'safe' | 'flagged' | 'skipped';
      isPublic: boolean;
      /** Format: uuid */
      folderId: string | null;
      width: number;
      height: number;
      /** @description Short-lived signed URL of the 512 px WebP thumbnail; of the original until the thumbnail is made */
      previewUrl: string;
      /** Format: date-time */
      createdAt: string;
    };
    ImagePage: {
      items: components['schemas']['ImageListItem'][];
      nextCursor: string | null;
    };
    ImagesPerDay: {
      /**
       * Format: date
       * @example 2026-01-31
       */
      day: string;
      count: number;
    };
    ImageStatsResponse: {
      total: number;
      /** @description Images per status */
      byStatus: {
        [key: string]: number;
      };
      /** @description Images per source */
      bySource: {
        [key: string]: number;
      };
      /** @description Images per provider */
      byProvider: {
        [key: string]: number;
      };
      /** @description Last 30 UTC days; days without images omitted */
      perDay: components['schemas']['ImagesPerDay'][];
      public: number;
      favoritesReceived: number;
      favoritesGiven: number;
      downloads: number;
      storageBytes: number;
    };
    UpdateImageDto: {
      title?: string | null;
      /** Format: uuid */
      folderId?: string;
      /** @description Replaces the tags (normalised) */
      tags?: string[];
      /** @description true shares the image (same rules as POST /images/:id/share) */
      isPublic?: boolean;
    };
    FieldErrorResponse: {
      /** @example name */
      field: string;
      /** @example name must be shorter than or equal to 100 characters */
      message: string;
    };
    ProblemResponse: {
      /**
       * Format: uri
       * @example https://atelier.dev/problems/validation-failed
       */
      type: string;
      /** @example Bad Request */
      title: string;
      /** @example 400 */
      status: number;
      detail: string;
      /**
       * @description Stable machine-readable reason
       * @example validation_failed
       */
      code: string;
      /** @description The request path */
      instance?: string;
      /** @description Field errors (validation_failed) */
      errors?: components['schemas']['FieldErrorResponse'][];
    };
    ValidateImageDto: {
      /** @enum {string} */
      action: 'validate' | 'reject';
      notes?: string;
    };
    FavoriteStateResponse: {
      favorited: boolean;
      favoritesCount: number;
    };
    RateImageDto: {
      score: number;
      comment?: string;
    };
    RatingStateResponse: {
      score: number;
      comment: string | null;
      ratingAvg: number;
      ratingCount: number;
    };
    FolderResponse: {
      /** Format: uuid */
      id: string;
      name: string;
      isDefault: boolean;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    FolderPage: {
      items: components['schemas']['FolderResponse'][];
      nextCursor: string | null;
    };
    FolderNameDto: {
      name: string;
    };
    GalleryItem: {
      /** Format: uuid */
      id: string;
      title: string | null;
      width: number;
      height: number;
      favoritesCount: number;
      ratingAvg: number;
      /** @description Short-lived signed URL of the 512 px WebP thumbnail; of the original until the thumbnail is made */
      previewUrl: string;
      /** Format: date-time */
      createdAt: string;
    };
    GalleryPage: {
      items: components['schemas']['GalleryItem'][];
      nextCursor: string | null;
    };
    PublicImageResponse: {
      /** Format: uuid */
      id: string;
      title?: string | null;
      /** @enum {string} */
      source: 'upload' | 'generated' | 'edited' | 'styled' | 'workflow';
      prompt?: string | null;
      provider?: string | null;
      model?: string | null;
      styleId?: string | null;
      width: number;
      height: number;
      mime: string;
      bytes: number;
      tags: string[];
      isPublic: boolean;
      /** Format: date-time */
      sharedAt?: string | null;
      favoritesCount: number;
      ratingAvg: number;
      ratingCount: number;
      downloadsCount: number;
      contentUrl: string;
      thumbnailUrl?: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    TagCountResponse: {
      tag: string;
      count: number;
    };
    TagList: {
      items: components['schemas']['TagCountResponse'][];
    };
    StyleCategoryResponse: {
      /** Format: uuid */
      id: string;
      name: string;
      slug: string;
      icon: string | null;
      color: string | null;
      sortOrder: number;
    };
    StyleCategoryList: {
      items: components['schemas']['StyleCategoryResponse'][];
    };
    StyleResponse: {
      /** Format: uuid */
      id: string;
      name: string;
      slug: string;
      description: string;
      category?: components['schemas']['StyleCategoryResponse'];
      /** Format: uuid */
      categoryId: string;
      promptTemplate: string;
      /** @enum {string} */
      defaultQuality: 'low' | 'medium' | 'high' | 'auto';
      /** @enum {string} */
      defaultBackground: 'transparent' | 'opaque' | 'auto';
      /** @enum {string} */
      defaultOutputFormat: 'png' | 'jpeg' | 'webp';
      /** @enum {string} */
      defaultSize: '1024x1024' | '1536x1024' | '1024x1536' | 'auto';
      supportsTransparency: boolean;
      premium: boolean;
      active: boolean;
      providerHints: {
        [key: string]: unknown;
      };
      imageOperations: {
        [key: string]: unknown;
      }[];
      usageCount: number;
      /** @description Average score, 0 when unrated */
      ratingAvg: number;
      ratingCount: number;
      createdAt: string;
      updatedAt: string;
    };
    StylePage: {
      items: components['schemas']['StyleResponse'][];
      nextCursor: string | null;
    };
    PopularStyleResponse: {
      /** Format: uuid */
      id: string;
      name: string;
      slug: string;
      description: string;
      category?: components['schemas']['StyleCategoryResponse'];
      /** Format: uuid */
      categoryId: string;
      promptTemplate: string;
      /** @enum {string} */
      defaultQuality: 'low' | 'medium' | 'high' | 'auto';
      /** @enum {string} */
      defaultBackground: 'transparent' | 'opaque' | 'auto';
      /** @enum {string} */
      defaultOutputFormat: 'png' | 'jpeg' | 'webp';
      /** @enum {string} */
      defaultSize: '1024x1024' | '1536x1024' | '1024x1536' | 'auto';
      supportsTransparency: boolean;
      premium: boolean;
      active: boolean;
      providerHints: {
        [key: string]: unknown;
      };
      imageOperations: {
        [key: string]: unknown;
      }[];
      usageCount: number;
      /** @description Average score, 0 when unrated */
      ratingAvg: number;
      ratingCount: number;
      createdAt: string;
      updatedAt: string;
      /** @description Distinct users who used the style in the last 30 days */
      recentUsers: number;
      /** @description Recent users weighted by the (smoothed) rating; the sort key */
      popularity: number;
    };
    PopularStyleList: {
      items: components['schemas']['PopularStyleResponse'][];
    };
    StyleExampleResponse: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      styleId: string;
      beforeImageUrl: string | null;
      afterImageUrl: string | null;
      beforeImageId: string | null;
      afterImageId: string | null;
      caption: string;
      sortOrder: number;
    };
    StyleExampleList: {
      items: components['schemas']['StyleExampleResponse'][];
    };
    RateStyleDto: {
      score: number;
      comment?: string;
    };
    StyleRatingResponse: {
      /** Format: uuid */
      styleId: string;
      score: number;
      comment: string | null;
      /** @description The style's average after this rating */
      ratingAvg: number;
      ratingCount: number;
    };
    CreateStyleCategoryDto: {
      /** @example Anime */
      name: string;
      /**
       * @description Derived from the name when omitted
       * @example anime
       */
      slug?: string;
      /** @example sparkles */
      icon?: string;
      /** @example #ff6b6b */
      color?: string;
      /** @default 0 */
      sortOrder: number;
    };
    UpdateStyleCategoryDto: {
      /** @example Anime */
      name?: string;
      /**
       * @description Derived from the name when omitted
       * @example anime
       */
      slug?: string;
      /** @example sparkles */
      icon?: string;
      /** @example #ff6b6b */
      color?: string;
      /** @default 0 */
      sortOrder: number;
    };
    CreateStyleDto: {
      /** Format: uuid */
      categoryId: string;
      /** @example Watercolor */
      name: string;
      /**
       * @description Derived from the name when omitted
       * @example watercolor
       */
      slug?: string;
      description?: string;
      /**
       * @description Must contain {prompt}; may contain {style_name}
       * @example {prompt}, delicate {style_name} painting, soft washes, paper texture
       */
      promptTemplate: string;
      /** @enum {string} */
      defaultQuality?: 'low' | 'medium' | 'high' | 'auto';
      /** @enum {string} */
      defaultBackground?: 'transparent' | 'opaque' | 'auto';
      /** @enum {string} */
      defaultOutputFormat?: 'png' | 'jpeg' | 'webp';
      /** @enum {string} */
      defaultSize?: '1024x1024' | '1536x1024' | '1024x1536' | 'auto';
      supportsTransparency?: boolean;
      premium?: boolean;
      /** @default true */
      active: boolean;
      providerHints?: {
        [key: string]: unknown;
      };
      /**
       * @description Operations the local provider applies for a style transfer
       * @example [
       *       {
       *         "op": "posterize",
       *         "levels": 6
       *       },
       *       {
       *         "op": "modulate",
       *         "saturation": 1.4
       *       }
       *     ]
       */
      imageOperations?: {
        [key: string]: unknown;
      }[];
    };
    UpdateStyleDto: {
      /** Format: uuid */
      categoryId?: string;
      /** @example Watercolor */
      name?: string;
      /**
       * @description Derived from the name when omitted
       * @example watercolor
       */
      slug?: string;
      description?: string;
      /**
       * @description Must contain {prompt}; may contain {style_name}
       * @example {prompt}, delicate {style_name} painting, soft washes, paper texture
       */
      promptTemplate?: string;
      /** @enum {string} */
      defaultQuality?: 'low' | 'medium' | 'high' | 'auto';
      /** @enum {string} */
      defaultBackground?: 'transparent' | 'opaque' | 'auto';
      /** @enum {string} */
      defaultOutputFormat?: 'png' | 'jpeg' | 'webp';
      /** @enum {string} */
      defaultSize?: '1024x1024' | '1536x1024' | '1024x1536' | 'auto';
      supportsTransparency?: boolean;
      premium?: boolean;
      /** @default true */
      active: boolean;
      providerHints?: {
        [key: string]: unknown;
      };
      /**
       * @description Operations the local provider applies for a style transfer
       * @example [
       *       {
       *         "op": "posterize",
       *         "levels": 6
       *       },
       *       {
       *         "op": "modulate",
       *         "saturation": 1.4
       *       }
       *     ]
       */
      imageOperations?: {
        [key: string]: unknown;
      }[];
    };
    CreateStyleExampleDto: {
      /** @description Absolute URL of the image before the style */
      beforeImageUrl?: string;
      /** @description Absolute URL of the image with the style applied */
      afterImageUrl?: string;
      /**
       * Format: uuid
       * @description An Atelier image, instead of beforeImageUrl
       */
      beforeImageId?: string;
      /**
       * Format: uuid
       * @description An Atelier image, instead of afterImageUrl
       */
      afterImageId?: string;
      caption?: string;
      /** @default 0 */
      sortOrder: number;
    };
    UpdateStyleExampleDto: {
      /** @description Absolute URL of the image before the style */
      beforeImageUrl?: string;
      /** @description Absolute URL of the image with the style applied */
      afterImageUrl?: string;
      /**
       * Format: uuid
       * @description An Atelier image, instead of beforeImageUrl
       */
      beforeImageId?: string;
      /**
       * Format: uuid
       * @description An Atelier image, instead of afterImageUrl
       */
      afterImageId?: string;
      caption?: string;
      /** @default 0 */
      sortOrder: number;
    };
    StylePreferenceResponse: {
      /** Format: uuid */
      styleId: string;
      style: components['schemas']['StyleResponse'];
      favorite: boolean;
      usageCount: number;
      lastUsedAt: string | null;
      updatedAt: string;
    };
    StylePreferencePage: {
      items: components['schemas']['StylePreferenceResponse'][];
      nextCursor: string | null;
    };
    ModerationAuditResponse: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      imageId: string;
      /** Format: uuid */
      adminId: string | null;
      /** @enum {string} */
      fromState: 'pending' | 'safe' | 'flagged' | 'skipped';
      /** @enum {string} */
      toState: 'pending' | 'safe' | 'flagged' | 'skipped';
      reason: string | null;
      createdAt: string;
    };
    ImageModerationResponse: {
      /** Format: uuid */
      imageId: string;
      /** @enum {string} */
      moderationState: 'pending' | 'safe' | 'flagged' | 'skipped';
      moderationLabels: Record<string, never>[];
      isPublic: boolean;
      /** @description Overrides, latest first */
      history: components['schemas']['ModerationAuditResponse'][];
    };
    ModerationOverrideDto: {
      /** @enum {string} */
      verdict: 'safe' | 'flagged';
      /** @example False positive: classical statue */
      reason?: string;
    };
    JobWebhookSecretResponse: {
      /**
       * @description Standard Webhooks secret
       * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
       */
      secret: string;
    };
    JobParamsDto: {
      /**
       * @description Or width + height
       * @example 1024x1024
       */
      size?: string;
      width?: number;
      height?: number;
      /** @default 1 */
      n: number;
      /** @enum {string} */
      quality?: 'low' | 'medium' | 'high' | 'auto';
      /** @enum {string} */
      background?: 'transparent' | 'opaque' | 'auto';
      /**
       * @default png
       * @enum {string}
       */
      outputFormat: 'png' | 'jpeg' | 'webp';
      outputCompression?: number;
      seed?: number;
      steps?: number;
      guidance?: number;
      /** @description Style transfer on `local`: image operations */
      operations?: string[];
    };
    CreateJobDto: {
      /** @enum {string} */
      type: 'generate' | 'edit' | 'style_transfer' | 'workflow';
      prompt?: string;
      negativePrompt?: string;
      /** @description Default: DEFAULT_PROVIDER */
      provider?: string;
      model?: string;
      templateId?: string;
      /** @description Required for workflow jobs */
      workflowId?: string;
      styleId?: string;
      sourceImageId?: string;
      maskImageId?: string;
      /** @description For workflow jobs: the workflow's parameter values */
      params?: components['schemas']['JobParamsDto'];
      folderId?: string;
      tags?: string[];
      /** @description Called with a Standard Webhooks signed POST on the events asked for (secret: GET /jobs/webhook-secret) */
      webhookUrl?: string;
      /** @description As Replicate's webhook_events_filter; default all of them */
      webhookEvents?: ('start' | 'output' | 'completed')[];
    };
    JobErrorResponse: {
      code: string;
      message: string;
    };
    JobResponse: {
      id: string;
      type: string;
      /** @enum {string} */
      status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
      progress: number;
      provider: string;
      model?: string | null;
      prompt: string;
      negativePrompt?: string | null;
      params: {
        [key: string]: unknown;
      };
      styleId?: string | null;
      templateId?: string | null;
      workflowId?: string | null;
      sourceImageId?: string | null;
      maskImageId?: string | null;
      folderId?: string | null;
      tags: string[];
      attempts: number;
      error?: components['schemas']['JobErrorResponse'] | null;
      providerRequestId?: string | null;
      usage?: {
        [key: string]: unknown;
      } | null;
      resultImageIds: string[];
      retryOfId?: string | null;
      queuedAt: string;
      /** Format: date-time */
      startedAt?: string | null;
      /** Format: date-time */
      finishedAt?: string | null;
      createdAt: string;
    };
    JobEventResponse: {
      seq: number;
      type: string;
      data: {
        [key: string]: unknown;
      };
      createdAt: string;
    };
    JobResultImage: {
      id: string;
      /** @description Signed URL of the original */
      contentUrl: string;
      /** @description Signed URL of the thumbnail, once made */
      thumbnailUrl?: string | null;
    };
    JobDetailResponse: {
      id: string;
      type: string;
      /** @enum {string} */
      status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
      progress: number;
      provider: string;
      model?: string | null;
      prompt: string;
      negativePrompt?: string | null;
      params: {
        [key: string]: unknown;
      };
      styleId?: string | null;
      templateId?: string | null;
      workflowId?: string | null;
      sourceImageId?: string | null;
      maskImageId?: string | null;
      folderId?: string | null;
      tags: string[];
      attempts: number;
      error?: components['schemas']['JobErrorResponse'] | null;
      providerRequestId?: string | null;
      usage?: {
        [key: string]: unknown;
      } | null;
      resultImageIds: string[];
      retryOfId?: string | null;
      queuedAt: string;
      /** Format: date-time */
      startedAt?: string | null;
      /** Format: date-time */
      finishedAt?: string | null;
      createdAt: string;
      events: components['schemas']['JobEventResponse'][];
      results: components['schemas']['JobResultImage'][];
    };
    JobPage: {
      items: components['schemas']['JobResponse'][];
      nextCursor?: string | null;
    };
    ProviderResponse: {
      name: string;
      types: string[];
      models: string[];
      defaultModel: string;
      /** @description fixed sizes, or a min/max/multipleOf range */
      sizes: {
        [key: string]: unknown;
      };
      maxN: number;
      edit: boolean;
      streaming: boolean;
      negativePrompt: boolean;
    };
    ProviderList: {
      items: components['schemas']['ProviderResponse'][];
    };
    TemplateResponse: {
      id: string;
      name: string;
      description: string;
      /** @enum {string} */
      jobType: 'generate' | 'edit' | 'style_transfer' | 'workflow';
      provider?: string | null;
      model?: string | null;
      defaultParams: {
        [key: string]: unknown;
      };
      active: boolean;
      createdAt: string;
      updatedAt: string;
    };
    TemplateList: {
      items: components['schemas']['TemplateResponse'][];
    };
    CreateTemplateDto: {
      name: string;
      description?: string;
      /** @enum {string} */
      jobType: 'generate' | 'edit' | 'style_transfer' | 'workflow';
      provider?: string;
      model?: string;
      defaultParams?: {
        [key: string]: unknown;
      };
      active?: boolean;
    };
    UpdateTemplateDto: {
      name?: string;
      description?: string;
      /** @enum {string} */
      jobType?: 'generate' | 'edit' | 'style_transfer' | 'workflow';
      provider?: string;
      model?: string;
      defaultParams?: {
        [key: string]: unknown;
      };
      active?: boolean;
    };
    JobStatusTotals: {
      succeeded: number;
      failed: number;
      cancelled: number;
    };
    JobDayStats: {
      succeeded: number;
      failed: number;
      cancelled: number;
      /**
       * @description UTC day the jobs finished
       * @example 2026-11-25
       */
      day: string;
      /** @description Result images produced */
      images: number;
    };
    JobStatsResponse: {
      /** @description Finished jobs */
      total: number;
      byStatus: components['schemas']['JobStatusTotals'];
      /** @description Finished jobs per provider */
      byProvider: {
        [key: string]: unknown;
      };
      /** @description Finished jobs per type */
      byType: {
        [key: string]: unknown;
      };
      /** @description Result images produced */
      images: number;
      /** @description Last 30 UTC days; days without finished jobs omitted */
      perDay: components['schemas']['JobDayStats'][];
      /**
       * Format: date-time
       * @description When these counts last changed (jobs are counted as they finish)
       */
      refreshedAt?: string | null;
    };
    MeStatsResponse: {
      jobs: components['schemas']['JobStatsResponse'];
      /** @description Your library, as GET /images/stats shows it */
      images: {
        [key: string]: unknown;
      };
    };
    SocialAccountDto: {
      id: string;
      /** @enum {string} */
      platform: 'instagram' | 'facebook' | 'x' | 'mastodon' | 'linkedin' | 'webhook';
      externalId: string | null;
      displayName: string;
      instanceUrl: string | null;
      webhookUrl: string | null;
      /** @enum {string} */
      status: 'active' | 'expired' | 'revoked';
      hasAccessToken: boolean;
      hasRefreshToken: boolean;
      /** Format: date-time */
      tokenExpiresAt: string | null;
      /** Format: date-time */
      lastVerifiedAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    SocialAccountPageDto: {
      items: components['schemas']['SocialAccountDto'][];
      nextCursor: string | null;
    };
    CreateSocialAccountDto: {
      /** @enum {string} */
      platform: 'instagram' | 'facebook' | 'x' | 'mastodon' | 'linkedin' | 'webhook';
      /** @description Defaults to the name the platform reports (verify) */
      displayName?: string;
      /** @description Instagram user id, Facebook page id, LinkedIn author URN; X and Mastodon ids are read from the platform when omitted */
      externalId?: string;
      /** @description Platform access token (stored encrypted, never returned) */
      accessToken?: string;
      /** @description Refresh token (stored encrypted, never returned) */
      refreshToken?: string;
      /** Format: date-time */
      tokenExpiresAt?: string;
      /** @description Mastodon: the instance base URL, e.g. https://mastodon.social */
      instanceUrl?: string;
      /** @description Webhook: a public http(s) URL you own */
      webhookUrl?: string;
    };
    CreatedSocialAccountDto: {
      id: string;
      /** @enum {string} */
      platform: 'instagram' | 'facebook' | 'x' | 'mastodon' | 'linkedin' | 'webhook';
      externalId: string | null;
      displayName: string;
      instanceUrl: string | null;
      webhookUrl: string | null;
      /** @enum {string} */
      status: 'active' | 'expired' | 'revoked';
      hasAccessToken: boolean;
      hasRefreshToken: boolean;
      /** Format: date-time */
      tokenExpiresAt: string | null;
      /** Format: date-time */
      lastVerifiedAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @description Webhook accounts only: the Standard Webhooks signing secret (whsec_…). Shown once, store it now. */
      webhookSecret?: string;
    };
    UpdateSocialAccountDto: {
      /** @description Defaults to the name the platform reports (verify) */
      displayName?: string;
      /** @description Instagram user id, Facebook page id, LinkedIn author URN; X and Mastodon ids are read from the platform when omitted */
      externalId?: string;
      /** @description Platform access token (stored encrypted, never returned) */
      accessToken?: string;
      /** @description Refresh token (stored encrypted, never returned) */
      refreshToken?: string;
      /** Format: date-time */
      tokenExpiresAt?: string;
      /** @description Mastodon: the instance base URL, e.g. https://mastodon.social */
      instanceUrl?: string;
      /** @description Webhook: a public http(s) URL you own */
      webhookUrl?: string;
    };
    CreatePostDto: {
      /** Format: uuid */
      imageId: string;
      /** Format: uuid */
      socialAccountId: string;
      /** @default  */
      caption: string;
      /** @description Tags with or without # */
      hashtags?: string[];
      /**
       * Format: date-time
       * @description Omitted: publish now
       */
      scheduledAt?: string;
    };
    PostDto: {
      id: string;
      imageId: string;
      socialAccountId: string;
      /** @enum {string} */
      platform?: 'instagram' | 'facebook' | 'x' | 'mastodon' | 'linkedin' | 'webhook';
      caption: string;
      hashtags: string[];
      /** Format: date-time */
      scheduledAt: string;
      /** @enum {string} */
      status: 'scheduled' | 'publishing' | 'published' | 'failed' | 'cancelled';
      attempts: number;
      externalId: string | null;
      externalUrl: string | null;
      errorCode: string | null;
      errorMessage: string | null;
      /** Format: date-time */
      publishedAt: string | null;
      scheduleId: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    PostPageDto: {
      items: components['schemas']['PostDto'][];
      nextCursor: string | null;
    };
    PostStatsDayDto: {
      /**
       * Format: date
       * @example 2026-12-01
       */
      date: string;
      published: number;
      failed: number;
    };
    PostStatsDto: {
      /** @description Posts per status */
      byStatus: {
        [key: string]: unknown;
      };
      /** @description Posts per platform, split by status */
      byPlatform: {
        [key: string]: unknown;
      };
      /** @description Published and failed posts per UTC day over the last 30 days */
      perDay: components['schemas']['PostStatsDayDto'][];
      /** @description published / (published + failed), null without any */
      successRate: number | null;
    };
    UpdatePostDto: {
      caption?: string;
      hashtags?: string[];
      /** Format: date-time */
      scheduledAt?: string;
    };
    PostAnalyticsDto: {
      postId: string;
      likes: number | null;
      comments: number | null;
      shares: number | null;
      impressions: number | null;
      reach: number | null;
      /**
       * Format: date-time
       * @description null: never fetched
       */
      fetchedAt: string | null;
    };
    ScheduleDto: {
      id: string;
      name: string;
      socialAccountId: string;
      /** @enum {string} */
      frequency: 'daily' | 'weekly' | 'monthly' | 'cron';
      timeOfDay: string | null;
      daysOfWeek: number[] | null;
      dayOfMonth: number | null;
      cron: string | null;
      timeZone: string;
      folderId: string | null;
      tag: string | null;
      captionTemplate: string;
      hashtags: string[];
      active: boolean;
      /** Format: date-time */
      nextRunAt: string | null;
      /** Format: date-time */
      lastRunAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    SchedulePageDto: {
      items: components['schemas']['ScheduleDto'][];
      nextCursor: string | null;
    };
    CreateScheduleDto: {
      name: string;
      /** Format: uuid */
      socialAccountId: string;
      /** @enum {string} */
      frequency: 'daily' | 'weekly' | 'monthly' | 'cron';
      /**
       * @description Local time HH:mm (daily, weekly, monthly)
       * @example 09:00
       */
      timeOfDay?: string;
      /** @description Weekly: 0 = Sunday … 6 = Saturday */
      daysOfWeek?: number[];
      /** @description Monthly; shorter months use their last day */
      dayOfMonth?: number;
      /**
       * @description Cron: five fields or @daily…
       * @example 0 9 * * 1-5
       */
      cron?: string;
      /** @example Europe/Paris */
      timeZone: string;
      /**
       * Format: uuid
       * @description Take images from this folder
       */
      folderId?: string;
      /** @description Take images with this tag */
      tag?: string;
      /**
       * @description Placeholders {title}, {prompt}, {date}
       * @example {title} — {date}
       */
      captionTemplate?: string;
      hashtags?: string[];
      /** @default true */
      active: boolean;
    };
    UpdateScheduleDto: {
      name?: string;
      /** @enum {string} */
      frequency?: 'daily' | 'weekly' | 'monthly' | 'cron';
      /**
       * @description Local time HH:mm (daily, weekly, monthly)
       * @example 09:00
       */
      timeOfDay?: string;
      /** @description Weekly: 0 = Sunday … 6 = Saturday */
      daysOfWeek?: number[];
      /** @description Monthly; shorter months use their last day */
      dayOfMonth?: number;
      /**
       * @description Cron: five fields or @daily…
       * @example 0 9 * * 1-5
       */
      cron?: string;
      /** @example Europe/Paris */
      timeZone?: string;
      /**
       * Format: uuid
       * @description Take images from this folder
       */
      folderId?: string;
      /** @description Take images with this tag */
      tag?: string;
      /**
       * @description Placeholders {title}, {prompt}, {date}
       * @example {title} — {date}
       */
      captionTemplate?: string;
      hashtags?: string[];
      /** @default true */
      active: boolean;
    };
    ScheduleRunDto: {
      id: string;
      /** Format: date-time */
      runAt: string;
      /** @enum {string} */
      status: 'posted' | 'skipped' | 'failed';
      postId: string | null;
      reason: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    ScheduleRunPageDto: {
      items: components['schemas']['ScheduleRunDto'][];
      nextCursor: string | null;
    };
    ModelResponse: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @enum {string} */
      provider: 'local' | 'openai' | 'huggingface' | 'comfyui';
      identifier: string;
      type: string;
      description: string;
      parameterDefinitions: {
        [key: string]: unknown;
      };
      active: boolean;
      createdAt: string;
      updatedAt: string;
    };
    ModelPage: {
      items: components['schemas']['ModelResponse'][];
      nextCursor: string | null;
    };
    CreateModelDto: {
      /** @example SDXL base 1.0 */
      name: string;
      /** @enum {string} */
      provider: 'local' | 'openai' | 'huggingface' | 'comfyui';
      /**
       * @description Checkpoint name or API model id
       * @example sd_xl_base_1.0.safetensors
       */
      identifier: string;
      /**
       * @default checkpoint
       * @example checkpoint
       */
      type: string;
      description?: string;
      /**
       * @description The model's own values, merged into the values of workflows that run on it
       * @example {
       *       "ckpt_name": "sd_xl_base_1.0.safetensors"
       *     }
       */
      parameterDefinitions?: {
        [key: string]: unknown;
      };
      /** @default true */
      active: boolean;
    };
    UpdateModelDto: {
      /** @example SDXL base 1.0 */
      name?: string;
      /** @enum {string} */
      provider?: 'local' | 'openai' | 'huggingface' | 'comfyui';
      /**
       * @description Checkpoint name or API model id
       * @example sd_xl_base_1.0.safetensors
       */
      identifier?: string;
      /**
       * @default checkpoint
       * @example checkpoint
       */
      type: string;
      description?: string;
      /**
       * @description The model's own values, merged into the values of workflows that run on it
       * @example {
       *       "ckpt_name": "sd_xl_base_1.0.safetensors"
       *     }
       */
      parameterDefinitions?: {
        [key: string]: unknown;
      };
      /** @default true */
      active: boolean;
    };
    WorkflowModelRef: {
      /** Format: uuid */
      id: string;
      name: string;
    };
    WorkflowResponse: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      type: string;
      model: components['schemas']['WorkflowModelRef'] | null;
      createdAt: string;
      segment: string | null;
      parameterDefinitions: Record<string, never>[];
      /** @description Administrators only */
      graph?: {
        [key: string]: unknown;
      };
      active: boolean;
      updatedAt: string;
    };
    WorkflowPage: {
      items: components['schemas']['WorkflowResponse'][];
      nextCursor: string | null;
    };
    WorkflowSummaryResponse: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      type: string;
      model: components['schemas']['WorkflowModelRef'] | null;
      createdAt: string;
    };
    WorkflowSummaryPage: {
      items: components['schemas']['WorkflowSummaryResponse'][];
      nextCursor: string | null;
    };
    CreateWorkflowDto: {
      /** @example Text to image (SDXL) */
      name: string;
      description?: string;
      /** @example txt2img */
      type: string;
      /** @example portrait */
      segment?: string | null;
      /** Format: uuid */
      modelId?: string | null;
      /** @description ComfyUI API-format graph with {{placeholders}} */
      graph: {
        [key: string]: unknown;
      };
      /** @description Typed parameters: name, type, default, required, min, max… */
      parameterDefinitions: Record<string, never>[];
      /** @default true */
      active: boolean;
    };
    UpdateWorkflowDto: {
      /** @example Text to image (SDXL) */
      name?: string;
      description?: string;
      /** @example txt2img */
      type?: string;
      /** @example portrait */
      segment?: string | null;
      /** Format: uuid */
      modelId?: string | null;
      /** @description ComfyUI API-format graph with {{placeholders}} */
      graph?: {
        [key: string]: unknown;
      };
      /** @description Typed parameters: name, type, default, required, min, max… */
      parameterDefinitions?: Record<string, never>[];
      /** @default true */
      active: boolean;
    };
    PlanModelsDto: {
      /** @description Replaces the plan’s models */
      modelIds: string[];
    };
    PlanWorkflowsDto: {
      /** @description Replaces the plan’s workflows */
      workflowIds: string[];
    };
    LiveResponse: {
      /** @enum {string} */
      status: 'ok';
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  HealthController_ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The Health Check is successful */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @example ok */
            status?: string;
            /**
             * @example {
             *       "database": {
             *         "status": "up"
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                status: string;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /** @example {} */
            error?: {
              [key: string]: {
                status: string;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up"
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                status: string;
              } & {
                [key: string]: unknown;
              };
            };
          };
        };
      };
      /** @description The Health Check is not successful */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @example error */
            status?: string;
            /**
             * @example {
             *       "database": {
             *         "status": "up"
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                status: string;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect"
             *       }
             *     }
             */
            error?: {
              [key: string]: {
                status: string;
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up"
             *       },
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect"
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                status: string;
              } & {
                [key: string]: unknown;
              };
            };
          };
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AuthController_register: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RegisterDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/me */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PublicUserDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_taken or username_taken */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description rate_limited (see Retry-After) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AccountPagesController_verifyEmail: {
    parameters: {
      query: {
        /** @description The token from the link in the mail */
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The address is confirmed; a small HTML page says so */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AuthController_verifyEmail: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TokenDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PublicUserDto'];
        };
      };
      /** @description invalid_or_expired_token */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description rate_limited (see Retry-After) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AuthController_resendVerification: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['EmailDto'];
      };
    };
    responses: {
      /** @description Always, whether or not the account exists */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description rate_limited (see Retry-After) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AuthController_login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LoginDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LoginResponseDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description invalid_credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description rate_limited (see Retry-After) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AuthController_refresh: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RefreshDto'];
      };
    };
    responses: {
      /** @description A new pair; the presented refresh token is spent */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TokenPairDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description invalid_refresh_token, or refresh_token_reused (session revoked) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description rate_limited (see Retry-After) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AuthController_logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RefreshDto'];
      };
    };
    responses: {
      /** @description The session of this refresh token is revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description rate_limited (see Retry-After) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AccountPagesController_resetPasswordForm: {
    parameters: {
      query: {
        /** @description The token from the link in the mail */
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A form that sets a new password through POST auth/password/reset */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PasswordController_reset: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ResetPasswordDto'];
      };
    };
    responses: {
      /** @description Password set; every session is revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description invalid_or_expired_token or validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PasswordController_forgot: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['EmailDto'];
      };
    };
    responses: {
      /** @description Always, whether or not the account exists */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description rate_limited (see Retry-After) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PasswordController_change: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ChangePasswordDto'];
      };
    };
    responses: {
      /** @description Password changed; every other session is revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description wrong_password or validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  MeController_get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PublicUserDto'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  MeController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['DeleteMeDto'];
      };
    };
    responses: {
      /** @description Account anonymised and every session revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description wrong_password */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  MeController_update: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateMeDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PublicUserDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  MeController_putAvatar: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /** Format: binary */
          file?: Blob;
        };
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PublicUserDto'];
        };
      };
      /** @description file_required or invalid_image */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  MeController_getAvatar: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The 256 px webp avatar */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'image/webp': Blob;
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  MeController_quota: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['QuotaReportDto'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlansController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Active plans, cheapest first (one page: there are few) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanList'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlansController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreatePlanDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/plans/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description plan_slug_taken */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlansController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description plan_in_use: the default plan or one with users (deactivate it instead) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlansController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdatePlanDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlansController_assign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AssignPlanDto'];
      };
    };
    responses: {
      /** @description The plan the user is now on (audited, as PATCH admin/users/{id}) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  FiefWebhookController_receive: {
    parameters: {
      query?: never;
      header: {
        /** @description hex HMAC-SHA256 of "{timestamp}.{body}" */
        'x-fief-webhook-signature': string;
        /** @description Unix seconds; at most 5 minutes off */
        'x-fief-webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FiefWebhookResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description invalid_signature or stale_signature */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AdminUsersController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
        /** @description Part of the email or username (case-insensitive) */
        q?: string;
        role?: 'user' | 'admin';
        planId?: string;
        status?: 'active' | 'deactivated';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AdminUserPage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /**
       * @description admin_only: the caller is not an administrator
       *
       *     admin_only
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AdminUsersController_detail: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AdminUserDetailDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /**
       * @description admin_only: the caller is not an administrator
       *
       *     admin_only
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description user_not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AdminUsersController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Erased as DELETE /me does; sessions revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /**
       * @description admin_only: the caller is not an administrator
       *
       *     admin_only
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_self_change */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AdminUsersController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateUserByAdminDto'];
      };
    };
    responses: {
      /** @description A role change ends the user’s sessions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AdminUserDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /**
       * @description admin_only: the caller is not an administrator
       *
       *     admin_only
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description user_not_found or plan_not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_self_change: an administrator’s own role */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AdminUsersController_deactivate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Sign-in refused (account_deactivated), sessions ended */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AdminUserDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /**
       * @description admin_only: the caller is not an administrator
       *
       *     admin_only
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_self_change */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AdminUsersController_reactivate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AdminUserDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /**
       * @description admin_only: the caller is not an administrator
       *
       *     admin_only
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  AdminAuditController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
        /** @description Only actions on this user */
        targetUserId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Administrator actions, newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditPage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /**
       * @description admin_only
       *
       *     admin_only
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  FilesController_download: {
    parameters: {
      query: {
        /** @description Expiry, unix seconds */
        expires: string;
        /** @description HMAC signature */
        sig: string;
        /** @description Download filename (part of the signature) */
        download?: string;
      };
      header?: never;
      path: {
        /** @description The storage key, as in the signed URL */
        path: unknown;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': Blob;
        };
      };
      /** @description If-None-Match names the current ETag */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Signature invalid or expired */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImagesController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
        status?: 'pending' | 'generating' | 'generated' | 'validated' | 'rejected' | 'failed';
        source?: 'upload' | 'generated' | 'edited' | 'styled' | 'workflow';
        folderId?: string;
        /** @description Only images with this tag (normalised) */
        tag?: string;
        /** @description Only images you favorited */
        favorite?: boolean;
        /** @description Words that must all appear in the title, prompt or tags */
        q?: string;
        createdFrom?: string;
        createdTo?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImagePage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImagesController_upload: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': components['schemas']['UploadImageDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/images/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImagesController_getStats: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageStatsResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImagesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImagesController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImagesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateImageDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImagesController_getContent: {
    parameters: {
      query?: {
        variant?: 'original' | 'thumbnail';
        /** @description 1 or true: send as an attachment and count a download */
        download?: boolean;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The image (local storage) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'image/png': Blob;
          'image/jpeg': Blob;
          'image/webp': Blob;
          'image/gif': Blob;
        };
      };
      /** @description Redirect to a short-lived signed URL (S3 storage) */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description If-None-Match names the current ETag */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImageActionsController_share: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImageActionsController_unshare: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImageActionsController_validate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ValidateImageDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImageActionsController_favorite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FavoriteStateResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImageActionsController_unfavorite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FavoriteStateResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ImageActionsController_rate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RateImageDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RatingStateResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  FoldersController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FolderPage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  FoldersController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FolderNameDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/folders/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FolderResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  FoldersController_getByName: {
    parameters: {
      query: {
        name: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FolderResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  FoldersController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FolderResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  FoldersController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  FoldersController_rename: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FolderNameDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FolderResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  GalleryController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
        /** @description Words that must all appear in the title, prompt or tags */
        q?: string;
        tag?: string;
        styleId?: string;
        sort?: 'recent' | 'popular';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GalleryPage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  GalleryController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PublicImageResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  GalleryController_listTags: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TagList'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylesController_categories: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleCategoryList'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_createCategory: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateStyleCategoryDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/styles/categories/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleCategoryResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylesController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
        /** @description Category slug or id */
        category?: string;
        /** @description Words in the name or description */
        q?: string;
        premium?: boolean;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StylePage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_createStyle: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateStyleDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/styles/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylesController_popular: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Top styles of the last 30 days */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PopularStyleList'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The style id or its slug */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_deleteStyle: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_updateStyle: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateStyleDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylesController_examples: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The style id or its slug */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleExampleList'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_createExample: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateStyleExampleDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/styles/:styleId/examples/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleExampleResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylesController_favorite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The style is among your favourites */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylesController_unfavorite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The style is no longer among your favourites */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylesController_rate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RateStyleDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleRatingResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_deleteCategory: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_updateCategory: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateStyleCategoryDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleCategoryResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_deleteExample: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        exampleId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StyleAdminController_updateExample: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        exampleId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateStyleExampleDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StyleExampleResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  StylePreferencesController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
        /** @description Only favourites (true) or only non-favourites (false) */
        favorite?: boolean;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Favourite and used styles, latest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StylePreferencePage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ModerationAdminController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageModerationResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ModerationAdminController_override: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ModerationOverrideDto'];
      };
    };
    responses: {
      /** @description The verdict now in force, with the audit trail */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImageModerationResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  JobsController_webhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Verifies the signatures of your job webhooks */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobWebhookSecretResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  JobsController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
        status?: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
        type?: 'generate' | 'edit' | 'style_transfer' | 'workflow';
        provider?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobPage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  JobsController_submit: {
    parameters: {
      query?: never;
      header?: {
        /** @description RFC 7240 `wait=N`: hold the answer up to N seconds (at most 60; `wait` alone is the most) for the job to end; `Preference-Applied` echoes it */
        Prefer?: string;
        /** @description Same key, same user → the same job */
        'idempotency-key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateJobDto'];
      };
    };
    responses: {
      /** @description The job an earlier request with this Idempotency-Key made */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobResponse'];
        };
      };
      /** @description With Prefer: wait, the job ended in time: its final state and result images */
      201: {
        headers: {
          /** @description /api/v1/jobs/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDetailResponse'];
        };
      };
      /** @description Accepted */
      202: {
        headers: {
          /** @description /api/v1/jobs/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  JobsController_detail: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDetailResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description job_not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  JobsController_cancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Cancelled; 409 job_already_finished when it had ended */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  JobsController_retry: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted */
      202: {
        headers: {
          /** @description /api/v1/jobs/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  JobEventsController_events: {
    parameters: {
      query?: {
        /** @description The access token, for clients that cannot send an Authorization header (EventSource) */
        access_token?: unknown;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Server-Sent Events (`id` = event seq, `event` = type, `data` = the JSON event): queued, started, progress, preview, retrying, then completed | failed | cancelled, after which the stream ends. A finished job replays its events and ends; reconnecting with `Last-Event-ID` resumes after that event. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description The job is finished and the client has seen its final event (`Last-Event-ID`), or its events were pruned: nothing more will come, so an EventSource stops reconnecting. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description job_not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ProvidersController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProviderList'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  TemplatesController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateList'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  TemplatesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTemplateDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/templates/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  TemplatesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  TemplatesController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  TemplatesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateTemplateDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  MeStatsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MeStatsResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SocialAccountsController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SocialAccountPageDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SocialAccountsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateSocialAccountDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/social-accounts/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedSocialAccountDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SocialAccountsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SocialAccountDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SocialAccountsController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SocialAccountsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateSocialAccountDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SocialAccountDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SocialAccountsController_verify: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SocialAccountDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
        status?: 'scheduled' | 'publishing' | 'published' | 'failed' | 'cancelled';
        platform?: 'instagram' | 'facebook' | 'x' | 'mastodon' | 'linkedin' | 'webhook';
        /** @description scheduledAt ≥ from */
        from?: string;
        /** @description scheduledAt < to */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostPageDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_create: {
    parameters: {
      query?: never;
      header?: {
        /** @description Repeating a request with the same key returns the first post */
        'idempotency-key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreatePostDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/posts/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_stats: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostStatsDto'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdatePostDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_cancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_publishNow: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostsController_retry: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostAnalyticsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostAnalyticsDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PostAnalyticsController_sync: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PostAnalyticsDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token, or the account is gone */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description email_not_verified */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SchedulesController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SchedulePageDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SchedulesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateScheduleDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/schedules/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SchedulesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SchedulesController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SchedulesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateScheduleDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SchedulesController_pause: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SchedulesController_resume: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  SchedulesController_runs: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleRunPageDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ModelsController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The models the caller's plan allows (all, for admins) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelPage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ModelsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateModelDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/models/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ModelsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ModelsController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  ModelsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateModelDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  WorkflowsController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workflows the caller's plan allows (all, for admins) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowPage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  WorkflowsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateWorkflowDto'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description /api/v1/workflows/:id */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  WorkflowsController_simplified: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque cursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description id, name, description, type, model, created */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowSummaryPage'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  WorkflowsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  WorkflowsController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  WorkflowsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateWorkflowDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowResponse'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlanLinksController_models: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanModelsDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlanLinksController_setModels: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PlanModelsDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanModelsDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlanLinksController_workflows: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanWorkflowsDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  PlanLinksController_setWorkflows: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PlanWorkflowsDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanWorkflowsDto'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description No valid token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description admin_only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Payload Too Large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
  HealthController_live: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LiveResponse'];
        };
      };
      /** @description Any other error */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ProblemResponse'];
        };
      };
    };
  };
}
