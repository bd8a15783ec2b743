package dev.verist.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The sign-in pages for a FORM {@code login-config}: {@value #PAGE} and {@value #ERROR_PAGE}, open to everyone.
 * Served by a servlet of exact mappings, so that they are found even when the application maps {@code /*} (a
 * JAX-RS application at the root, say).
 */
final class SignInPages extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The form-login-page path. */
    static final String PAGE = "/verist-login.html";
    /** The form-error-page path. */
    static final String ERROR_PAGE = "/verist-login-error.html";

    private static final String FAILED_MARKER = "<!--sign-in-failed-->";
    private static final String FORM = form();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page(request, response);
    }

    // The container forwards the POST of a failed sign-in to the error page.
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page(request, response);
    }

    private static void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String html = ERROR_PAGE.equals(request.getServletPath())
                ? FORM.replace(FAILED_MARKER, "<p id=\"login-failed\" role=\"alert\">Wrong user or password: try again.</p>")
                : FORM;
        response.setHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/html;charset=UTF-8");
        response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
    }

    private static String form() {
        try (InputStream in = SignInPages.class.getResourceAsStream("assets/verist-login.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("The console's sign-in page is missing from its jar", e);
        }
    }
}
