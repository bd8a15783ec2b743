package dev.verist.console;

import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.ServletSecurity;
import java.util.Set;

/**
 * Mounts the console when its jar is in a web application: one servlet under {@value #DEFAULT_PATH} (context
 * parameter {@value #PATH_PARAMETER}) that only users in the role {@value #DEFAULT_ROLE} (context parameter
 * {@value #ROLE_PARAMETER}) reach. The application's {@code login-config} decides how users log in; for FORM
 * login the console's sign-in pages are at {@code /verist-login.html} and {@code /verist-login-error.html}. Setting
 * {@value #ENABLED_PARAMETER} to {@code false} mounts nothing.
 */
public final class ConsoleInitializer implements ServletContainerInitializer {

    /** The context parameter naming the console's path. */
    public static final String PATH_PARAMETER = "dev.verist.console.path";
    /** The context parameter naming the role a user needs. */
    public static final String ROLE_PARAMETER = "dev.verist.console.role";
    /** The context parameter that, set to {@code false}, leaves the console out. */
    public static final String ENABLED_PARAMETER = "dev.verist.console.enabled";
    /** The path the console is under unless configured. */
    public static final String DEFAULT_PATH = "/verist";
    /** The role a console user needs unless configured. */
    public static final String DEFAULT_ROLE = "verist-operator";

    /** For the container's service loader. */
    public ConsoleInitializer() {
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        if ("false".equalsIgnoreCase(context.getInitParameter(ENABLED_PARAMETER))) {
            return;
        }
        String path = path(context.getInitParameter(PATH_PARAMETER));
        String role = role(context.getInitParameter(ROLE_PARAMETER));
        context.declareRoles(role);
        ServletRegistration.Dynamic console = context.addServlet("verist-console", new ConsoleServlet(role));
        console.addMapping(path + "/*");
        // Enforced by the container for every method, before the servlet runs; the servlet checks the role again.
        console.setServletSecurity(new ServletSecurityElement(
                new HttpConstraintElement(ServletSecurity.TransportGuarantee.NONE, role)));
        context.addServlet("verist-console-sign-in", new SignInPages())
                .addMapping(SignInPages.PAGE, SignInPages.ERROR_PAGE);
        context.log("Verist console at " + path + "/ for role " + role);
    }

    // "/ops/verist/" and "ops/verist" both mean "/ops/verist"; the root is refused, it would shadow the application.
    static String path(String configured) {
        if (configured == null || configured.isBlank()) {
            return DEFAULT_PATH;
        }
        String path = configured.strip();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty() || path.contains("*") || path.contains("?") || path.contains("#")) {
            throw new IllegalArgumentException(PATH_PARAMETER + " is '" + configured
                    + "': a path below the application's root, such as /verist, is required");
        }
        return path;
    }

    static String role(String configured) {
        return configured == null || configured.isBlank() ? DEFAULT_ROLE : configured.strip();
    }
}
