package io.ffmpegoperator.bridge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The bridge's own Jackson mapper: nulls are written (the seed always sends every key) and no
 * module or global setting of another library can change the wire format.
 */
@Provider
public final class JsonMapperProvider implements ContextResolver<ObjectMapper> {
  private final ObjectMapper mapper =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return mapper;
  }
}
