package io.serin.sandbox.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who calls the apps. {@code betaShare} of the users are in the beta segment: they send header
 * {@value #SEGMENT_HEADER}: {@value #SEGMENT_VALUE} and cookie {@value #SEGMENT_COOKIE}=always,
 * which A/B routes select. {@code v2Share} of the requests come from API v2 clients and go to
 * {@value #V2_PATH}, the rest to {@value #V1_PATH}. A Service that previews a new version (blue-green)
 * gets {@code smokeRate} requests per second from testers, so a pre-promotion analysis has data.
 */
public record ClientPopulation(double betaShare, double v2Share, double smokeRate) {

    public static final String SEGMENT_HEADER = "x-user-group";
    public static final String SEGMENT_VALUE = "beta";
    public static final String SEGMENT_COOKIE = "beta-tester";
    public static final String V1_PATH = "/v1/messages";
    public static final String V2_PATH = "/v2/messages";

    public static final ClientPopulation DEFAULT = new ClientPopulation(0.10, 0.20, 5);

    public ClientPopulation {
        if (betaShare < 0 || betaShare > 1 || v2Share < 0 || v2Share > 1 || smokeRate < 0) {
            throw new IllegalArgumentException("shares must be within 0..1 and the smoke rate not negative: "
                    + betaShare + ", " + v2Share + ", " + smokeRate);
        }
    }

    /** The kinds of request clients send, each with its share; the shares add up to 1. */
    public List<RequestClass> requests() {
        List<RequestClass> classes = new ArrayList<>();
        for (boolean beta : new boolean[] {false, true}) {
            for (boolean v2 : new boolean[] {false, true}) {
                double share = (beta ? betaShare : 1 - betaShare) * (v2 ? v2Share : 1 - v2Share);
                if (share > 0) {
                    Map<String, String> headers = beta
                        ? Map.of(SEGMENT_HEADER, SEGMENT_VALUE, "cookie", "session=7; " + SEGMENT_COOKIE + "=always")
                        : Map.of("cookie", "session=7");
                classes.add(new RequestClass(v2 ? V2_PATH : V1_PATH, headers, share));
                }
            }
        }
        return classes;
    }

    /** What testers send to a preview Service. */
    public RequestClass smokeTest() {
        return new RequestClass(V1_PATH, Map.of("user-agent", "smoke-test"), 1);
    }
}
