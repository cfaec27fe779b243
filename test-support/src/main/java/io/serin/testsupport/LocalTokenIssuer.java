package io.serin.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A local OpenID Connect issuer for tests and the sandbox, on loopback: discovery
 * ({@code /.well-known/openid-configuration}), its signing key ({@code /jwks}) and a token endpoint.
 * Services verify its tokens exactly as they verify a real provider's (discovery, JWKS, RS256,
 * issuer, audience, expiry), so the code path under test is the production one.
 *
 * <p>The token endpoint speaks the OAuth 2.0 password grant, with one password for every user
 * (printed by the sandbox): {@code grant_type=password&username=alice&password=...}, optional
 * {@code groups=a,b}. It exists for a machine-local sandbox only; anyone who can reach the port and
 * knows the password can mint tokens, and nothing in a deployment uses it.
 */
public final class LocalTokenIssuer implements AutoCloseable {

    /** The audience services are configured to require. */
    public static final String AUDIENCE = "serin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_FORM = 4096;

    private final HttpServer server;
    private final KeyPair keys;
    private final String keyId = UUID.randomUUID().toString().substring(0, 8);
    private final String password;
    private final Duration lifetime;

    private LocalTokenIssuer(HttpServer server, KeyPair keys, String password, Duration lifetime) {
        this.server = server;
        this.keys = keys;
        this.password = password;
        this.lifetime = lifetime;
    }

    /** Starts on a free loopback port; tokens live {@code lifetime}. */
    public static LocalTokenIssuer start(String password, Duration lifetime) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            LocalTokenIssuer issuer = new LocalTokenIssuer(server, generator.generateKeyPair(), password, lifetime);
            server.createContext("/.well-known/openid-configuration", e -> issuer.answer(e, issuer.discovery()));
            server.createContext("/jwks", e -> issuer.answer(e, issuer.jwks()));
            server.createContext("/token", issuer::token);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "token-issuer");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local token issuer", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer URL: {@code quarkus.oidc.auth-server-url}, and the {@code iss} of its tokens. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** A signed token for {@code subject} in {@code groups}. */
    public String token(String subject, List<String> groups) {
        return token(subject, groups, AUDIENCE, Instant.now().plus(lifetime));
    }

    /** A token with any audience and expiry, for tests of what must be refused. */
    public String token(String subject, List<String> groups, String audience, Instant expiresAt) {
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT", "kid", keyId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", url());
        claims.put("sub", subject);
        // differs from the subject, so a service that named users by another claim than sub would show it
        claims.put("preferred_username", subject + "@local");
        claims.put("aud", audience);
        claims.put("groups", groups);
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        try {
            String signingInput = B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private Map<String, Object> discovery() {
        return Map.of("issuer", url(), "jwks_uri", url() + "/jwks", "token_endpoint", url() + "/token",
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "grant_types_supported", List.of("password"), "response_types_supported", List.of("token"),
                "subject_types_supported", List.of("public"));
    }

    private Map<String, Object> jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return Map.of("keys", List.of(Map.of("kty", "RSA", "use", "sig", "alg", "RS256", "kid", keyId,
                "n", unsigned(key.getModulus()), "e", unsigned(key.getPublicExponent()))));
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return B64.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, Map.of("error", "invalid_request", "error_description", "POST a form"));
                return;
            }
            Map<String, String> form = form(exchange.getRequestBody());
            String user = form.getOrDefault("username", "");
            if (!"password".equals(form.get("grant_type")) || !user.matches("[A-Za-z0-9@._:-]{1,64}")) {
                send(exchange, 400, Map.of("error", "invalid_request", "error_description",
                        "grant_type=password and a username (letters, digits, @._:-) are required"));
                return;
            }
            if (!java.security.MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                    form.getOrDefault("password", "").getBytes(StandardCharsets.UTF_8))) {
                send(exchange, 401, Map.of("error", "invalid_grant", "error_description", "wrong password"));
                return;
            }
            List<String> groups = form.getOrDefault("groups", "").isBlank() ? List.of()
                    : List.of(form.get("groups").split(","));
            send(exchange, 200, Map.of("access_token", token(user, groups), "token_type", "Bearer",
                    "expires_in", lifetime.toSeconds()));
        }
    }

    private static Map<String, String> form(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_FORM + 1);
        Map<String, String> form = new LinkedHashMap<>();
        if (bytes.length > MAX_FORM) {
            return form;
        }
        for (String pair : new String(bytes, StandardCharsets.UTF_8).split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private void answer(HttpExchange exchange, Object body) throws IOException {
        try (exchange) {
            send(exchange, 200, body);
        }
    }

    private static void send(HttpExchange exchange, int code, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
