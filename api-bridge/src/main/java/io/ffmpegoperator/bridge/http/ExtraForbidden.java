package io.ffmpegoperator.bridge.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a request record whose body may hold only the record's own fields, as a pydantic model with
 * {@code extra="forbid"} does: each other key is a 422 {@code extra_forbidden} error rather than
 * being dropped.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExtraForbidden {}
