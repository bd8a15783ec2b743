package dev.verist.it.payara.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.FormAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.LoginToContinue;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Map;
import java.util.Set;

/**
 * The console suite's users, through Jakarta Security: FORM login on the console's sign-in pages, and two users,
 * {@code operator} in the group {@code verist-operator} (mapped to the role of that name in payara-web.xml) and
 * {@code auditor}, who signs in but holds no console role. A real application uses its own identity store or the
 * server's realm instead.
 */
@ApplicationScoped
@FormAuthenticationMechanismDefinition(loginToContinue = @LoginToContinue(
        loginPage = "/verist-login.html", errorPage = "/verist-login-error.html"))
public class ConsoleUsers implements IdentityStore {

    private static final Map<String, Set<String>> GROUPS = Map.of(
            "operator", Set.of("verist-operator"),
            "auditor", Set.of("auditor"));

    /** Valid when the password is the user's name, for the two users above only. */
    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        Set<String> groups = GROUPS.get(credential.getCaller());
        if (groups == null || !credential.compareTo(credential.getCaller(), credential.getCaller())) {
            return CredentialValidationResult.INVALID_RESULT;
        }
        return new CredentialValidationResult(credential.getCaller(), groups);
    }
}
