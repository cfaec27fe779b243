package io.serin.executor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.policy.Redaction;
import io.serin.executor.execute.ExecutionFailure;
import io.serin.executor.execute.WebhookGates;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link WebhookGates} over HTTP: one POST of the release as JSON per question, no retry (the
 * planner asks again after the gate's retry interval), the answer's body ignored but for a short
 * excerpt in the detail. Only destinations the operator allowed are called: the gate rule
 * ({@link GateDestinations}) decides which URL, the network rule ({@link Networks}) which addresses,
 * and the connection goes to an address that was checked ({@link PinnedHttp}). A refused gate is a
 * FORBIDDEN {@link ExecutionFailure} naming the rule; no URL is ever shown with its user info or query.
 */
public final class HttpWebhookGates implements WebhookGates {

    private static final int EXCERPT = 200;
    /** How much of an answer is read at most: the excerpt needs little, and a gate must not flood the executor. */
    static final int MAX_ANSWER_BYTES = 4096;

    /** Resolves a host name; a test can answer what a rebinding DNS server would. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final GateDestinations destinations;
    private final Networks networks;
    private final Resolver resolver;
    private final SSLSocketFactory tls;
    private final ObjectMapper json = new ObjectMapper();

    HttpWebhookGates(GateDestinations destinations, Networks networks, Resolver resolver, SSLSocketFactory tls) {
        this.destinations = destinations;
        this.networks = networks;
        this.resolver = resolver;
        this.tls = tls;
    }

    HttpWebhookGates(GateDestinations destinations, Networks networks, Resolver resolver) {
        this(destinations, networks, resolver, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /**
     * @param named           the operator's gates by name
     * @param allowedHosts    hosts plain gate URLs may name ({@code ci.example.com}, {@code *.example.com})
     * @param allowedNetworks CIDRs a gate may resolve to although they are not public
     * @throws IllegalArgumentException if a named gate or a network cannot be used
     */
    public static HttpWebhookGates of(Map<String, Named> named, List<String> allowedHosts, List<String> allowedNetworks) {
        return new HttpWebhookGates(new GateDestinations(named, allowedHosts), new Networks(allowedNetworks),
                InetAddress::getAllByName);
    }

    /** A gate the operator configured: its URL (which may hold a token), an optional timeout, headers to send. */
    public record Named(String url, Optional<java.time.Duration> timeout, Map<String, String> headers) {
    }

    @Override
    public Answer ask(ExecutorCommand.CheckGate check) {
        GateDestinations.Destination to = destinations.of(check);
        String shown = to.shown();
        List<InetAddress> addresses;
        try {
            addresses = checked(to, check);
        } catch (UnknownHostException e) {
            return new Answer(false, "cannot resolve the host of " + shown);
        }
        byte[] body = body(check).getBytes(StandardCharsets.UTF_8);
        IOException last = null;
        for (InetAddress address : addresses) {
            try {
                PinnedHttp.Response response = PinnedHttp.post(to.url(), address, to.headers(), body, to.timeout(),
                        MAX_ANSWER_BYTES, tls);
                String detail = shown + " answered " + response.status()
                        + excerpt(new String(response.body(), StandardCharsets.UTF_8));
                return new Answer(response.status() >= 200 && response.status() < 300, detail);
            } catch (PinnedHttp.TimedOut e) {
                return new Answer(false, shown + " did not answer within " + to.timeout());
            } catch (ConnectException e) {
                last = e; // the host's next address, if it has one
            } catch (IOException e) {
                return new Answer(false, "request to " + shown + " failed: " + describe(e));
            }
        }
        return new Answer(false, "cannot connect to " + shown + ": " + describe(last));
    }

    /** Every address the host resolves to, each allowed by the network rule: one blocked address refuses them all. */
    private List<InetAddress> checked(GateDestinations.Destination to, ExecutorCommand.CheckGate check)
            throws UnknownHostException {
        String host = to.url().getHost();
        InetAddress[] resolved = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        List<InetAddress> addresses = new ArrayList<>();
        for (InetAddress address : resolved) {
            Optional<String> why = networks.whyNot(address);
            if (why.isPresent()) {
                throw new ExecutionFailure(FailureReason.FORBIDDEN, "gate " + check.gate() + " refused: "
                        + to.shown() + " resolves to an address in a blocked network: " + why.get());
            }
            addresses.add(address);
        }
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    /** What the gate is asked about: {releaseId, target, to, gate}. */
    private String body(ExecutorCommand.CheckGate check) {
        ObjectNode body = json.createObjectNode();
        body.put("releaseId", check.releaseId());
        body.set("target", json.valueToTree(check.target()));
        body.set("to", json.valueToTree(check.to()));
        body.put("gate", check.gate());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return ": " + Redaction.text(flat.length() > EXCERPT ? flat.substring(0, EXCERPT) + "…" : flat);
    }

    private static String describe(IOException e) {
        return e == null ? "no address" : Redaction.text(e.getMessage() != null ? e.getMessage()
                : e.getClass().getSimpleName());
    }
}
