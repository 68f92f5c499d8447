package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certs}, {@code certs renew}, {@code certs reissue}: every row is refused before any host is
 * contacted (the fixture's host, prod.example.org, is never reached).
 */
class CertsBadInputTest {
    @TempDir
    Path tmp;

    static List<Row> rows() {
        return List.of(
                row("certs without an environment", "certs").says("Missing required parameter", "ENV"),
                row("certs renew without an environment", "certs", "renew").says("Missing required parameter", "ENV"),
                row("certs of an unknown environment", "certs", "nosuch").says("nosuch", "prod"),
                row("certs --limit an unknown host", "certs", "prod", "--limit", "nosuchhost")
                        .says("--limit nosuchhost: no such host in prod; hosts: prod.example.org"),
                row("certs renew --limit an unknown host", "certs", "renew", "prod", "--limit", "nosuchhost")
                        .says("--limit nosuchhost: no such host in prod"),
                row("certs with tls_enabled false", "-e", "tls_enabled=false", "certs", "prod")
                        .says("prod: tls_enabled is false", "plain HTTP", "set tls_enabled: true in environments/prod/group_vars/web.yml",
                                "catalogue-ops provision prod"),
                row("certs renew with tls_enabled false", "-e", "tls_enabled=false", "certs", "renew", "prod")
                        .says("tls_enabled is false"),
                row("certs reissue with tls_enabled false", "-e", "tls_enabled=false", "certs", "reissue", "prod", "--yes")
                        .says("tls_enabled is false"),
                row("certs reissue without --yes says what would happen", "certs", "reissue", "prod")
                        .says("changes nothing without --yes", "prod.example.org: revoke the certificate prod.example.org, delete it,"
                                + " and obtain a new one", "Let's Encrypt", "rate-limits"),
                row("certs reissue --force without --yes", "certs", "reissue", "prod", "--force")
                        .says("changes nothing without --yes"),
                row("certs reissue --limit an unknown host", "certs", "reissue", "prod", "--limit", "nosuchhost", "--yes")
                        .says("--limit nosuchhost: no such host in prod"),
                row("certs reissue without letsencrypt_email", "-e", "letsencrypt_email=", "certs", "reissue", "prod", "--yes")
                        .says("prod.example.org: letsencrypt_email is not set"),
                row("certs reissue with a domain_name that is not one", "-e", "domain_name=bad/name", "certs", "reissue", "prod",
                        "--yes").says("domain_name 'bad/name' is not a domain name"),
                row("certs reissue with a broken app site template", "certs", "reissue", "prod", "--yes")
                        .setup(c -> c.write("ops/ansible/templates/catalogage.conf.j2", "server { listen {{ 1 + }}; }\n"))
                        .says("catalogage.conf.j2"),
                row("certs unknown subcommand option", "certs", "reissue", "prod", "--yes", "--soon").says("--soon"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
