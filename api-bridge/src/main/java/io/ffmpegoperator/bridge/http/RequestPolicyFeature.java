package io.ffmpegoperator.bridge.http;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Puts the API key check and the body cap in front of each resource method. Deciding per method,
 * from the resource classes themselves, rather than by matching request paths, means no spelling of
 * a path (trailing slash, encoded characters) can reach a method without its checks.
 */
public final class RequestPolicyFeature implements DynamicFeature {
  private final ApiKeys apiKeys;
  private final long maxJsonBodyBytes;
  private final long maxUploadBytes;

  /**
   * @param apiKeys the keys every endpoint but the open ones requires; none leaves them all open
   * @param maxJsonBodyBytes the largest body of an endpoint that is not a {@link FileUpload}
   * @param maxUploadBytes the largest body of a {@link FileUpload}
   */
  public RequestPolicyFeature(ApiKeys apiKeys, long maxJsonBodyBytes, long maxUploadBytes) {
    this.apiKeys = apiKeys;
    this.maxJsonBodyBytes = maxJsonBodyBytes;
    this.maxUploadBytes = maxUploadBytes;
  }

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    if (!apiKeys.isEmpty() && !isOpen(resource.getResourceClass())) {
      context.register(new ApiKeyFilter(apiKeys), Priorities.AUTHENTICATION);
    }
    // After the key check: a client without a key learns nothing from the size of its body.
    boolean upload = resource.getResourceMethod().isAnnotationPresent(FileUpload.class);
    context.register(
        new BodyLimitFilter(upload ? maxUploadBytes : maxJsonBodyBytes, upload),
        Priorities.ENTITY_CODER);
  }

  /** Whether anyone may call the resource class without an API key. */
  public static boolean isOpen(Class<?> resourceClass) {
    return resourceClass.isAnnotationPresent(OpenAccess.class);
  }
}
