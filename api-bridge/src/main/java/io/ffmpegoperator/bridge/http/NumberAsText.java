package io.ffmpegoperator.bridge.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a string component of a request record, or one whose maps and lists hold strings, that also
 * takes a JSON number where a string belongs, as its text: a client that sends a time as {@code
 * 5000} means {@code "5000"}, and one that sends a CPU limit as {@code 2} means {@code "2"}.
 * Pydantic would refuse the number; the bridge has always taken it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface NumberAsText {}
