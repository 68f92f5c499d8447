package fr.gouv.data.catalogue.ops.testbed;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Creates the hosts a {@link Testbed} annotation asks for, and closes them with the test's scope. */
public final class TestbedExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestbedExtension.class);

    /** Closes the hosts when JUnit closes the store, even after a failure. */
    private record Resource(TestHosts hosts) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            hosts.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Testbed> annotation = context.getTestClass().map(c -> c.getAnnotation(Testbed.class));
        if (annotation.isPresent()) {
            start(context, annotation.get().hosts());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Optional<Testbed> annotation = context.getTestMethod().map(m -> m.getAnnotation(Testbed.class));
        if (annotation.isPresent()) {
            start(context, annotation.get().hosts());
        }
    }

    private static void start(ExtensionContext context, int count) throws fr.gouv.data.catalogue.ops.OpsException {
        requireRoot();
        TestHosts hosts = TestHosts.create(TestHosts.newName(), count, false);
        context.getStore(NS).put(Resource.class, new Resource(hosts));
    }

    /** Skips without root, except in CI where a skip would hide the whole testbed suite. */
    public static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("testbed tests must run in CI, and CI must run as root");
        }
        Assumptions.assumeTrue(root, "testbed tests need root (network namespaces); skipped");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestHosts.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Resource r = c.get().getStore(NS).get(Resource.class, Resource.class);
            if (r != null) {
                return r.hosts();
            }
        }
        throw new ParameterResolutionException("no @Testbed on " + context.getDisplayName() + " or its class");
    }
}
