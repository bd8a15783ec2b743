package dev.verist.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

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
        String path = request.getServletPath();
        String name = ERROR_PAGE.equals(path) ? ERROR_PAGE : PAGE;
        response.setHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("text/html;charset=UTF-8");
        try (InputStream in = SignInPages.class.getResourceAsStream("assets" + name)) {
            in.transferTo(response.getOutputStream());
        }
    }
}
