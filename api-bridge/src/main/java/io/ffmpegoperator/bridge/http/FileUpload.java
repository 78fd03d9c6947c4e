package io.ffmpegoperator.bridge.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that streams a multipart upload to disk: its body is capped by the upload
 * limit rather than by the much smaller JSON limit (see {@link RequestPolicyFeature}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FileUpload {}
