package io.ffmpegoperator.bridge;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Puts the API key check and the body cap in front of each resource method. Deciding per method,
 * from the resource classes themselves, rather than by matching request paths, means no spelling of
 * a path (trailing slash, encoded characters) can reach a method without its checks.
 */
final class RequestPolicyFeature implements DynamicFeature {
  private final BridgeConfig config;

  RequestPolicyFeature(BridgeConfig config) {
    this.config = config;
  }

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    if (!config.apiKeys().isEmpty() && !isOpen(resource.getResourceClass())) {
      context.register(new ApiKeyFilter(config.apiKeys()), Priorities.AUTHENTICATION);
    }
    // After the key check: a client without a key learns nothing from the size of its body.
    boolean upload = resource.getResourceMethod().isAnnotationPresent(FileUpload.class);
    context.register(
        new BodyLimitFilter(upload ? config.maxUploadBytes() : config.maxJsonBodyBytes(), upload),
        Priorities.ENTITY_CODER);
  }

  static boolean isOpen(Class<?> resourceClass) {
    return resourceClass.isAnnotationPresent(OpenAccess.class);
  }
}
