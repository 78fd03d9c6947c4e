package io.ffmpegoperator.bridge.docs;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.OpenAccess;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The API's documentation: the OpenAPI JSON, Swagger UI at /docs and ReDoc at /redoc, like FastAPI.
 * The UIs' scripts come from webjars on the classpath, because the bridge may run where there is no
 * internet.
 */
@OpenAccess
@Hidden
@Singleton
@Path("/")
public final class DocsResource {
  private static final String WEBJARS = "META-INF/resources/webjars/";
  // Asset names are a single path segment: nothing can climb out of a webjar's folder.
  private static final String ASSET_NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";
  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "png", "image/png",
          "map", "application/json",
          "html", "text/html; charset=utf-8");
  private static final CacheControl ASSET_CACHE = CacheControl.valueOf("public, max-age=86400");

  private final String openApiJson;
  // UI library name in /static/{lib}/ -> its folder on the classpath.
  private final Map<String, String> assetRoots;

  @Inject
  public DocsResource(OpenApiDocument document) {
    this.openApiJson = document.json();
    this.assetRoots =
        Map.of(
            "swagger-ui",
            WEBJARS + "swagger-ui/" + webjarVersion("org.webjars", "swagger-ui") + "/",
            "redoc",
            WEBJARS + "redoc/" + webjarVersion("org.webjars.npm", "redoc") + "/bundles/");
  }

  @GET
  @Path("openapi.json")
  public Response openApi() {
    return Response.ok(openApiJson, MediaType.APPLICATION_JSON_TYPE).build();
  }

  @GET
  @Path("docs")
  public Response swaggerUi() {
    // Links are relative so the page also works behind a proxy that adds a path prefix.
    String html =
        """
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <link type="text/css" rel="stylesheet" href="static/swagger-ui/swagger-ui.css">
        <link rel="shortcut icon" href="static/swagger-ui/favicon-32x32.png">
        <title>%s - Swagger UI</title>
        </head>
        <body>
        <div id="swagger-ui"></div>
        <script src="static/swagger-ui/swagger-ui-bundle.js"></script>
        <script>
        const ui = SwaggerUIBundle({
            url: 'openapi.json',
            dom_id: '#swagger-ui',
            layout: 'BaseLayout',
            deepLinking: true,
            showExtensions: true,
            showCommonExtensions: true,
            presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
        })
        </script>
        </body>
        </html>
        """
            .formatted(OpenApiDocument.TITLE);
    return html(html);
  }

  @GET
  @Path("redoc")
  public Response redoc() {
    String html =
        """
        <!DOCTYPE html>
        <html>
        <head>
        <title>%s - ReDoc</title>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body { margin: 0; padding: 0; }</style>
        </head>
        <body>
        <noscript>ReDoc requires Javascript to function. Please enable it to browse the documentation.</noscript>
        <redoc spec-url="openapi.json"></redoc>
        <script src="static/redoc/redoc.standalone.js"></script>
        </body>
        </html>
        """
            .formatted(OpenApiDocument.TITLE);
    return html(html);
  }

  @GET
  @Path("static/{lib}/{file: " + ASSET_NAME + "}")
  public Response asset(@PathParam("lib") String lib, @PathParam("file") String file) {
    String root = assetRoots.get(lib);
    String type = CONTENT_TYPES.get(extension(file));
    InputStream content =
        root == null || type == null
            ? null
            : DocsResource.class.getClassLoader().getResourceAsStream(root + file);
    if (content == null) {
      throw ApiException.detail(404, "Not Found");
    }
    return Response.ok(content, type).cacheControl(ASSET_CACHE).build();
  }

  private static Response html(String html) {
    return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).build();
  }

  private static String extension(String file) {
    int dot = file.lastIndexOf('.');
    return dot < 0 ? "" : file.substring(dot + 1);
  }

  // Webjars put their version in the folder name; read it rather than repeat it here.
  private static String webjarVersion(String groupId, String artifactId) {
    String path = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = DocsResource.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("webjar " + groupId + ":" + artifactId + " is missing");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
