package io.serin.executor.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The network rule: public addresses only, unless an operator allowed a network. */
class NetworksTest {

    private final Networks publicOnly = new Networks(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "169.254.169.254", "169.254.1.1", "10.0.0.1", "172.16.0.1",
            "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.1",
            "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1",
            "::ffff:169.254.169.254", "::ffff:127.0.0.1", "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:a9fe:a9fe::1"})
    void blocksEveryAddressThatIsNotPublic(String address) throws UnknownHostException {
        assertThat(publicOnly.whyNot(InetAddress.getByName(address))).as(address).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
            "64:ff9b::808:808"})
    void letsPublicAddressesThrough(String address) throws UnknownHostException {
        assertThat(publicOnly.whyNot(InetAddress.getByName(address))).as(address).isEmpty();
    }

    @Test
    void allowsOnlyTheNetworksAnOperatorAllowed() throws UnknownHostException {
        Networks networks = new Networks(List.of("10.20.0.0/16", "127.0.0.1/32", "fd00::/8"));
        assertThat(networks.whyNot(InetAddress.getByName("10.20.3.4"))).isEmpty();
        assertThat(networks.whyNot(InetAddress.getByName("::ffff:10.20.3.4"))).isEmpty();
        assertThat(networks.whyNot(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(networks.whyNot(InetAddress.getByName("fd00::5"))).isEmpty();
        assertThat(networks.whyNot(InetAddress.getByName("10.21.0.1"))).isPresent();
        assertThat(networks.whyNot(InetAddress.getByName("127.0.0.2"))).isPresent();
        assertThat(networks.whyNot(InetAddress.getByName("169.254.169.254"))).get().asString()
                .contains("169.254.169.254", "serin.executor.gates.allowed-networks");
    }

    @Test
    void refusesANetworkItCannotRead() {
        for (String bad : List.of("localhost/8", "10.0.0.0/33", "10.0.0.0/x", "example.com")) {
            assertThatThrownBy(() -> new Networks(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
