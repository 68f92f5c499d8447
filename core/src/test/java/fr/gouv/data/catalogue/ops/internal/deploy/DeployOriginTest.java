package fr.gouv.data.catalogue.ops.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who holds the lock and where from: the CI build when there is one. */
class DeployOriginTest {
    @Test
    void aJenkinsBuildIsNamedByJobNumberAndUrl() {
        assertEquals("deploy-prod #42 (https://ci.example.test/job/deploy-prod/42/)", Deployment.origin(Map.of(
                "BUILD_URL", "https://ci.example.test/job/deploy-prod/42/", "JOB_NAME", "deploy-prod", "BUILD_NUMBER", "42")));
        assertEquals("https://ci.example.test/job/x/1/", Deployment.origin(Map.of("BUILD_URL", "https://ci.example.test/job/x/1/")));
    }

    @Test
    void theUserWhoStartedTheBuildWhenKnownElseThisProcesssUser() {
        assertEquals("alice", Deployment.user(Map.of("BUILD_USER_ID", "alice")));
        assertEquals(System.getProperty("user.name"), Deployment.user(Map.of()));
        assertEquals(System.getProperty("user.name"), Deployment.user(Map.of("BUILD_USER_ID", " ")));
    }
}
