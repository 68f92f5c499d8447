package fr.gouv.data.catalogue.ops.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What front ends mask: every secret value, and each value inside a secret that holds JSON (the tools' passwords). */
class SecretsToMaskTest {
    @TempDir
    Path tmp;

    @Test
    void theValuesInsideAJsonSecretAreMaskedOneByOne() throws Exception {
        OpsFixture f = new OpsFixture(tmp).validEnvironment("prod").passwordFile();
        f.secrets("prod", "secret_key: 'k3y-value'\ndatabase_url: 'postgresql://app:p%40ss@db.example.org:5432/catalogue'\n"
                + "passwords: '{\"admin@example.org\": \"pw-one\", \"more\": [\"pw-two\"]}'\nnote: '{not json'\n");
        try (CatalogueOps ops = CatalogueOps.open(f.opsDir())) {
            List<String> texts = ops.secretsToMask("prod");
            assertTrue(texts.containsAll(List.of("k3y-value", "pw-one", "pw-two", "{not json",
                    "{\"admin@example.org\": \"pw-one\", \"more\": [\"pw-two\"]}")), texts.toString());
            assertFalse(texts.contains("admin@example.org"), "the keys are not secret: " + texts);
        }
    }
}
