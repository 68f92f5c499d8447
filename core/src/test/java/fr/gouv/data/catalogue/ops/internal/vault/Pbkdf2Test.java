package fr.gouv.data.catalogue.ops.internal.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** Our PBKDF2-HMAC-SHA256 against the JDK's, for short and long (hashed first) passwords and odd lengths. */
class Pbkdf2Test {
    @Test
    void matchesTheJdk() throws Exception {
        String[] passwords = {"p", "correct horse battery staple", "x".repeat(64), "y".repeat(65), "z".repeat(200)};
        byte[] salt = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (String password : passwords) {
            for (int length : new int[] {16, 32, 33, 80}) {
                byte[] jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 1000, length * 8)).getEncoded();
                assertArrayEquals(jdk, Aes256Cipher.pbkdf2(password.getBytes(StandardCharsets.US_ASCII), salt, 1000, length),
                        password.length() + " chars, " + length + " bytes");
            }
        }
    }
}
