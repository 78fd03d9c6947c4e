package io.ffmpegoperator.bridge.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class anyone may call without an API key: the health and readiness checks
 * (probes and load balancers carry no key), the Prometheus metrics (neither do scrapers) and the
 * API documentation. Every other resource requires a key, so a new one is protected unless it says
 * otherwise.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OpenAccess {}
