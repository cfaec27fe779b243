package io.serin.executor.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.FailureReason;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTPS to the checked address: the host name still decides the TLS server name and the certificate
 * check, so connecting to a pinned address costs no verification.
 */
class TlsGateTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");

    @TempDir
    Path dir;
    private HttpsServer server;
    private SSLContext trusting;

    @BeforeEach
    void start() throws Exception {
        Path keystore = dir.resolve("gate.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "gate", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=gate.test", "-ext", "SAN=dns:gate.test", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext serving = SSLContext.getInstance("TLS");
        serving.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serving));
        server.createContext("/gate", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ExecutorResult ask(String host, SSLSocketFactory tls) {
        HttpWebhookGates gates = new HttpWebhookGates(new GateDestinations(Map.of(), List.of(host)),
                new Networks(List.of("127.0.0.1/32")), name -> new InetAddress[] {InetAddress.getLoopbackAddress()}, tls);
        return CheckGateTest.handler(gates).handle(new ExecutorCommand.CheckGate("r1/gate", "r1", TARGET, null,
                "approval", new Webhook("https://" + host + ":" + server.getAddress().getPort() + "/gate")));
    }

    @Test
    void asksOverTlsAtThePinnedAddressUnderTheHostsName() {
        assertThat(ask("gate.test", trusting.getSocketFactory())).as("certificate for gate.test, trusted")
                .isInstanceOfSatisfying(ExecutorResult.Succeeded.class,
                        ok -> assertThat(ok.summary()).contains("https://gate.test:", "204"));
    }

    @Test
    void keepsCheckingTheCertificate() {
        assertThat(ask("other.test", trusting.getSocketFactory())).as("a certificate for another name")
                .isInstanceOfSatisfying(ExecutorResult.Failed.class,
                        f -> assertThat(f.reason()).isEqualTo(FailureReason.GATE_CLOSED));
        assertThat(ask("gate.test", (SSLSocketFactory) SSLSocketFactory.getDefault())).as("an untrusted certificate")
                .isInstanceOfSatisfying(ExecutorResult.Failed.class,
                        f -> assertThat(f.reason()).isEqualTo(FailureReason.GATE_CLOSED));
    }
}
