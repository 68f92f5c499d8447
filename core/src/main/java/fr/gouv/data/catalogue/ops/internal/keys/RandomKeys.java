package fr.gouv.data.catalogue.ops.internal.keys;

import java.security.SecureRandom;

/** The two key generators of the original Makefile ({@code make secretkey}, {@code make apikey}). */
public final class RandomKeys {
    /** The alphabet of Django's get_random_secret_key, which the original uses. */
    public static final String SECRET_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";
    public static final int SECRET_KEY_LENGTH = 50;
    public static final int API_KEY_BYTES = 32;

    private final SecureRandom random;

    public RandomKeys() {
        this(new SecureRandom());
    }

    public RandomKeys(SecureRandom random) {
        this.random = random;
    }

    /** 50 characters, each drawn uniformly: {@code nextInt(bound)} rejects samples instead of taking a modulo. */
    public String secretKey() {
        StringBuilder key = new StringBuilder(SECRET_KEY_LENGTH);
        for (int i = 0; i < SECRET_KEY_LENGTH; i++) {
            key.append(SECRET_KEY_ALPHABET.charAt(random.nextInt(SECRET_KEY_ALPHABET.length())));
        }
        return key.toString();
    }

    /** 32 random bytes as 64 lower-case hex characters. */
    public String apiKey() {
        byte[] bytes = new byte[API_KEY_BYTES];
        random.nextBytes(bytes);
        StringBuilder hex = new StringBuilder(2 * API_KEY_BYTES);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
