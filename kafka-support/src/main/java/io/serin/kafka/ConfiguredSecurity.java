package io.serin.kafka;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads {@link KafkaSecurity} from the running service's MicroProfile Config. Apart from
 * {@link KafkaClients} so that a program without MicroProfile Config (the sandbox) never loads it.
 */
final class ConfiguredSecurity {

    private ConfiguredSecurity() {
    }

    static KafkaSecurity read() {
        Config config = ConfigProvider.getConfig();
        return KafkaSecurity.fromConfig(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class));
    }
}
