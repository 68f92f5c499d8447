package fr.gouv.data.catalogue.ops.testbed;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class (hosts shared by its tests) or a test method its own test hosts, as a
 * {@link TestHosts} parameter. They are destroyed afterwards, whether the tests pass or fail.
 * Without root the tests are skipped with one line; in CI (CI=true) they must run.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(TestbedExtension.class)
public @interface Testbed {
    int hosts() default 1;
}
