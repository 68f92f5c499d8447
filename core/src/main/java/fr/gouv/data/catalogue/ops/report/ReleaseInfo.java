package fr.gouv.data.catalogue.ops.report;

/**
 * One release on one host, as its manifest there records it.
 *
 * @param host the inventory name of the host
 * @param id the release id ({@code <UTC yyyyMMddHHmmss>-<short commit>})
 * @param commit the full commit id
 * @param ref the ref that was asked for
 * @param deployedBy who deployed it (user)
 * @param from from where (machine name, or the CI build's URL)
 * @param at when (UTC, ISO 8601)
 * @param state {@code prepared}, {@code live}, {@code previous}, {@code failed} or {@code rolled_back}
 * @param side the side it last ran on, {@code blue} or {@code green}
 * @param live whether it is the release serving now
 */
public record ReleaseInfo(String host, String id, String commit, String ref, String deployedBy, String from, String at,
                          String state, String side, boolean live) {
}
