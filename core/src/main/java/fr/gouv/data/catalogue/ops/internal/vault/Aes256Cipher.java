package fr.gouv.data.catalogue.ops.internal.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES256 vault cipher of Ansible: PBKDF2-HMAC-SHA256 (10000 iterations) derives 80 bytes from
 * the password and a 32-byte salt: an AES-256 key, an HMAC-SHA256 key and a 16-byte CTR counter.
 * The plaintext is PKCS#7 padded, encrypted with AES-CTR, and authenticated (encrypt-then-MAC).
 * The payload is {@code hex(salt) \n hex(hmac) \n hex(ciphertext)}.
 */
final class Aes256Cipher {
    static final int SALT_LENGTH = 32;
    private static final int KEY_LENGTH = 32;
    private static final int IV_LENGTH = 16;
    private static final int ITERATIONS = 10_000;
    private static final int BLOCK = 16;

    private Aes256Cipher() {
    }

    static byte[] encrypt(byte[] plaintext, byte[] password, byte[] salt) {
        byte[] derived = pbkdf2(password, salt, ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH);
        try {
            byte[] padded = pad(plaintext);
            byte[] ciphertext = aesCtr(Cipher.ENCRYPT_MODE, derived, padded);
            Arrays.fill(padded, (byte) 0);
            byte[] mac = hmac(derived, ciphertext);
            String payload = Hex.encode(salt) + "\n" + Hex.encode(mac) + "\n" + Hex.encode(ciphertext);
            return payload.getBytes(StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /**
     * @return the plaintext, or {@code null} when the MAC does not match (wrong password or altered data)
     * @throws VaultFormatException when the payload is not salt/hmac/ciphertext hex
     */
    static byte[] decrypt(byte[] payload, byte[] password, String source) throws VaultFormatException {
        Parts parts = Parts.parse(payload, source);
        byte[] derived = pbkdf2(password, parts.salt, ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH);
        try {
            if (!MessageDigest.isEqual(hmac(derived, parts.ciphertext), parts.mac)) {
                return null;
            }
            byte[] padded = aesCtr(Cipher.DECRYPT_MODE, derived, parts.ciphertext);
            byte[] plaintext = unpad(padded, source);
            Arrays.fill(padded, (byte) 0);
            return plaintext;
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    private record Parts(byte[] salt, byte[] mac, byte[] ciphertext) {
        static Parts parse(byte[] payload, String source) throws VaultFormatException {
            String text = new String(payload, StandardCharsets.US_ASCII);
            int first = text.indexOf('\n');
            int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
            if (second < 0) {
                throw damaged(source, "the salt, MAC and ciphertext are not all there");
            }
            byte[] salt = Hex.decode(text.substring(0, first), source);
            byte[] mac = Hex.decode(text.substring(first + 1, second), source);
            byte[] ciphertext = Hex.decode(text.substring(second + 1), source);
            if (salt.length == 0 || mac.length != 32) {
                throw damaged(source, "the salt or MAC has the wrong length");
            }
            return new Parts(salt, mac, ciphertext);
        }
    }

    static VaultFormatException damaged(String source, String detail) {
        return new VaultFormatException(source + ": vault data is truncated or damaged (" + detail
                + "); restore the file from version control");
    }

    private static byte[] aesCtr(int mode, byte[] derived, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(mode, new SecretKeySpec(derived, 0, KEY_LENGTH, "AES"),
                    new IvParameterSpec(derived, 2 * KEY_LENGTH, IV_LENGTH));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is not available in this JVM", e);
        }
    }

    private static byte[] hmac(byte[] derived, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(derived, KEY_LENGTH, KEY_LENGTH, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /**
     * PBKDF2 with HMAC-SHA256 over raw password bytes. The JDK's SecretKeyFactory takes a char[] and
     * re-encodes it, which cannot represent every byte string a password file may hold. Each HMAC
     * starts from the digest states after the key's inner and outer pads (two compressions per
     * iteration instead of the four of a re-keyed Mac), and the output blocks, independent by
     * definition, are derived in parallel: opening a vault is on the path of every command.
     */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations, int length) {
        if (password.length == 0) {
            throw new IllegalArgumentException("empty vault password");
        }
        HmacStates hmac = HmacStates.of(password);
        int blocks = (length + HASH - 1) / HASH;
        byte[][] parts = new byte[blocks][];
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> parts[b] = pbkdf2Block(hmac, salt, iterations, b + 1));
        byte[] out = new byte[length];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(parts[b], 0, out, b * HASH, Math.min(HASH, length - b * HASH));
            Arrays.fill(parts[b], (byte) 0);
        }
        return out;
    }

    private static final int HASH = 32;

    private static byte[] pbkdf2Block(HmacStates hmac, byte[] salt, int iterations, int block) {
        byte[] first = Arrays.copyOf(salt, salt.length + 4);
        first[salt.length] = (byte) (block >>> 24);
        first[salt.length + 1] = (byte) (block >>> 16);
        first[salt.length + 2] = (byte) (block >>> 8);
        first[salt.length + 3] = (byte) block;
        byte[] u = hmac.mac(first);
        byte[] t = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac.mac(u);
            for (int j = 0; j < HASH; j++) {
                t[j] ^= u[j];
            }
        }
        Arrays.fill(u, (byte) 0);
        return t;
    }

    /** HMAC-SHA256 for one key: the digest states after the inner and outer pads, cloned for each message. */
    private record HmacStates(MessageDigest inner, MessageDigest outer) {
        static HmacStates of(byte[] key) {
            try {
                MessageDigest inner = MessageDigest.getInstance("SHA-256");
                MessageDigest outer = MessageDigest.getInstance("SHA-256");
                byte[] k = key.length > 64 ? MessageDigest.getInstance("SHA-256").digest(key) : key;
                byte[] ipad = new byte[64];
                byte[] opad = new byte[64];
                for (int i = 0; i < 64; i++) {
                    byte b = i < k.length ? k[i] : 0;
                    ipad[i] = (byte) (b ^ 0x36);
                    opad[i] = (byte) (b ^ 0x5c);
                }
                inner.update(ipad);
                outer.update(opad);
                Arrays.fill(ipad, (byte) 0);
                Arrays.fill(opad, (byte) 0);
                return new HmacStates(inner, outer);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is not available in this JVM", e);
            }
        }

        byte[] mac(byte[] message) {
            try {
                MessageDigest in = (MessageDigest) inner.clone();
                in.update(message);
                MessageDigest out = (MessageDigest) outer.clone();
                out.update(in.digest());
                return out.digest();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digests of this JVM cannot be cloned", e);
            }
        }
    }

    private static byte[] pad(byte[] plaintext) {
        int n = BLOCK - plaintext.length % BLOCK;
        byte[] padded = Arrays.copyOf(plaintext, plaintext.length + n);
        Arrays.fill(padded, plaintext.length, padded.length, (byte) n);
        return padded;
    }

    private static byte[] unpad(byte[] padded, String source) throws VaultFormatException {
        if (padded.length == 0 || padded.length % BLOCK != 0) {
            throw damaged(source, "the ciphertext length is not a whole number of blocks");
        }
        int n = padded[padded.length - 1] & 0xff;
        if (n < 1 || n > BLOCK) {
            throw damaged(source, "bad padding");
        }
        for (int i = padded.length - n; i < padded.length; i++) {
            if ((padded[i] & 0xff) != n) {
                throw damaged(source, "bad padding");
            }
        }
        return Arrays.copyOf(padded, padded.length - n);
    }
}
