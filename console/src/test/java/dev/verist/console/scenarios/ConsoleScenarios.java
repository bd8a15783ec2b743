package dev.verist.console.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.LlmTrace;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.RetryPolicy;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a browser (Debian's headless Chromium through Selenium), on every server it is tested
 * on: a subclass deploys a WAR with the console jar under {@code /verist/}, FORM login with the console's sign-in
 * pages and two users, {@code operator} (password {@code operator}, in the role {@code verist-operator}) and
 * {@code auditor} (password {@code auditor}, not in it). Data is committed and checked from outside through a Java
 * SE store on the application's schema. The pages' screenshots land in the directory the system property
 * {@code console.screenshots} names.
 */
public abstract class ConsoleScenarios {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static WebDriver browser;
    private static PgRunStore store;

    /** The deployed application's root URL. */
    protected abstract URL application();

    /** The application's database, reached from outside the server, in the schema its store works in. */
    protected abstract DataSource database();

    /** The console jar for a subclass's WAR: the file the system property {@code console.jar} names. */
    protected static File consoleJar() {
        File jar = new File(Objects.requireNonNull(System.getProperty("console.jar"), "system property console.jar"));
        if (!jar.isFile()) {
            throw new IllegalStateException("No console jar at " + jar + ": run the build through Maven (mvn verify)");
        }
        return jar;
    }

    @BeforeAll
    static void openBrowser() {
        browser = chromium();
    }

    @BeforeEach
    void openStore() {
        if (store == null) {
            store = PgRunStore.create(database());
        }
    }

    @AfterAll
    static void closeBrowserAndStore() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    // ------------------------------------------------------------------------------------------ inbox

    @Test
    void theInboxListsAReviewATestCommittedWithItsReasonPayloadAndEffectiveState() throws IOException {
        String run = review("needs a look", Map.of("amount", 120));

        WebElement card = inboxCard(run);

        assertThat(card.findElement(By.className("reason")).getText()).isEqualTo("needs a look");
        assertThat(card.getText()).contains("\"amount\": 120").contains("\"checked\": true");
        screenshot("console-inbox.png");
    }

    @Test
    void approvingAReviewReleasesItsDeferredCommandsAndRecordsWhoApproved() {
        String run = review("approve me", Map.of());

        inboxCard(run).findElement(By.className("approve")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.findElements(runCard(run)).isEmpty());

        assertThat(store.getBlock("console", run)).isEmpty();
        assertThat(store.outbox("console", run, null, 10)).extracting(OutboxEntry::status)
                .containsExactly(OutboxStatus.PENDING);
        List<StoredEvent> events = store.events("console", run);
        assertThat(events.get(events.size() - 1)).satisfies(e -> {
            assertThat(e.type()).isEqualTo(PgRunStore.BLOCK_RESOLVED_EVENT);
            assertThat(e.payload()).containsEntry("resolvedBy", "operator")
                    .containsEntry("resolution", Map.of("approved", true));
        });
        open("verist/#/run?workflowId=console&runId=" + run);
        assertThat(waitFor(By.cssSelector("#blocks .resolved-block")).getText()).contains("approve me")
                .contains("resolved").contains("\"approved\": true");
    }

    @Test
    void aResumeWithInvalidJsonShowsTheErrorAndChangesNothing() {
        String run = suspend();

        WebElement error = resumeRefused(run, "{not json");

        assertThat(error.getText()).startsWith("resumeData: is not valid JSON");
        assertSuspendStillWaits(run);
    }

    @Test
    void aPayloadWithMarkupRendersAsText() {
        String markup = "<script>document.title='owned'</script><img src=x onerror=alert(1)>";
        String run = review("<b>bold?</b>", Map.of("note", markup));

        WebElement card = inboxCard(run);

        assertThat(card.findElement(By.className("reason")).getText()).isEqualTo("<b>bold?</b>");
        assertThat(card.getText()).contains(markup);
        assertThat(card.findElements(By.tagName("script"))).isEmpty();
        assertThat(card.findElements(By.tagName("img"))).isEmpty();
        assertThat(card.findElements(By.tagName("b"))).isEmpty();
        assertThat(browser.getTitle()).isEqualTo("Verist console");
    }

    @Test
    void theInboxPagesOlderBlocksAfterFiftyAndLeadsBackToTheNewest() {
        String workflow = "console-paging-" + UUID.randomUUID();
        for (int i = 1; i <= 51; i++) {
            store.commit(Commit.builder(workflow, "r" + i, "check").command(Command.review("page " + i)).build());
        }

        open("verist/#/inbox?workflowId=" + workflow);
        assertThat(waitFor(By.cssSelector("article.block[data-run='" + workflow + "/r51']"))).isNotNull();
        assertThat(browser.findElements(By.cssSelector("article.block"))).hasSize(50);
        browser.findElement(By.className("next-page")).click();

        waitFor(By.cssSelector("article.block[data-run='" + workflow + "/r1']"));
        assertThat(browser.findElements(By.cssSelector("article.block"))).hasSize(1);
        assertThat(browser.findElements(By.className("next-page"))).isEmpty();
        browser.findElement(By.className("first-page")).click();
        waitFor(By.cssSelector("article.block[data-run='" + workflow + "/r51']"));
    }

    @Test
    void everyPageFitsAPhonesWidthWithoutScrollingSideways() {
        review("a long reason that has to wrap on a small screen " + "x".repeat(120), Map.of("k", "v".repeat(200)));
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String page : List.of("verist/#/inbox", "verist/#/outbox")) {
                open(page);
                waitFor(By.cssSelector("main h2"));
                Number overflow = (Number) ((JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(overflow.intValue()).as(page + " at 390 px").isLessThanOrEqualTo(0);
            }
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    // ------------------------------------------------------------------------------------------ run, outbox

    @Test
    void theRunPageShowsStateTrailAndOutboxAndSetsAnOverlayKey() throws IOException {
        String run = "run-" + UUID.randomUUID();
        store.commit(Commit.builder("console", run, "extract").output(Map.of("total", 10))
                .event(AuditEvent.of("extracted", Map.of("fields", 1)).withLlmTrace(new LlmTrace("gpt-test", 120, 30,
                        850.5, "in-hash", "out-hash", Map.of("prompt", "read <this>"), null)))
                .command(Command.emit("extracted", Map.of("total", 10))).build());

        open("verist/#/run?workflowId=console&runId=" + run);
        waitFor(By.id("overlay-key")).sendKeys("total");
        browser.findElement(By.id("overlay-value")).sendKeys("12");
        browser.findElement(By.className("overlay-set")).click();

        new WebDriverWait(browser, WAIT).until(d -> store.load("console", run).orElseThrow().effective()
                .get("total").equals(12));
        waitForText(By.id("state"), "\"total\": 12"); // the page has drawn itself again after the change
        String trail = browser.findElement(By.id("trail")).getText();
        assertThat(trail).containsIgnoringCase("extracted").contains("gpt-test · 120 + 30 tokens · 850.5 ms")
                .contains("input in-hash · output out-hash").contains("read <this>");
        assertThat(browser.findElement(By.id("run-outbox")).getText()).contains("extracted")
                .containsIgnoringCase("pending");
        screenshot("console-run.png");
    }

    @Test
    void theRunPageShowsALongTrailAndOutboxFiftyAtATime() {
        String run = "long-" + UUID.randomUUID();
        Commit.Builder commit = Commit.builder("console", run, "many");
        for (int i = 1; i <= 60; i++) {
            commit.event(AuditEvent.of("event-" + i, Map.of("i", i)));
        }
        for (int i = 1; i <= 55; i++) {
            commit.command(Command.emit("topic-" + i, Map.of("i", i)));
        }
        store.commit(commit.build());

        open("verist/#/run?workflowId=console&runId=" + run);
        waitFor(By.id("trail"));
        assertThat(browser.findElements(By.cssSelector("#trail li.event"))).hasSize(50);
        assertThat(browser.findElements(By.cssSelector("#run-outbox tr.entry"))).hasSize(50);

        browser.findElement(By.className("more-events")).click();
        browser.findElement(By.className("more-entries")).click();

        new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.cssSelector("#trail li.event")).size() == 60
                && d.findElements(By.cssSelector("#run-outbox tr.entry")).size() == 55);
        List<WebElement> events = browser.findElements(By.cssSelector("#trail li.event"));
        assertThat(events.get(0).getText()).containsIgnoringCase("event-1 step");
        assertThat(events.get(59).getText()).containsIgnoringCase("event-60 step");
        assertThat(browser.findElement(By.className("more-events")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.className("more-entries")).isDisplayed()).isFalse();
    }

    @Test
    void aResumeTheStoreRefusesShowsItsFieldAndMessageAndChangesNothing() {
        String run = suspend();

        // Valid JSON, but PostgreSQL text cannot hold U+0000.
        WebElement error = resumeRefused(run, "{\"note\": \"nul \\u0000 inside\"}");

        assertThat(error.getText()).startsWith("resolution.resumeData");
        assertSuspendStillWaits(run);
    }

    @Test
    void requeueAllRequeuesTheDeadLettersOfOneWorkflowOnly() {
        String mine = "all-" + UUID.randomUUID();
        store.commit(Commit.builder("console-all", mine, "send").command(Command.invoke("a", Map.of())).build());
        String other = "other-" + UUID.randomUUID();
        store.commit(Commit.builder("console-other", other, "send").command(Command.invoke("b", Map.of())).build());
        store.markFailed(leaseOf(mine), "down", RetryPolicy.none());
        store.markFailed(leaseOf(other), "down", RetryPolicy.none());

        open("verist/#/outbox");
        waitFor(By.id("requeue-workflow")).sendKeys("console-all");
        browser.findElement(By.className("requeue-all")).click();

        new WebDriverWait(browser, WAIT).until(d -> store.outbox("console-all", mine, null, 1).get(0).status()
                == OutboxStatus.PENDING);
        assertThat(store.outbox("console-other", other, null, 1).get(0).status()).isEqualTo(OutboxStatus.FAILED);
    }

    @Test
    void aDeadLetterIsListedWithItsErrorAndRequeued() throws IOException {
        String run = "dead-" + UUID.randomUUID();
        store.commit(Commit.builder("console", run, "send").command(Command.invoke("send-mail", Map.of())).build());
        OutboxEntry entry = leaseOf(run);
        store.markFailed(entry, "SMTP refused: 550", RetryPolicy.none());

        open("verist/#/outbox");
        WebElement row = waitFor(By.cssSelector("tr.entry[data-id='" + entry.id() + "']"));
        assertThat(row.findElement(By.className("last-error")).getText()).isEqualTo("SMTP refused: 550");
        screenshot("console-outbox.png");
        row.findElement(By.className("requeue")).click();

        new WebDriverWait(browser, WAIT).until(d -> store.outbox("console", run, null, 1).get(0).status()
                == OutboxStatus.PENDING);
        new WebDriverWait(browser, WAIT).until(d -> d.findElements(
                By.cssSelector("tr.entry[data-id='" + entry.id() + "']")).isEmpty());
    }

    // ------------------------------------------------------------------------------------------ accessibility

    @Test
    void everyPageMeetsWcag21AaAndAxesBestPractices() {
        String run = review("an accessible review", Map.of("amount", 3));
        String dead = "dead-" + UUID.randomUUID();
        store.commit(Commit.builder("console", dead, "send").command(Command.invoke("send-mail", Map.of())).build());
        store.markFailed(leaseOf(dead), "SMTP refused: 550", RetryPolicy.none());

        inboxCard(run);
        assertAccessible(browser, "the inbox");
        open("verist/#/run?workflowId=console&runId=" + run);
        waitFor(By.id("trail"));
        assertAccessible(browser, "the run page");
        open("verist/#/outbox");
        waitFor(By.cssSelector("tr.entry"));
        assertAccessible(browser, "the outbox");

        WebDriver stranger = chromium();
        try {
            stranger.get(uri("verist/").toString());
            new WebDriverWait(stranger, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username")));
            assertAccessible(stranger, "the sign-in page");
            logIn(stranger, "operator", "wrong");
            assertAccessible(stranger, "the failed sign-in page");
        } finally {
            stranger.quit();
        }
    }

    @Test
    void aReviewCanBeApprovedWithTheKeyboardAlone() {
        String run = review("keyboard only", Map.of());
        WebElement approve = inboxCard(run).findElement(By.className("approve"));

        ((JavascriptExecutor) browser).executeScript("document.activeElement.blur();"); // Tab starts at the top
        for (int i = 0; i < 60 && !approve.equals(browser.switchTo().activeElement()); i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.switchTo().activeElement()).as("Tab reaches the approve button").isEqualTo(approve);
        new Actions(browser).sendKeys(Keys.ENTER).perform();

        new WebDriverWait(browser, WAIT).until(d -> store.getBlock("console", run).isEmpty());
    }

    // Every rule of axe-core for WCAG 2.0 and 2.1, levels A and AA, and its best practices, on the page as it is.
    private static void assertAccessible(WebDriver driver, String page) {
        Results results = new AxeBuilder()
                .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")).analyze(driver);
        List<String> violations = results.getViolations().stream()
                .map(rule -> rule.getId() + " (" + rule.getHelp() + ") at " + rule.getNodes().stream()
                        .map(node -> String.valueOf(node.getTarget())).toList())
                .toList();
        assertThat(violations).as(page).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ security

    @Test
    void anUnauthenticatedRequestGetsTheLoginPageAndNoData() throws Exception {
        review("secret reason", Map.of("secret", "s3cr3t"));

        HttpResponse<String> answer = http().send(HttpRequest.newBuilder(uri("verist/api/inbox")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.body()).doesNotContain("s3cr3t").doesNotContain("secret reason");
        assertThat(answer.statusCode() == 200 ? answer.body() : "redirect " + answer.statusCode())
                .satisfiesAnyOf(body -> assertThat(body).contains("j_security_check"),
                        body -> assertThat(body).startsWith("redirect 30"));
    }

    @Test
    void aWrongPasswordShowsTheSignInFailureAndNoData() {
        WebDriver stranger = chromium();
        try {
            logIn(stranger, "operator", "not the password");

            assertThat(stranger.findElement(By.id("login-failed")).getText()).contains("Wrong user or password");
            assertThat(stranger.getPageSource()).doesNotContain("csrfToken");
        } finally {
            stranger.quit();
        }
    }

    @Test
    void signingOutEndsTheSessionAndWhatItCouldRead() throws Exception {
        review("after sign-out", Map.of("secret", "g0ne"));
        WebDriver operator = chromium();
        try {
            logIn(operator, "operator", "operator");
            new WebDriverWait(operator, WAIT).until(d -> !d.findElement(By.id("user")).getText().isEmpty());
            String session = sessionCookie(operator);

            operator.findElement(By.id("sign-out")).click();

            new WebDriverWait(operator, WAIT).until(
                    ExpectedConditions.visibilityOfElementLocated(By.id("j_username")));
            HttpResponse<String> answer = http().send(HttpRequest.newBuilder(uri("verist/api/inbox"))
                    .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).doesNotContain("g0ne").doesNotContain("after sign-out");
            assertThat(answer.statusCode() == 200 ? answer.body() : "redirect " + answer.statusCode())
                    .satisfiesAnyOf(body -> assertThat(body).contains("j_security_check"),
                            body -> assertThat(body).startsWith("redirect 30"));
        } finally {
            operator.quit();
        }
    }

    @Test
    void aUserWithoutTheRoleGetsNoData() throws Exception {
        review("only for operators", Map.of("secret", "n0pe"));
        WebDriver auditor = chromium();
        try {
            logIn(auditor, "auditor", "auditor");
            HttpResponse<String> answer = http().send(HttpRequest.newBuilder(uri("verist/api/inbox"))
                    .header("Cookie", sessionCookie(auditor)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).doesNotContain("n0pe").doesNotContain("only for operators");
            assertThat(auditor.getPageSource()).doesNotContain("n0pe");
        } finally {
            auditor.quit();
        }
    }

    @Test
    void aCrossSiteFormPostIsRefusedAndChangesNothing() throws Exception {
        String run = review("not like this", Map.of());
        inboxCard(run); // logged in: the browser holds an operator's session
        String form = "workflowId=console&runId=" + run + "&approved=true";

        HttpResponse<String> formPost = http().send(HttpRequest.newBuilder(uri("verist/api/resolve"))
                .header("Cookie", sessionCookie(browser)).header("Origin", "http://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> jsonWithoutToken = http().send(HttpRequest.newBuilder(uri("verist/api/resolve"))
                .header("Cookie", sessionCookie(browser)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workflowId\":\"console\",\"runId\":\"" + run
                        + "\",\"approved\":true}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(formPost.statusCode()).isEqualTo(403);
        assertThat(jsonWithoutToken.statusCode()).isEqualTo(403);
        assertThat(jsonWithoutToken.body()).contains("csrf");
        assertThat(store.getBlock("console", run)).isPresent();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private String review(String reason, Map<String, Object> payload) {
        String run = "review-" + UUID.randomUUID();
        store.commit(Commit.builder("console", run, "check").output(Map.of("checked", true))
                .command(Command.review(reason, payload))
                .command(Command.invoke("pay", Map.of("amount", 1))).build());
        return run;
    }

    // Leases the run's entry; every other entry of the batch is given back at once.
    private String suspend() {
        String run = "suspend-" + UUID.randomUUID();
        store.commit(Commit.builder("console", run, "wait").output(Map.of("checked", true))
                .command(Command.suspend("waits for a document", Map.of("page", 1), "go-on")).build());
        return run;
    }

    // Resumes the run's suspend in its inbox card with the text given; the error the card shows then.
    private WebElement resumeRefused(String run, String resumeData) {
        WebElement card = inboxCard(run);
        WebElement data = card.findElement(By.className("resume-data"));
        data.clear();
        data.sendKeys(resumeData);
        card.findElement(By.className("resume")).click();
        return new WebDriverWait(browser, WAIT).until(
                ExpectedConditions.visibilityOfNestedElementsLocatedBy(card, By.className("error"))).get(0);
    }

    // A refused resume changed nothing: the gate is still active and released no command.
    private static void assertSuspendStillWaits(String run) {
        assertThat(store.getBlock("console", run)).isPresent();
        assertThat(store.outbox("console", run, null, 10)).isEmpty();
    }

    private OutboxEntry leaseOf(String run) {
        for (int i = 0; i < 50; i++) {
            OutboxEntry found = null;
            for (OutboxEntry entry : store.leaseOutbox("console-it", 100)) {
                if (found == null && entry.runId().equals(run)) {
                    found = entry;
                } else {
                    store.release(entry, Duration.ZERO);
                }
            }
            if (found != null) {
                return found;
            }
        }
        throw new AssertionError("the entry of " + run + " was never leased");
    }

    private WebElement inboxCard(String run) {
        open("verist/#/inbox?workflowId=console");
        try {
            return waitFor(runCard(run));
        } catch (TimeoutException e) {
            throw new AssertionError("no card for " + run + " on " + browser.getCurrentUrl() + ", which shows: "
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    private static By runCard(String run) {
        return By.cssSelector("article.block[data-run='console/" + run + "']");
    }

    // Opens a console page, signing in first when the server asks.
    private void open(String path) {
        browser.get(uri(path).toString());
        if (!browser.findElements(By.id("j_username")).isEmpty()) {
            signIn(browser, "operator", "operator");
            browser.get(uri(path).toString());
        }
        browser.navigate().refresh(); // a change of the fragment alone does not load the page again
    }

    private void logIn(WebDriver driver, String user, String password) {
        driver.get(uri("verist/").toString());
        signIn(driver, user, password);
    }

    private static void signIn(WebDriver driver, String user, String password) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username")))
                .sendKeys(user);
        driver.findElement(By.id("j_password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
        // Signed in (the form is gone) or refused (the form again, with the notice).
        new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.id("j_username")).isEmpty()
                || !d.findElements(By.id("login-failed")).isEmpty());
    }

    // Until the element's text contains what is expected; the page may redraw the element meanwhile.
    private static void waitForText(By what, String expected) {
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(what).getText().contains(expected));
    }

    private static WebElement waitFor(By what) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(what));
    }

    private static String sessionCookie(WebDriver driver) {
        Cookie session = driver.manage().getCookieNamed("JSESSIONID");
        assertThat(session).as("a session cookie").isNotNull();
        return "JSESSIONID=" + session.getValue();
    }

    private URI uri(String path) {
        return URI.create(application().toString()).resolve(path);
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static void screenshot(String name) throws IOException {
        Path dir = Path.of(Objects.requireNonNull(System.getProperty("console.screenshots"), "console.screenshots"));
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    // Debian's chromium and chromedriver, headless; never a driver Selenium would download.
    private static WebDriver chromium() {
        File driver = new File("/usr/bin/chromedriver");
        File binary = new File("/usr/bin/chromium");
        if (!driver.canExecute() || !binary.canExecute()) {
            throw new IllegalStateException("The console's browser tests need Debian's chromium and chromium-driver"
                    + " packages (apt-get install chromium chromium-driver; .ci/run does it)");
        }
        ChromeOptions options = new ChromeOptions().setBinary(binary)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,900");
        WebDriver chrome = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver).build(),
                options);
        chrome.manage().window().setSize(new Dimension(1280, 900));
        return chrome;
    }
}
