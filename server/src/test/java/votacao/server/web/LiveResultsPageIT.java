package votacao.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/**
 * The live page in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs), against the packaged server: votes cast over AMQP move the bars and the numbers on a
 * page that is never reloaded. The screenshot is kept in target/browser/.
 */
class LiveResultsPageIT {

    private static final List<String> OPTIONS = List.of("Azul", "Verde", "Laranja");
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private ServerProcess server;
    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void openBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException(CHROMIUM + " and " + CHROMEDRIVER + " are needed: .ci/run installs them");
        }
        Assumptions.assumeTrue(installed, "apt-get install chromium chromium-driver to run the browser test");
        server = ServerProcess.start("pagina", Map.of("VOTACAO_OPCOES", String.join(",", OPTIONS),
                "VOTACAO_DURACAO", "600s"));
        profile = Files.createTempDirectory("votacao-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=900,760", "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void votesMoveTheBarsWithoutAReload() throws Exception {
        browser.get(server.http("/").toString());
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.until(ExpectedConditions.attributeToBe(By.id("conexao"), "data-estado", "ao-vivo"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.opcao"), OPTIONS.size()));
        assertEquals("0", text("#total"));
        ((JavascriptExecutor) browser).executeScript("window.semRecarregar = 'sim';");

        try (VoterProbe probe = new VoterProbe()) {
            castVotes(probe, "Azul", 7);
            castVotes(probe, "Verde", 4);
            castVotes(probe, "Laranja", 2);
        }

        wait.until(ExpectedConditions.textToBe(By.id("total"), "13"));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("li[data-opcao='Azul'] .contagem"), "7 votos"));
        assertEquals("53,8%", text("li[data-opcao='Azul'] .porcentagem"));
        assertEquals("4 votos", text("li[data-opcao='Verde'] .contagem"));
        assertEquals("15,4%", text("li[data-opcao='Laranja'] .porcentagem"));
        wait.until(driver -> barWidth("Azul") > 2 * barWidth("Laranja") && barWidth("Laranja") > 0);
        assertEquals("sim", ((JavascriptExecutor) browser).executeScript("return window.semRecarregar;"),
                "the page was updated in place, not reloaded");
        assertEquals("ao-vivo", browser.findElement(By.id("conexao")).getAttribute("data-estado"));

        Thread.sleep(800); // let the bars' CSS transition finish before the picture
        Path screenshot = Path.of("target", "browser", "pagina-ao-vivo.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static void castVotes(VoterProbe probe, String option, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            String user = VoterProbe.uniqueUser("pagina");
            probe.votePlain(user, option);
            assertEquals("confirmacao", probe.answerTo(user).tipo());
        }
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private double barWidth(String option) {
        return browser.findElement(By.cssSelector("li[data-opcao='" + option + "'] .barra")).getRect().getWidth();
    }
}
