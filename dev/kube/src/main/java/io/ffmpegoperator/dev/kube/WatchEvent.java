package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a watch as the API server sends it: {@code {"type":..., "object":...}}. The object
 * is shared between watches and never changed once the event exists.
 */
record WatchEvent(String type, JsonNode object) {
  static final String ADDED = "ADDED";
  static final String MODIFIED = "MODIFIED";
  static final String DELETED = "DELETED";
  static final String BOOKMARK = "BOOKMARK";
  static final String ERROR = "ERROR";
}
