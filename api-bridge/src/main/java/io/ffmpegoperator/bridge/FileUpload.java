package io.ffmpegoperator.bridge;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that streams a multipart upload to disk: its body is capped by {@link
 * BridgeConfig#maxUploadBytes()} rather than by the much smaller JSON limit.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface FileUpload {}
