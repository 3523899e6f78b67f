import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The assets `/docs` needs, served from the swagger-ui-dist package so the page works offline. The
 * package is imported on the first asset request: its index loads the whole Swagger UI bundle, about
 * 400 ms of a cold start otherwise.
 */
const assets: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const cache = new Map<string, Uint8Array>();

export async function docsAsset(name: string): Promise<{ body: Uint8Array; contentType: string } | null> {
  const contentType = assets[name];
  if (!contentType) return null;
  let body = cache.get(name);
  if (!body) {
    const { default: swaggerUi } = await import("swagger-ui-dist");
    body = new Uint8Array(await readFile(join(swaggerUi.getAbsoluteFSPath(), name)));
    cache.set(name, body);
  }
  return { body, contentType };
}

/** URLs are relative so the page works behind a stage prefix or custom domain. */
export const docsHtml = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Users service API</title>
  <link rel="icon" href="docs/favicon-32x32.png">
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#docs", deepLinking: true });
  </script>
</body>
</html>`;

/** The same page served at `/docs/`, whose relative URLs resolve one level down. */
export const docsHtmlAtSlash = docsHtml.replaceAll('"docs/', '"').replace('url: "openapi.json"', 'url: "../openapi.json"');
