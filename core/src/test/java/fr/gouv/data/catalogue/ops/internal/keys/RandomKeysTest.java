package fr.gouv.data.catalogue.ops.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class RandomKeysTest {
    @Test
    void secretKeyHas50CharactersOfTheAlphabet() {
        String key = new RandomKeys().secretKey();
        assertEquals(50, key.length());
        for (char c : key.toCharArray()) {
            assertTrue(RandomKeys.SECRET_KEY_ALPHABET.indexOf(c) >= 0, "unexpected " + c);
        }
        assertNotEquals(key, new RandomKeys().secretKey());
    }

    @Test
    void secretKeyCharactersAreUniform() throws Exception {
        SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
        seeded.setSeed(12345L);
        RandomKeys keys = new RandomKeys(seeded);
        int alphabet = RandomKeys.SECRET_KEY_ALPHABET.length();
        long[] counts = new long[alphabet];
        int draws = 0;
        for (int i = 0; i < 4000; i++) {
            for (char c : keys.secretKey().toCharArray()) {
                counts[RandomKeys.SECRET_KEY_ALPHABET.indexOf(c)]++;
                draws++;
            }
        }
        double expected = (double) draws / alphabet;
        double chi2 = 0;
        for (long count : counts) {
            chi2 += (count - expected) * (count - expected) / expected;
        }
        // 49 degrees of freedom: P(chi2 > 94) < 0.0001. A modulo bias over 256 would push it far beyond.
        assertTrue(chi2 < 94, "chi-square " + chi2);
    }

    @Test
    void apiKeyIs64LowerCaseHex() {
        String key = new RandomKeys().apiKey();
        assertTrue(key.matches("[0-9a-f]{64}"), key);
    }
}
