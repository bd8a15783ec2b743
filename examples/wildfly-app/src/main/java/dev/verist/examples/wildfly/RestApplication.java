package dev.verist.examples.wildfly;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** JAX-RS at the context root ("/", see jboss-web.xml): /runs/..., /outbox/... */
@ApplicationPath("/")
public class RestApplication extends Application {
}
