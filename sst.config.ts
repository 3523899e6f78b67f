/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    // SST allows no imports at the top of this file; keep in step with productionStages in infra/stage.ts.
    const production = ["production", "prod"].includes(input?.stage ?? "");
    return {
      name: "users-service",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const { table } = await import("./infra/storage");
    const { bus } = await import("./infra/events");
    await import("./infra/mail");
    await import("./infra/secrets");
    const { avatars, avatarsPublicUrl } = await import("./infra/avatars");
    const { api } = await import("./infra/api");
    const { web } = await import("./infra/web");
    return { api: api.url, table: table.name, bus: bus.name, web: web.url, avatars: avatars.name, avatarsUrl: avatarsPublicUrl };
  },
});
