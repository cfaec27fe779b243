package io.serin.executor.http;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 POST to an address resolved and checked beforehand. {@link java.net.http.HttpClient}
 * resolves the host itself when it connects, so a DNS answer that changed since the check (rebinding)
 * would decide where it goes; here the connection is made to the checked address, and the host
 * name serves only for the {@code Host} header, TLS server name and certificate check. No redirect
 * is followed, no connection kept; the whole exchange ends by its deadline, and at most
 * {@code maxBody} bytes of the answer are read.
 */
final class PinnedHttp {

    /** Closes the socket of an exchange that outlives its deadline: a server sending slowly cannot hold it. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "serin-gate-deadlines");
        t.setDaemon(true);
        return t;
    });
    private static final int MAX_HEAD = 16 * 1024;

    /** An answer: its status and the start of its body. */
    record Response(int status, byte[] body) {
    }

    /** The exchange did not end by its deadline. */
    static final class TimedOut extends IOException {
        TimedOut() {
            super("no answer in time");
        }
    }

    private PinnedHttp() {
    }

    /** @param tls how TLS connections are made: the JVM's trust store unless a test trusts its own certificate */
    static Response post(URI url, InetAddress address, Map<String, String> headers, byte[] body, Duration timeout,
            int maxBody, SSLSocketFactory tls) throws IOException {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        long deadline = System.nanoTime() + timeout.toNanos();
        // never through a proxy (socksProxyHost, a default ProxySelector): to the checked address only
        Socket plain = new Socket(java.net.Proxy.NO_PROXY);
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> close(plain), timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            plain.connect(new InetSocketAddress(address, port), millisLeft(deadline));
            Socket socket = https ? tls(tls, plain, url.getHost(), port, deadline) : plain;
            socket.setSoTimeout(millisLeft(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(head(url, port, https, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), maxBody);
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0 || e instanceof SocketTimeoutException) {
                throw new TimedOut();
            }
            throw e;
        } finally {
            watchdog.cancel(false);
            close(plain);
        }
    }

    private static Socket tls(SSLSocketFactory factory, Socket plain, String uriHost, int port, long deadline)
            throws IOException {
        String host = uriHost.startsWith("[") ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
        plain.setSoTimeout(millisLeft(deadline));
        SSLSocket tls = (SSLSocket) factory.createSocket(plain, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, not the address
        if (!host.contains(":") && !host.matches("[0-9.]+")) { // no server name for an address
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static String head(URI url, int port, boolean https, Map<String, String> headers, int length) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String target = path + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        boolean defaultPort = port == (https ? 443 : 80);
        StringBuilder head = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Accept: application/json, text/plain\r\n")
                .append("User-Agent: serin-executor\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: close\r\n");
        if (url.getRawUserInfo() != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            head.append("Authorization: Basic ").append(java.util.Base64.getEncoder().encodeToString(
                    url.getUserInfo().getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    private static Response read(InputStream in, int maxBody) throws IOException {
        int[] headRead = {0};
        while (true) {
            String status = line(in, headRead);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
                throw new IOException("not an HTTP/1.x answer");
            }
            int code = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            for (String header = line(in, headRead); !header.isEmpty(); header = line(in, headRead)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-length") && value.matches("[0-9]{1,18}")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            if (code >= 100 && code < 200) {
                continue; // an interim answer; the final one follows
            }
            return new Response(code, chunked ? chunked(in, maxBody, headRead)
                    : in.readNBytes((int) Math.min(maxBody, length < 0 ? maxBody : length)));
        }
    }

    private static byte[] chunked(InputStream in, int maxBody, int[] headRead) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < maxBody) {
            String size = line(in, headRead).split(";", 2)[0].trim();
            int n;
            try {
                n = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (n <= 0) {
                break;
            }
            byte[] chunk = in.readNBytes(Math.min(n, maxBody - body.size()));
            body.write(chunk);
            if (chunk.length < n) {
                break;
            }
            line(in, headRead);
        }
        return body.toByteArray();
    }

    /** One line of the answer's head, without its CRLF; the whole head is bounded. */
    private static String line(InputStream in, int[] headRead) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the answer ended early");
            }
            if (++headRead[0] > MAX_HEAD) {
                throw new IOException("the answer's head is longer than " + MAX_HEAD + " bytes");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static int millisLeft(long deadline) throws TimedOut {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new TimedOut();
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }
}
